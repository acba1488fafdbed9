package service_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// The catch-up reads only the live threads: a report final for longer than
// store.LiveGrace is not read (the harness's clock, t0, lies months before the
// store's), however many replies its thread holds; an open one is.
func TestCatchUpReadsOnlyLiveThreads(t *testing.T) {
	h := newHarness(t)
	open := h.file(t, "alice")
	closed := h.file(t, "bob")
	driveTo(t, h, closed.ID, report.StatusDisclosed)
	closedNow, err := h.store.Get(closed.ID)
	require.NoError(t, err)
	h.conv.Threads[open.ThreadRootID] = []event.Post{reply(open, "alice", "missed")}
	h.conv.Threads[closedNow.ThreadRootID] = []event.Post{reply(closedNow, "bob", "long after the end")}

	n, err := h.svc.Conversation.CatchUp(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Len(t, h.conv.Relayed[open.ID], 1, "the open report's reply")
	assert.Empty(t, h.conv.Relayed[closed.ID], "a thread final for months is not read")
}

// A catch-up whose plugin deactivates stops handing out threads.
func TestCatchUpStopsWhenTheContextEnds(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	h.conv.Threads[r.ThreadRootID] = []event.Post{reply(r, "alice", "missed")}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	n, err := h.svc.Conversation.CatchUp(ctx, 2)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, n)
	assert.Empty(t, h.conv.Relayed[r.ID])
}

// One run of the job's recovery steps migrates a fresh installation at once,
// then checks a slice of the reports per run, wrapping after the highest, and
// repairs the public lists over the ids it checked.
func TestRunStepsMigratesThenChecks(t *testing.T) {
	h := newHarness(t)
	alice := fileAs(t, h, "alice", "Alice A.", true)
	h.file(t, "bob")
	driveTo(t, h, alice.ID, report.StatusDisclosed)

	first := h.svc.Recovery.RunSteps(context.Background())
	assert.True(t, first.Migration.Done, "a fresh store migrates in one run")
	assert.Equal(t, 1, first.Check.From)
	assert.Equal(t, 2, first.Check.To)
	assert.Empty(t, first.Check.Repairs)
	assert.Zero(t, first.PublicRepairs)

	// A crash after alice's credit was turned off in the record, before the
	// aggregate followed.
	_, err := h.store.Update(alice.ID, func(r *report.Report) error { r.WantsCredit = false; return nil })
	require.NoError(t, err)
	require.Equal(t, []string{"Alice A."}, hallLines(t, h))

	second := h.svc.Recovery.RunSteps(context.Background())
	assert.Equal(t, 1, second.Check.From, "the check wraps after the highest id")
	assert.Equal(t, 2, second.Check.Pass)
	assert.Equal(t, 2, second.PublicRepairs, "the Hall of Fame and the advisory's credit")
	assert.Empty(t, hallLines(t, h))
	assert.Equal(t, map[int]string{alice.ID: ""}, advisoryCredits(t, h))
}
