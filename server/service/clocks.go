package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// clock is one running or finished target of a report.
type clock struct {
	name   event.Clock
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
		{event.ClockFirstResponse, c.FirstResponse, r.Created, responded},
		{event.ClockTriage, c.Triage, r.Created, triaged},
		{event.ClockResolution, resolution, r.Created, resolved},
	}
}

// running says whether the clock still counts: not done, and with a target.
func (ck clock) running() bool { return ck.done.IsZero() && !ck.target.IsZero() }

// runningClocks are the states of a report's running clocks at now, for its
// card.
func runningClocks(r *report.Report, c config.Clocks, now time.Time) []event.ClockState {
	var out []event.ClockState
	for _, ck := range clocksOf(r, c) {
		if !ck.running() {
			continue
		}
		p := sla.Measure(ck.start, now, ck.target, c.Zone)
		out = append(out, event.ClockState{Clock: ck.name, State: p.State, Due: p.DueAt})
	}
	return out
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
