package service_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

func act(h *harness, actor string, id int, a report.Action, in report.Input) (*report.Report, error) {
	return h.svc.Triage.Act(service.Action{ActorID: actor, ReportID: id, Action: a, Input: in})
}

func TestActAuthorization(t *testing.T) {
	inputs := map[report.Action]report.Input{
		report.ActionTake:     {},
		report.ActionAsk:      {Note: "which version?"},
		report.ActionMessage:  {Note: "thanks"},
		report.ActionClose:    {Resolution: report.StatusInformative},
		report.ActionReassign: {Assignee: "triager2"},
	}
	for action, in := range inputs {
		for _, tt := range []struct {
			actor string
			ok    bool
		}{
			{"alice", false}, // the reporter
			{"bob", false},   // another researcher
			{"outsider", false},
			{"triager", true},
			{"admin", true},
		} {
			t.Run(string(action)+"/"+tt.actor, func(t *testing.T) {
				h := newHarness(t)
				r := h.file(t, "alice")
				if action == report.ActionAsk || action == report.ActionReassign {
					_, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
					require.NoError(t, err)
				}
				before, _ := h.store.Get(r.ID)
				_, err := act(h, tt.actor, r.ID, action, in)
				after, _ := h.store.Get(r.ID)
				if !tt.ok {
					assert.ErrorIs(t, err, service.ErrNotTriager)
					assert.Equal(t, before.Version, after.Version, "nothing changed")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, before.Version+1, after.Version)
			})
		}
	}
}

func TestActFullPathNotifiesAndAudits(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	steps := []struct {
		action report.Action
		in     report.Input
		want   report.Status
	}{
		{report.ActionTake, report.Input{}, report.StatusTriaging},
		{report.ActionAsk, report.Input{Note: "Which version?"}, report.StatusNeedsInfo},
		{report.ActionTake, report.Input{}, report.StatusTriaging},
		{report.ActionConfirm, report.Input{Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}, report.StatusConfirmed},
		{report.ActionFix, report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1"}}}, report.StatusFixed},
		{report.ActionDisclose, report.Input{}, report.StatusDisclosed},
	}
	for _, s := range steps {
		got, err := act(h, "triager", r.ID, s.action, s.in)
		require.NoError(t, err, s.action)
		assert.Equal(t, s.want, got.Status)
		assert.Equal(t, s.want, h.notify.Cards[got.CardPostID].Status, "the card shows %s", s.want)
	}
	assert.Len(t, h.audit.Events, 1+len(steps), "one audit record for the filing and one per change")
	assert.Len(t, h.notify.Notes[r.ID], len(steps), "one note per change in the card thread")
	assert.Len(t, h.notify.DMs[r.ID], len(steps), "the reporter is told each step")
	final, _ := h.store.Get(r.ID)
	assert.Equal(t, "6.1 Medium", final.Severity().String())
}

func TestActCloseAsDuplicateNeedsAnExistingReport(t *testing.T) {
	h := newHarness(t)
	first := h.file(t, "alice")
	second := h.file(t, "bob")

	_, err := act(h, "triager", second.ID, report.ActionClose, report.Input{Resolution: report.StatusDuplicate, DuplicateOf: 42})
	var in *report.InputError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, report.FieldDuplicateOf, in.Field)

	closed, err := act(h, "triager", second.ID, report.ActionClose, report.Input{Resolution: report.StatusDuplicate, DuplicateOf: first.ID, Note: "Known."})
	require.NoError(t, err)
	assert.Equal(t, report.StatusDuplicate, closed.Status)

	reopened, err := act(h, "triager", second.ID, report.ActionReopen, report.Input{})
	require.NoError(t, err)
	assert.Equal(t, report.StatusTriaging, reopened.Status)
	assert.Zero(t, reopened.DuplicateOf)
}

