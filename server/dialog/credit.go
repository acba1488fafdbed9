package dialog

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// KindCredit is the credit profile form.
const KindCredit = "credit"

// CreditDialog edits how a researcher is credited on the Hall of Fame.
func CreditDialog(profile *report.CreditProfile, state string) model.Dialog {
	return model.Dialog{
		CallbackId:       KindCredit,
		Title:            "Your public credit",
		IntroductionText: "This is how you are credited on reports where you asked for credit. Leave the name empty to remove it.",
		SubmitLabel:      "Save",
		State:            state,
		Elements: []model.DialogElement{
			{DisplayName: "Credit name", Name: report.FieldDisplayName, Type: "text", Optional: true, MaxLength: report.MaxDisplayNameRunes,
				Default: truncate(profile.DisplayName, model.DialogElementTextMaxLength)},
			{DisplayName: "Affiliation", Name: report.FieldAffiliation, Type: "text", Optional: true, MaxLength: report.MaxAffiliationRunes,
				Default: truncate(profile.Affiliation, model.DialogElementTextMaxLength), Placeholder: "e.g. from Example security team",
				HelpText: "Optional, shown after your name exactly as written."},
		},
	}
}

// ParseCredit reads a credit dialog submission.
func ParseCredit(submission map[string]any) report.CreditProfile {
	return report.CreditProfile{
		DisplayName: text(submission, report.FieldDisplayName),
		Affiliation: text(submission, report.FieldAffiliation),
	}
}
