package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// 100 goroutines each add one message to the same report: every message is in the
// timeline exactly once and each successful write produced a distinct version.
func TestConcurrentUpdatesKeepEveryEvent(t *testing.T) {
	s, _ := newStore(t)
	r := mustFile(t, s, "researcher", "x")
	const n = 100
	versions := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			got, err := s.Update(r.ID, func(r *report.Report) error {
				_, err := report.Apply(r, report.ActionMessage, report.Triager("triager"),
					report.Input{Note: fmt.Sprintf("event %d", i), At: day0})
				return err
			})
			if err != nil {
				t.Errorf("update %d: %v", i, err)
				return
			}
			versions[i] = got.Version
		})
	}
	close(start)
	wg.Wait()

	final, err := s.Get(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The timeline keeps the newest messages (report.KeptConversation) and
	// counts the others: together they are every update, each once.
	kept := len(final.Timeline) - 1
	if final.Version != 1+n || kept+final.EarlierConversation != n {
		t.Fatalf("version %d, %d events + %d earlier; want %d and %d", final.Version, kept, final.EarlierConversation, 1+n, n)
	}
	seen := map[string]int{}
	for _, e := range final.Timeline[1:] {
		seen[e.Note]++
	}
	for note, c := range seen {
		if c != 1 {
			t.Errorf("%s is in the timeline %d times", note, c)
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(versions)), seq(2, 1+n)) {
		t.Fatalf("returned versions %v, want 2..%d once each", slices.Sorted(slices.Values(versions)), 1+n)
	}
}

// 100 goroutines try different triage actions on one report. Each is accepted or
// refused with a reason; the timeline holds exactly the accepted ones, forms an
// unbroken chain of states, and the open index agrees with the final state.
func TestConcurrentMixedActions(t *testing.T) {
	s, _ := newStore(t)
	r := mustFile(t, s, "researcher", "x")
	type attempt struct {
		action report.Action
		actor  report.Actor
		in     report.Input
	}
	choices := []attempt{
		{report.ActionTake, report.Triager("t1"), report.Input{}},
		{report.ActionTake, report.Triager("t2"), report.Input{}},
		{report.ActionAsk, report.Triager("t1"), report.Input{Note: "which version?"}},
		{report.ActionReply, report.Reporter("researcher"), report.Input{Note: "11.4"}},
		{report.ActionConfirm, report.Triager("t2"), report.Input{Estimate: report.RatingHigh}},
		{report.ActionClose, report.Triager("t1"), report.Input{Resolution: report.StatusNotApplicable}},
		{report.ActionReopen, report.Triager("t2"), report.Input{}},
		{report.ActionReassign, report.Triager("t1"), report.Input{Assignee: "t3"}},
		{report.ActionMessage, report.Triager("t2"), report.Input{Note: "thanks"}},
		{report.ActionAutoClose, report.System(), report.Input{}},
	}
	const n = 100
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted, refused := 0, 0
	start := make(chan struct{})
	for i := range n {
		a := choices[i%len(choices)]
		wg.Go(func() {
			<-start
			_, err := s.Update(r.ID, func(r *report.Report) error {
				in := a.in
				in.At = day0.Add(time.Duration(i) * time.Second)
				_, err := report.Apply(r, a.action, a.actor, in)
				return err
			})
			var ie *report.InputError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				accepted++
			case errors.Is(err, report.ErrRefused) || errors.As(err, &ie):
				if !strings.HasSuffix(err.Error(), ".") {
					t.Errorf("refusal without a reason: %q", err)
				}
				refused++
			default:
				t.Errorf("%s: %v", a.action, err)
			}
		})
	}
	close(start)
	wg.Wait()

	final, err := s.Get(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if accepted+refused != n || len(final.Timeline) != 1+accepted || final.Version != 1+accepted {
		t.Fatalf("accepted %d refused %d; timeline %d version %d", accepted, refused, len(final.Timeline), final.Version)
	}
	for i := 1; i < len(final.Timeline); i++ {
		if prev, e := final.Timeline[i-1], final.Timeline[i]; e.From != prev.To {
			t.Fatalf("event %d (%s) starts from %s but the previous one ended in %s", i, e.Action, e.From, prev.To)
		}
	}
	if last, _ := final.LastEvent(); last.To != final.Status {
		t.Fatalf("status %s, last event ends in %s", final.Status, last.To)
	}
	open, err := s.ListOpen()
	if err != nil {
		t.Fatal(err)
	}
	if inIndex := slices.Contains(idsOfOpenIndex(t, s), r.ID); inIndex != final.IsOpen() || len(open) != btoi(final.IsOpen()) {
		t.Fatalf("status %s but open index membership %v", final.Status, inIndex)
	}
	t.Logf("%d accepted, %d refused, final status %s", accepted, refused, final.Status)
}

