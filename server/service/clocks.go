package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// Names of the clocks every report runs.
const (
	ClockFirstResponse = "first_response"
	ClockTriage        = "triage"
	ClockResolution    = "resolution"
)

var clockLabels = map[string]string{
	ClockFirstResponse: "First response",
	ClockTriage:        "Triage",
	ClockResolution:    "Resolution",
}

// clock is one running or finished target of a report.
type clock struct {
	name   string
	target sla.Target
	start  time.Time
	done   time.Time // zero while running
}

// clocksOf lists a report's three clocks. All start when the report is filed:
// first response ends with the first thing the team does that the reporter
// sees (take, ask, message or close); triage ends when the report is confirmed
// or closed; resolution ends when it is fixed (or closed: nothing left to fix).
func clocksOf(r *report.Report, c config.Clocks) []clock {
	var responded, triaged, resolved time.Time
	for _, e := range r.Timeline {
		if e.ActorKind == report.ActorTriager && responded.IsZero() {
			switch e.Action {
			case report.ActionTake, report.ActionAsk, report.ActionMessage, report.ActionClose:
				responded = e.At
			}
		}
		if triaged.IsZero() && (e.To == report.StatusConfirmed || e.To.IsResolution()) {
			triaged = e.At
		}
		if resolved.IsZero() && (e.To == report.StatusFixed || e.To.IsResolution()) {
			resolved = e.At
		}
	}
	rating := string(r.Severity().Rating)
	resolution, ok := c.Resolution[rating]
	if !ok {
		resolution = c.Resolution["low"]
	}
	return []clock{
		{ClockFirstResponse, c.FirstResponse, r.Created, responded},
		{ClockTriage, c.Triage, r.Created, triaged},
		{ClockResolution, resolution, r.Created, resolved},
	}
}

// slaSummary is the card's line about the running clocks, worst first.
func slaSummary(r *report.Report, c config.Clocks, now time.Time) string {
	var lines []string
	for _, ck := range clocksOf(r, c) {
		if !ck.done.IsZero() || ck.target.IsZero() {
			continue
		}
		p := sla.Measure(ck.start, now, ck.target, c.Zone)
		icon := map[sla.State]string{sla.OnTrack: "🟢", sla.DueSoon: "🟠", sla.Breached: "🔴"}[p.State]
		lines = append(lines, fmt.Sprintf("%s %s %s · due %s", icon, clockLabels[ck.name], strings.ToLower(p.State.Label()), p.DueAt.UTC().Format("2006-01-02 15:04 UTC")))
	}
	return strings.Join(lines, "\n")
}

// lastVisibleUpdate is when the reporter last heard about the report: the newest
// event they were told about (or did themselves).
func lastVisibleUpdate(r *report.Report) time.Time {
	var last time.Time
	for _, e := range r.Timeline {
		switch e.Action {
		case report.ActionReassign:
			continue // internal
		}
		if e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// lastQuestion is when the team last asked the reporter, if it is waiting.
func lastQuestion(r *report.Report) (time.Time, bool) {
	if r.Status != report.StatusNeedsInfo {
		return time.Time{}, false
	}
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		if r.Timeline[i].Action == report.ActionAsk {
			return r.Timeline[i].At, true
		}
	}
	return time.Time{}, false
}
