package notify

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// NoteChange writes a line about a change in the card's thread, so the thread
// reads as the report's history. Messages meant for the reporter are quoted as
// sent.
func (n *Notifier) NoteChange(r *report.Report, e report.Event) error {
	if r.CardPostID == "" {
		return nil
	}
	who := "The plugin"
	if e.ActorKind == report.ActorTriager {
		// No @: the actor needs no notification about their own action.
		who = "**" + n.username(e.ActorID) + "**"
	}
	var line string
	switch e.Action {
	case report.ActionTake:
		line = fmt.Sprintf("%s took %s.", who, r.Key())
	case report.ActionAsk:
		line = fmt.Sprintf("%s asked the reporter (sent to them):\n%s", who, quote(e.Note))
	case report.ActionConfirm:
		line = fmt.Sprintf("%s confirmed %s: severity %s.", who, r.Key(), r.Severity().String())
	case report.ActionFix:
		line = fmt.Sprintf("%s marked %s fixed in %s.", who, r.Key(), report.FormatFixedVersions(r.FixedIn))
	case report.ActionDisclose:
		line = fmt.Sprintf("%s marked %s disclosed.", who, r.Key())
	case report.ActionClose, report.ActionAutoClose:
		line = fmt.Sprintf("%s closed %s: %s.", who, r.Key(), r.Status.Label())
		if e.Note != "" {
			line += " Message sent to the reporter:\n" + quote(e.Note)
		}
	case report.ActionReopen:
		line = fmt.Sprintf("%s reopened %s.", who, r.Key())
	case report.ActionReassign:
		line = fmt.Sprintf("%s assigned %s to **@%s**.", who, r.Key(), n.username(e.Assignee))
	case report.ActionAdvisory:
		line = fmt.Sprintf("%s edited the advisory of %s (%s).", who, r.Key(), e.Detail)
		if e.Note != "" {
			line += " " + e.Note
		}
	case report.ActionMessage:
		line = fmt.Sprintf("%s messaged the reporter:\n%s", who, quote(e.Note))
	default:
		return nil
	}
	line += fmt.Sprintf("\n*Status: %s*", r.Status.Label())
	_, err := n.create(&model.Post{ChannelId: r.TriageChannelID, RootId: r.CardPostID, Message: line})
	return err
}

// ReporterUpdate is the DM a reporter gets about a change, or "" when the change
// is internal (a reassignment, a reply of their own). It never names other
// reports, internal notes, or (unless showAssignee) who works on the report.
func (n *Notifier) ReporterUpdate(r *report.Report, e report.Event, showAssignee bool) string {
	var body string
	switch e.Action {
	case report.ActionTake:
		body = "The security team is looking at your report."
		if showAssignee && r.Assignee != "" {
			body = fmt.Sprintf("**@%s** from the security team is looking at your report.", n.username(r.Assignee))
		}
	case report.ActionAsk:
		body = "The security team has a question:\n" + quote(e.Note) + "\n\nPlease answer by replying **in this thread**."
	case report.ActionConfirm:
		body = fmt.Sprintf("The security team confirmed the vulnerability. Severity: **%s**.", r.Severity().String())
	case report.ActionFix:
		body = fmt.Sprintf("A fix is released in **%s**. Its details stay private until disclosure; please keep them private too.", report.FormatFixedVersions(r.FixedIn))
	case report.ActionDisclose:
		body = "The fix is now publicly disclosed. Thank you for helping keep Mattermost secure."
		if r.AdvisoryID != "" && n.siteURL != nil {
			body += fmt.Sprintf(" The advisory: [%s](%s).", r.AdvisoryID, routes.AdvisoryPage(n.siteURL()+routes.PluginPath(n.pluginID)+routes.SecurityUpdates, r.AdvisoryID))
		}
		if r.WantsCredit {
			body += " As you asked, you are credited publicly."
		}
	case report.ActionClose:
		body = closingText(r)
		if e.Note != "" {
			body += "\n\nMessage from the security team:\n" + quote(e.Note)
		}
	case report.ActionAutoClose:
		body = "Your report was closed as informative because the team's question went unanswered. Reply in this thread with the answer and it reopens."
	case report.ActionReopen:
		body = "Your report was reopened; the security team is looking at it again."
	case report.ActionMessage:
		body = "Message from the security team:\n" + quote(e.Note)
	default:
		return ""
	}
	return fmt.Sprintf("**%s** · %s\n%s", r.Key(), r.Status.Label(), body)
}

// TellReporter sends ReporterUpdate in the report's DM thread.
func (n *Notifier) TellReporter(r *report.Report, e report.Event, showAssignee bool) error {
	msg := n.ReporterUpdate(r, e, showAssignee)
	if msg == "" {
		return nil
	}
	if r.ThreadRootID == "" {
		return errors.Errorf("%s has no DM thread", r.Key())
	}
	_, err := n.replyInThread(r, msg)
	return err
}

func closingText(r *report.Report) string {
	switch r.Status {
	case report.StatusDuplicate:
		return "Your report was closed as a **duplicate**: the team already knew about this issue from an earlier report, and it is being handled there. Thank you for reporting it."
	case report.StatusNotApplicable:
		return "Your report was closed as **not applicable**: the team found it is not a security vulnerability in a Mattermost product."
	case report.StatusInformative:
		return "Your report was closed as **informative**: it is useful information, but the team will not make a security fix for it."
	}
	return "Your report was closed."
}

// quote renders the team's own text as a Markdown quote.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}