// Reports closed and reopened by many goroutines at once: afterwards the open
// index holds exactly the reports whose final state is open. This is the race
// syncIndexes exists for (a reopen's "add" overtaken by an older close's
// "remove").
func TestOpenIndexFollowsStatusUnderConcurrency(t *testing.T) {
	s, _ := newStore(t)
	const reports, workers, rounds = 8, 32, 16
	for i := range reports {
		r := mustFile(t, s, userID(i), "x")
		mustApply(t, s, r.ID, report.ActionTake, report.Triager("t"), report.Input{})
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for range rounds {
				id := 1 + rng.IntN(reports)
				_, err := s.Update(id, func(r *report.Report) error {
					if r.IsOpen() {
						_, err := report.Apply(r, report.ActionClose, report.Triager("t"), report.Input{Resolution: report.StatusInformative})
						return err
					}
					_, err := report.Apply(r, report.ActionReopen, report.Triager("t"), report.Input{})
					return err
				})
				if err != nil {
					t.Errorf("toggle %d: %v", id, err)
				}
			}
		})
	}
	wg.Wait()

	var wantOpen []int
	total := 0
	for id := 1; id <= reports; id++ {
		r, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		total += r.Version - 2
		if r.IsOpen() {
			wantOpen = append(wantOpen, id)
		}
	}
	if total != workers*rounds {
		t.Fatalf("%d toggles stored, want %d", total, workers*rounds)
	}
	t.Logf("contention: %d conflicts, at most %d attempts", s.stats.conflicts.Load(), s.stats.maxAttempts.Load())
	if got := idsOfOpenIndex(t, s); !slices.Equal(got, wantOpen) {
		t.Fatalf("open index %v, reports open %v", got, wantOpen)
	}
}

func TestUpdateIfVersion(t *testing.T) {
	s, _ := newStore(t)
	r := mustFile(t, s, "researcher", "x")
	take := func(triager string) func(*report.Report) error {
		return func(r *report.Report) error {
			_, err := report.Apply(r, report.ActionTake, report.Triager(triager), report.Input{At: day0})
			return err
		}
	}
	// Two triagers opened version 1 and press Take at the same moment.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, who := range []string{"alice", "bob"} {
		wg.Go(func() { _, errs[i] = s.UpdateIfVersion(r.ID, 1, take(who)) })
	}
	wg.Wait()
	var ce *ConflictError
	switch {
	case errs[0] == nil && errors.As(errs[1], &ce), errs[1] == nil && errors.As(errs[0], &ce):
	default:
		t.Fatalf("errors %v; want one success and one conflict", errs)
	}
	if !errors.Is(ce, ErrConflict) || ce.Expected != 1 || ce.Current.Version != 2 || ce.Current.Assignee == "" {
		t.Fatalf("conflict %+v, current %+v", ce, ce.Current)
	}
	final, _ := s.Get(r.ID)
	if final.Version != 2 || len(final.Timeline) != 2 {
		t.Fatalf("final version %d, %d events; the loser must change nothing", final.Version, len(final.Timeline))
	}
	// Told the report changed, the second triager retries on what they now see.
	if got, err := s.UpdateIfVersion(r.ID, ce.Current.Version, take("carol")); err != nil || got.Version != 3 || got.Assignee != "carol" {
		t.Fatalf("retry on the current version = %+v, %v", got, err)
	}
	if _, err := s.UpdateIfVersion(r.ID, 0, take("dave")); err == nil {
		t.Fatal("version 0 accepted")
	}
}

