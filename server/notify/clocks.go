package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// clockLabels name the clocks at the start of a sentence; lower-cased, they
// read inside one ("the triage target").
var clockLabels = map[event.Clock]string{
	event.ClockFirstResponse: "First response",
	event.ClockTriage:        "Triage",
	event.ClockResolution:    "Resolution",
}

var stateIcons = map[sla.State]string{sla.OnTrack: "🟢", sla.DueSoon: "🟠", sla.Breached: "🔴"}

// utcMinute is how the bot writes a moment: to the minute, in UTC.
func utcMinute(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// ClockLines is the card's Targets field: one line per running clock, with
// its state and when it is due.
func ClockLines(clocks []event.ClockState) string {
	var lines []string
	for _, c := range clocks {
		lines = append(lines, fmt.Sprintf("%s %s %s · due %s", stateIcons[c.State], clockLabels[c.Clock], strings.ToLower(c.State.Label()), utcMinute(c.Due)))
	}
	return strings.Join(lines, "\n")
}
