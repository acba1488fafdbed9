package service

import (
	"context"
	"time"

	"github.com/pkg/errors"
)

// rehomeBudget is how many reports one step moves: each is a card, its full
// text and an edit of the old card, so a step takes seconds, well inside the
// store's lease.
const rehomeBudget = 50

// RehomeStep moves the cards of the next rehomeBudget open and fixed reports
// into the triage channel, after a change of the setting (store.RehomeStep):
// one server at a time, resuming where the last step stopped. It reports
// whether every open and fixed report is home. Without a triage channel it
// does nothing.
func (rc *Recovery) RehomeStep() (done bool, err error) {
	channelID := rc.cards.triageChannelID()
	if channelID == "" {
		return true, nil
	}
	p, err := rc.store.RehomeStep(channelID, rehomeBudget, func(id int) error {
		r, err := rc.store.Get(id)
		if err != nil {
			return storeError(err)
		}
		if moved := rc.cards.home(r); moved.TriageChannelID != channelID {
			// Not moved (the channel is unsafe, a post failed): the next
			// step tries this report again.
			return errNotMoved
		}
		return nil
	})
	if err != nil {
		return false, storeError(err)
	}
	return p.Done || p.Busy, nil
}

// Rehome runs RehomeStep until every open and fixed report is home, another
// server is moving them, or ctx ends: the plugin starts it in the background
// when the triage channel setting changed. A failed step is logged and left
// to the job, which runs the steps too.
func (rc *Recovery) Rehome(ctx context.Context) {
	if err := rc.rehome(ctx, rc.now().Add(24*time.Hour)); err != nil {
		rc.log.Warn("Could not move the cards to the new triage channel; the job resumes", "error", err.Error())
	}
}

// rehomeRunTime bounds the rehoming steps of one job run.
const rehomeRunTime = 20 * time.Second

// errNotMoved stops a rehoming step at a report whose card could not be
// moved (a failed post, or an unsafe channel), so the next step retries it.
var errNotMoved = errors.New("the card was not moved")

// rehome runs rehoming steps until done, busy, an error, the deadline or
// the end of ctx.
func (rc *Recovery) rehome(ctx context.Context, deadline time.Time) error {
	for ctx.Err() == nil && rc.now().Before(deadline) {
		done, err := rc.RehomeStep()
		if err != nil || done {
			return err
		}
	}
	return nil
}