func TestUpdateErrors(t *testing.T) {
	s, _ := newStore(t)
	r := mustFile(t, s, "researcher", "x")
	tests := []struct {
		name  string
		id    int
		fn    func(*report.Report) error
		check func(error) bool
	}{
		{"unknown report", 99, func(*report.Report) error { return nil }, func(err error) bool { return errors.Is(err, ErrNotFound) }},
		{"refused transition passes through", r.ID, func(r *report.Report) error {
			_, err := report.Apply(r, report.ActionDisclose, report.Triager("t"), report.Input{})
			return err
		}, func(err error) bool { return errors.Is(err, report.ErrRefused) }},
		{"id cannot change", r.ID, func(r *report.Report) error { r.ID = 5; return nil }, func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "cannot change")
		}},
		{"reporter cannot change", r.ID, func(r *report.Report) error { r.ReporterID = "thief"; return nil }, func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "cannot change")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Update(tt.id, tt.fn)
			if !tt.check(err) {
				t.Fatalf("Update = %v", err)
			}
			if got, _ := s.Get(r.ID); got.Version != 1 || got.ReporterID != "researcher" {
				t.Fatalf("a failed update wrote: %+v", got)
			}
		})
	}
}

func TestUpdateBusyAfterBound(t *testing.T) {
	h := &hookKV{MemoryStore: &pluginapi.MemoryStore{}}
	s := New(h)
	r := mustFile(t, s, "researcher", "x")
	h.onSet = func(key string, o pluginapi.KVSetOptions) (bool, bool, error) {
		if key == reportKey(r.ID) {
			return true, false, nil
		}
		return false, false, nil
	}
	s.retry = fastRetry
	calls := 0
	_, err := s.Update(r.ID, func(r *report.Report) error { calls++; return nil })
	if !errors.Is(err, ErrBusy) || calls != fastRetry.attempts {
		t.Fatalf("Update = %v after %d tries; want ErrBusy after %d", err, calls, fastRetry.attempts)
	}
	if got, _ := s.Get(r.ID); got.Version != 1 {
		t.Fatalf("version %d after a busy update", got.Version)
	}
}

func idsOfOpenIndex(t *testing.T, s *Store) []int {
	t.Helper()
	got, err := decodeIDs(rawKey(t, s.kv, keyOpen))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// UpdateAnnouncing keeps the change's intent until the caller is done with
// its own steps, and refuses a version no record can have.
func TestUpdateAnnouncingHoldsTheIntentUntilDone(t *testing.T) {
	kv := &pluginapi.MemoryStore{}
	s := migrated(t, kv)
	r := mustFile(t, s, "alice", "x")
	take := func(cur *report.Report) error {
		_, err := report.Apply(cur, report.ActionTake, report.Triager("t"), report.Input{})
		return err
	}
	for _, tc := range []struct {
		name    string
		version int
	}{
		{"any version", 0},
		{"the stored version", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.version > 0 {
				cur, err := s.Get(r.ID)
				require.NoError(t, err)
				tc.version = cur.Version
			}
			_, done, err := s.UpdateAnnouncing(r.ID, tc.version, func(cur *report.Report) error {
				// Each change moves the summary (status, then assignee), so
				// each has an intent.
				if cur.Status == report.StatusSubmitted {
					return take(cur)
				}
				cur.Assignee = "t2"
				return nil
			})
			require.NoError(t, err)
			assert.Len(t, intentsLeft(t, kv), 1, "held until done")
			done()
			done()
			assert.Empty(t, intentsLeft(t, kv), "cleared once")
		})
	}
	_, done, err := s.UpdateAnnouncing(r.ID, -1, take)
	require.Error(t, err)
	done()
	_, _, err = s.UpdateAnnouncing(r.ID, 1, take)
	var conflict *ConflictError
	require.ErrorAs(t, err, &conflict, "version 1 is long gone")
}
