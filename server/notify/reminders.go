package notify

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// The scheduled job's messages about a report's clocks, and the reporter's
// nudge. Each is sent with the tag of the claim it fulfils (see tagProp).

// ReminderText says which target is due soon or missed, pinging mention (the
// owners, see Mention).
func ReminderText(e event.Reminder, mention string) string {
	icon, what := "⏰", "is due soon"
	if e.Level == sla.Breached {
		icon, what = "🚨", "is overdue"
	}
	return pinging(mention, fmt.Sprintf("%s **%s**: the %s target (%s) %s — due %s.",
		icon, e.Report.Key(), strings.ToLower(clockLabels[e.Clock]), e.Target.Label(), what, utcMinute(e.Due)))
}

// Remind posts a reminder in the report's card thread.
func (n *Notifier) Remind(e event.Reminder, tag string) (string, error) {
	return n.postInCardThread(e.Report, ReminderText(e, Mention(e.Owners, n.mentionName)), tag)
}

// progressNext says what the reporter waits for, by status.
var progressNext = map[report.Status]string{
	report.StatusSubmitted: "it is in the queue and the team will start looking at it soon",
	report.StatusTriaging:  "the team is investigating it",
	report.StatusNeedsInfo: "the team is waiting for your answer to its question in this thread",
	report.StatusConfirmed: "the team confirmed it and is working on a fix",
}

// ProgressText tells a reporter who heard nothing for a while where their
// report stands.
func ProgressText(e event.Progress) string {
	r := e.Report
	msg := fmt.Sprintf("**%s** · %s\nA progress update: your report is still open — %s.", r.Key(), r.Status.Label(), progressNext[r.Status])
	if !e.Resolution.IsZero() {
		msg += fmt.Sprintf(" The team aims to resolve reports of this severity within %s of filing.", e.Resolution.Label())
	}
	return msg
}

// TellProgress sends ProgressText in the report's DM thread.
func (n *Notifier) TellProgress(e event.Progress, tag string) (string, error) {
	return n.postInReporterThread(e.Report, ProgressText(e), tag)
}

// ProgressNote tells the team that a reporter was sent a progress message
// because they heard nothing.
func ProgressNote(e event.Progress) string {
	return fmt.Sprintf("The reporter of **%s** had no update for %s and was sent a progress message; they are waiting to hear from the team.",
		e.Report.Key(), e.Interval.Label())
}

// NoteProgress posts ProgressNote in the report's card thread.
func (n *Notifier) NoteProgress(e event.Progress, tag string) (string, error) {
	return n.postInCardThread(e.Report, ProgressNote(e), tag)
}

// QuestionReminderText reminds a reporter of the team's unanswered question,
// and says when the report closes without an answer.
func QuestionReminderText(e event.QuestionReminder) string {
	r := e.Report
	msg := fmt.Sprintf("**%s** · %s\nA reminder: the security team is waiting for your answer to its question above. Please reply in this thread.", r.Key(), r.Status.Label())
	if !e.AutoClose.IsZero() {
		msg += fmt.Sprintf(" Without an answer, the report is closed %s after the question; your answer reopens it.", e.AutoClose.Label())
	}
	return msg
}

// RemindOfQuestion sends QuestionReminderText in the report's DM thread.
func (n *Notifier) RemindOfQuestion(e event.QuestionReminder, tag string) (string, error) {
	return n.postInReporterThread(e.Report, QuestionReminderText(e), tag)
}

// AutoCloseNote is the timeline note of a report closed because the team's
// question stayed unanswered for after.
func AutoCloseNote(after sla.Target) string {
	return fmt.Sprintf("No answer to the team's question within %s.", after.Label())
}

// NudgeText passes a reporter's request for an update to the team, pinging
// mention (the owners, see Mention).
func NudgeText(e event.Nudge, mention string) string {
	return pinging(mention, fmt.Sprintf("📣 The reporter of **%s** asks for an update: the %s target was missed.", e.Report.Key(), clockLabels[e.Missed]))
}

// PostNudge posts NudgeText in the report's card thread.
func (n *Notifier) PostNudge(e event.Nudge, tag string) (string, error) {
	return n.postInCardThread(e.Report, NudgeText(e, Mention(e.Owners, n.mentionName)), tag)
}
