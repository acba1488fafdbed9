package service

import (
	"fmt"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// NudgeEvery is how often a reporter may nudge the team about one report.
const NudgeEvery = 7 * 24 * time.Hour

// ErrNoBreach refuses a nudge about a report that missed no target.
var ErrNoBreach = errors.New("your report is within the team's targets, so there is nothing to nudge yet; you will hear from the team in your report's thread")

// NudgeTooSoonError says when the next nudge is possible.
type NudgeTooSoonError struct{ Next time.Time }

func (e *NudgeTooSoonError) Error() string {
	return fmt.Sprintf("you nudged the team about this report recently; you can nudge again after %s", e.Next.UTC().Format("2006-01-02 15:04 UTC"))
}

// Nudge lets a reporter whose report missed a target ask the team for an update,
// at most once per NudgeEvery. The reminder goes into the card thread, pinging
// the assignee or the responders.
func (c *Clocks) Nudge(userID string, id int) (*report.Report, error) {
	r, err := reportOf(c.store, userID, id)
	if err != nil {
		return nil, err
	}
	now := c.now()
	clocks := c.settings()
	var missed []event.Clock
	sum := report.Summarize(r)
	for _, ck := range clocksOf(&sum, clocks) {
		if ck.running() && r.IsOpen() && sla.StateAt(ck.start, now, ck.target, clocks.Zone) == sla.Breached {
			missed = append(missed, ck.name)
		}
	}
	if len(missed) == 0 {
		return nil, ErrNoBreach
	}
	var tooSoon *NudgeTooSoonError
	_, err = c.store.UpdateFollowup(r.ID, func(rec *sla.Record) bool {
		tooSoon = nil
		if !rec.LastNudge.IsZero() && now.Sub(rec.LastNudge) < NudgeEvery {
			tooSoon = &NudgeTooSoonError{Next: rec.LastNudge.Add(NudgeEvery)}
			return false
		}
		rec.LastNudge = now
		return true
	})
	if err != nil {
		return nil, storeError(err)
	}
	if tooSoon != nil {
		return nil, tooSoon
	}
	nudge := event.Nudge{Report: r, Missed: missed[0], Owners: c.owners(r.Assignee)}
	if _, err := c.notify.PostNudge(nudge, fmt.Sprintf("nudge:%d", now.Unix())); err != nil {
		return nil, errors.Wrap(err, "post the nudge")
	}
	c.audit.Decided(userID, auditNudge(r, nudge.Missed, nudge.Owners, now))
	return r, nil
}
