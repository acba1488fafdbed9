package notify

import (
	"fmt"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// The words of scheduled disclosure: the triage channel's note when a report
// goes public on its date, and the timeline notes of a moved date.

// DisclosedText tells the team a report reached its disclosure date and is
// public now, with a link to its advisory.
func DisclosedText(e event.Disclosed) string {
	r := e.Report
	return fmt.Sprintf("📢 **%s** reached its disclosure date and is now public as **%s**: %s", r.Key(), r.AdvisoryID, advisoryLink(e.UpdatesURL, r.AdvisoryID))
}

func advisoryLink(updatesURL, id string) string {
	if updatesURL == "" || id == "" {
		return id
	}
	return routes.AdvisoryPage(updatesURL, id)
}

// NoteDisclosure posts DisclosedText in the triage channel.
func (n *Notifier) NoteDisclosure(channelID string, e event.Disclosed) error {
	return n.postInChannel(channelID, DisclosedText(e))
}

// DisclosedOnDateNote is the timeline note of a report the plugin disclosed
// on its date.
func DisclosedOnDateNote(date time.Time) string {
	return "Disclosed on its disclosure date, " + date.Format(report.DateLayout) + "."
}

// DisclosureSetNote is the timeline note of a first disclosure date, on (a
// report.DateLayout date).
func DisclosureSetNote(on string) string {
	return fmt.Sprintf("Disclosure set for %s.", on)
}

// DisclosureEarlierNote is the timeline note of a disclosure brought forward
// from the date it had to on.
func DisclosureEarlierNote(from time.Time, on string) string {
	return fmt.Sprintf("Publish early: disclosure moved from %s to %s.", from.Format(report.DateLayout), on)
}

// DisclosurePostponedNote is the timeline note of a disclosure put off from
// the date it had to on.
func DisclosurePostponedNote(from time.Time, on string) string {
	return fmt.Sprintf("Postponed: disclosure moved from %s to %s.", from.Format(report.DateLayout), on)
}
