package notify

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// The words of a report's history: how the reporter and the team read each
// event, and the note a relayed reply leaves on the timeline.

// ReporterSummary says an event as the reporter may see it: what happened,
// never who in the team did it or their internal notes; "" hides it.
func ReporterSummary(e report.Event) string {
	switch e.Action {
	case report.ActionSubmit:
		return "You filed the report"
	case report.ActionTake:
		return "The security team started looking at it"
	case report.ActionAsk:
		return "The team asked you a question"
	case report.ActionReply:
		return "You replied"
	case report.ActionConfirm:
		return "The team confirmed it"
	case report.ActionFix:
		return "A fix was released"
	case report.ActionDisclose:
		return "The fix was publicly disclosed"
	case report.ActionClose, report.ActionAutoClose:
		return "Closed: " + e.To.Label()
	case report.ActionReopen:
		return "Reopened"
	case report.ActionMessage:
		return "The team sent you a message"
	}
	return ""
}

// TeamSummary says an event in a few trusted words (no free text), for the
// team: the action, who did it, and the status change.
func TeamSummary(e report.Event) string {
	who := "the reporter"
	switch e.ActorKind {
	case report.ActorTriager:
		who = "a triager"
	case report.ActorSystem:
		who = "the plugin"
	}
	s := string(e.Action) + " by " + who
	if e.From != e.To && e.From != "" {
		s += fmt.Sprintf(" (%s → %s)", e.From.Label(), e.To.Label())
	}
	return s
}

// EarlierConversationText says how many replies and messages a report's
// timeline no longer holds (report.KeptConversation), or "" for none.
func EarlierConversationText(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 earlier reply or message is only in the report's threads."
	}
	return fmt.Sprintf("%d earlier replies and messages are only in the report's threads.", n)
}

// replyNoteRoom is what a cut reply keeps free of the note's limit for the
// words saying it was cut.
const replyNoteRoom = 40

// ReplyNote is a reporter's reply as the timeline keeps it: the text, bounded,
// with a mention of attached files. The full text is in the card thread.
func ReplyNote(p event.Post) string {
	note := strings.TrimSpace(inert.Visible(strings.ReplaceAll(p.Message, "\r\n", "\n")))
	if runes := []rune(note); len(runes) > report.MaxNoteRunes-replyNoteRoom {
		note = string(runes[:report.MaxNoteRunes-replyNoteRoom]) + " … (cut; full text in the card thread)"
	}
	if len(p.FileIDs) > 0 {
		if note != "" {
			note += "\n"
		}
		note += "(with attached files)"
	}
	if note == "" {
		note = "(empty reply)"
	}
	return note
}
