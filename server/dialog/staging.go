package dialog

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// Kinds of the staging dialogs. A decision's kind names it ("staging:approve").
const (
	KindStaging         = "staging"
	KindStagingDecision = "staging:"
)

// StagingRules are what a researcher accepts to get a staging server.
const StagingRules = "Test only what you describe here, only on the server you are given; never test other people's instances; " +
	"do not copy or keep any data; stop at once when the security team asks."

// StagingDialog asks for a staging server.
func StagingDialog(maxDays int, today time.Time, state string) model.Dialog {
	return model.Dialog{
		CallbackId: KindStaging,
		Title:      "Ask for a staging server",
		IntroductionText: fmt.Sprintf("For tests that might disrupt the community test server, the security team can arrange a private staging server "+
			"for up to %d days. The rules: %s", maxDays, StagingRules),
		SubmitLabel: "Send request",
		State:       state,
		Elements: []model.DialogElement{
			{DisplayName: "What you will test", Name: staging.FieldWhat, Type: "textarea", MaxLength: staging.MaxTextRunes},
			{DisplayName: "Why it may disrupt", Name: staging.FieldWhy, Type: "textarea", MaxLength: staging.MaxTextRunes,
				HelpText: "Why the community test server is not the right place."},
			{DisplayName: "First day (UTC)", Name: staging.FieldStart, Type: "text", MaxLength: 10, Default: today.UTC().Format(staging.DateLayout),
				Placeholder: "YYYY-MM-DD"},
			{DisplayName: "Last day (UTC)", Name: staging.FieldEnd, Type: "text", MaxLength: 10, Placeholder: "YYYY-MM-DD",
				HelpText: fmt.Sprintf("At most %d days after the first.", maxDays)},
			{DisplayName: "Testing rules", Name: staging.FieldRules, Type: "bool", Placeholder: "I accept the testing rules above"},
		},
	}
}

// ParseStaging reads a staging request submission.
func ParseStaging(submission map[string]any) staging.Draft {
	return staging.Draft{
		What:          text(submission, staging.FieldWhat),
		Why:           text(submission, staging.FieldWhy),
		Start:         text(submission, staging.FieldStart),
		End:           text(submission, staging.FieldEnd),
		RulesAccepted: boolean(submission, staging.FieldRules),
	}
}

// StagingCredentialsWarning tells the triager approving a request how long
// the access details last. The plugin keeps no copy, and deletes the DM that
// carries them when the window ends; but Mattermost only marks a deleted post
// deleted, so the text stays in its database (and its backups), readable by
// whoever can read those.
const StagingCredentialsWarning = "The access details go to the researcher by DM only; the plugin stores no copy. " +
	"When the window ends the DM is deleted, but a deleted message remains in the server's database and backups: " +
	"give credentials that work only once, or rotate them when the window ends."

// StagingDecisionDialog is the form behind Approve (access details and the
// granted window) or Deny (a reason).
func StagingDecisionDialog(decision string, r *staging.Request, state string) model.Dialog {
	d := model.Dialog{
		CallbackId:       KindStagingDecision + decision,
		State:            state,
		IntroductionText: fmt.Sprintf("**%s** · wanted %s to %s · %s", r.Key(), r.Start.Format(staging.DateLayout), r.End.Format(staging.DateLayout), inert.Span(firstLine(r.What))),
	}
	if decision == staging.DecisionApprove {
		d.Title, d.SubmitLabel = "Approve "+r.Key(), "Approve and send"
		d.IntroductionText += "\n\n" + StagingCredentialsWarning
		d.Elements = []model.DialogElement{
			{DisplayName: "Server URL", Name: staging.FieldURL, Type: "text", SubType: "url", MaxLength: staging.MaxURLRunes},
			{DisplayName: "Access", Name: staging.FieldCredentials, Type: "textarea", MaxLength: staging.MaxCredentialsRunes,
				HelpText: "Credentials, or how to get them: one-time, or rotated when the window ends (see above)."},
			{DisplayName: "First day (UTC)", Name: staging.FieldStart, Type: "text", MaxLength: 10, Default: r.Start.Format(staging.DateLayout)},
			{DisplayName: "Access ends (UTC)", Name: staging.FieldEnd, Type: "text", MaxLength: 16, Default: r.End.Format(staging.DateLayout),
				HelpText: "A day (access ends when it ends) or YYYY-MM-DD HH:MM."},
		}
		return d
	}
	d.Title, d.SubmitLabel = "Deny "+r.Key(), "Deny"
	d.Elements = []model.DialogElement{
		{DisplayName: "Reason", Name: staging.FieldReason, Type: "textarea", MaxLength: staging.MaxTextRunes, HelpText: "The researcher receives it."},
	}
	return d
}

// ParseStagingDecision reads the decision form.
func ParseStagingDecision(submission map[string]any) (url, credentials, start, end, reason string) {
	return text(submission, staging.FieldURL), text(submission, staging.FieldCredentials), text(submission, staging.FieldStart),
		text(submission, staging.FieldEnd), strings.TrimSpace(text(submission, staging.FieldReason))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return truncate(line, 80)
}