func TestActReassign(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	_, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)

	_, err = act(h, "triager", r.ID, report.ActionReassign, report.Input{Assignee: "bob"})
	var in *report.InputError
	require.ErrorAs(t, err, &in, "a researcher cannot be the assignee")

	got, err := act(h, "triager", r.ID, report.ActionReassign, report.Input{Assignee: "triager2"})
	require.NoError(t, err)
	assert.Equal(t, "triager2", got.Assignee)
	assert.Equal(t, report.StatusTriaging, got.Status)
	assert.Len(t, h.notify.DMs[r.ID], 1, "a reassignment is internal: only the take reached the reporter")
}

func TestActRefusedTransitionIsExplained(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	_, err := act(h, "triager", r.ID, report.ActionFix, report.Input{FixedIn: []report.FixedVersion{{Version: "1.0.0"}}})
	assert.ErrorIs(t, err, report.ErrRefused)
	assert.NotEmpty(t, err.Error())
}

func TestActOnStaleVersionIsAConflict(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	seen := r.Version

	_, err := h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Version: seen, Action: report.ActionTake})
	require.NoError(t, err)
	_, err = h.svc.Triage.Act(service.Action{ActorID: "triager2", ReportID: r.ID, Version: seen, Action: report.ActionClose, Input: report.Input{Resolution: report.StatusInformative}})
	var conflict *service.ConflictError
	require.ErrorAs(t, err, &conflict, "the second triager is told the report changed")
	assert.Equal(t, report.StatusTriaging, conflict.Current.Status, "and shown its current state")
	assert.Contains(t, err.Error(), "Triaging")
}

func TestActConcurrentTriagers(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	_, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)

	// 100 triagers press at once on the same card (same version): exactly one
	// wins, every other one is told why. Then 100 messages without a version all
	// land, in some order, each exactly once.
	cur, _ := h.store.Get(r.ID)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.svc.Triage.Act(service.Action{ActorID: "triager2", ReportID: r.ID, Version: cur.Version, Action: report.ActionConfirm})
			mu.Lock()
			defer mu.Unlock()
			var conflict *service.ConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &conflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
	assert.Equal(t, 99, conflicts)

	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := act(h, "triager", r.ID, report.ActionMessage, report.Input{Note: "update"})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	final, _ := h.store.Get(r.ID)
	count := 0
	for _, e := range final.Timeline {
		if e.Action == report.ActionMessage {
			count++
		}
	}
	assert.Equal(t, 100, count+final.EarlierConversation, "every accepted message is on the timeline once, or counted as earlier")
	assert.Equal(t, cur.Version+1+100, final.Version)
}

func TestDeletedCardIsRepostedAndRelinked(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	old := r.CardPostID
	h.notify.Deleted[old] = true

	got, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	stored, _ := h.store.Get(r.ID)
	assert.NotEqual(t, old, stored.CardPostID, "a new card was posted")
	assert.Equal(t, report.StatusTriaging, h.notify.Cards[stored.CardPostID].Status)
	assert.NotEmpty(t, h.notify.Threads[stored.CardPostID], "with the full text again")
	_ = got

	found, err := h.store.FindByPost(stored.CardPostID)
	require.NoError(t, err)
	assert.Equal(t, r.ID, found.ID, "the new card leads back to the report")

	// /security show does the same.
	h.notify.Deleted[stored.CardPostID] = true
	shown, err := h.svc.Triage.ReportForTeam("triager", r.ID)
	require.NoError(t, err)
	assert.NotEqual(t, stored.CardPostID, shown.CardPostID)
}

func TestCardButtonsFitTheState(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	names := func(postID string) []string {
		var out []string
		for _, b := range h.notify.Buttons[postID] {
			out = append(out, b.ID)
		}
		return out
	}
	assert.Equal(t, []string{"take", "close", "reassign", "message"}, names(r.CardPostID))
	for _, b := range h.notify.Buttons[r.CardPostID] {
		assert.Equal(t, r.Version, b.Context["version"], "a new card's buttons carry the stored version")
	}

	got, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	assert.Equal(t, []string{"take", "ask", "confirm", "close", "reassign", "message"}, names(got.CardPostID))
	for _, b := range h.notify.Buttons[got.CardPostID] {
		assert.Equal(t, got.Version, b.Context["version"], "buttons carry the version they were rendered from")
	}
}
