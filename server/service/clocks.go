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

// clocksOf lists a report's three clocks. All start when the report is filed
// and stop at the milestones report.Summarize derives from the timeline (first
// response, triage, resolution): the rules live there once, so the job, the
// card, stats and nudges, which read summaries or records, agree.
func clocksOf(s *report.Summary, c config.Clocks) []clock {
	resolution, ok := c.Resolution[string(s.Rating)]
	if !ok {
		resolution = c.Resolution["low"]
	}
	return []clock{
		{event.ClockFirstResponse, c.FirstResponse, s.Created, s.RespondedAt},
		{event.ClockTriage, c.Triage, s.Created, s.TriagedAt},
		{event.ClockResolution, resolution, s.Created, s.ResolvedAt},
	}
}

// running says whether the clock still counts: not done, and with a target.
func (ck clock) running() bool { return ck.done.IsZero() && !ck.target.IsZero() }

// runningClocks are the states of a report's running clocks at now, for its
// card.
func runningClocks(r *report.Report, c config.Clocks, now time.Time) []event.ClockState {
	var out []event.ClockState
	sum := report.Summarize(r)
	for _, ck := range clocksOf(&sum, c) {
		if !ck.running() {
			continue
		}
		p := sla.Measure(ck.start, now, ck.target, c.Zone)
		out = append(out, event.ClockState{Clock: ck.name, State: p.State, Due: p.DueAt})
	}
	return out
}

// lastQuestion is when the team last asked the reporter, if it is waiting.
func lastQuestion(s *report.Summary) (time.Time, bool) {
	return s.AskedAt, !s.AskedAt.IsZero()
}
