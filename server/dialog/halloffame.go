package dialog

import (
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost/server/public/model"
)

// KindHallImport is the form that imports the historical Hall of Fame.
const KindHallImport = "halloffame-import"

// FieldHallCSV is the textarea holding the pasted CSV.
const FieldHallCSV = "csv"

// maxHallCSVRunes bounds the pasted list: a thousand lines of name,
// affiliation, count and date.
const maxHallCSVRunes = 200000

// HallImportDialog asks a system admin to paste the historical list as CSV.
// Slash commands carry no files, so pasting is how chat imports it.
func HallImportDialog(state string) model.Dialog {
	return model.Dialog{
		CallbackId: KindHallImport,
		Title:      "Import Hall of Fame",
		IntroductionText: "Paste the published Hall of Fame as CSV, with a header line: `name,affiliation,contributions,latest_contribution` " +
			"(affiliation is the phrase as published, e.g. \"from Example security team\"; the date is YYYY-MM-DD and may be empty). " +
			"The import replaces the previous one; researchers' earned credit is kept, and links to names still listed are kept. " +
			"Merge an imported name with a user's earned credit with `/security halloffame link \"<name>\" @user`.",
		SubmitLabel: "Import",
		State:       state,
		Elements: []model.DialogElement{
			{DisplayName: "CSV", Name: FieldHallCSV, Type: "textarea", MaxLength: maxHallCSVRunes,
				Placeholder: halloffame.ImportName + "," + halloffame.ImportAffiliation + "," + halloffame.ImportContributions + "," + halloffame.ImportLatest + "\nJane Doe,from Example security team,3,2025-06-01",
				HelpText:    "One researcher per line, in any order: the plugin ranks them."},
		},
	}
}

// ParseHallImport reads the pasted CSV from a submission.
func ParseHallImport(submission map[string]any) string {
	return text(submission, FieldHallCSV)
}
