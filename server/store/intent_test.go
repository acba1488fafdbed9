package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

var at1 = day0.Add(time.Hour)

// crashFixture is a migrated store with reports in every set a change can
// move: SEC-1 (alice, open, card1), SEC-2 (bob, open, card2 and thread dm2),
// SEC-3 (alice, fixed).
func crashFixture(t *testing.T) *pluginapi.MemoryStore {
	t.Helper()
	mem := &pluginapi.MemoryStore{}
	s := migrated(t, mem, WithClock(newClock(at1).now))
	mustFile(t, s, "alice", "a")
	mustFile(t, s, "bob", "b")
	mustFile(t, s, "alice", "c")
	triager := report.Triager("t")
	for _, a := range []report.Action{report.ActionTake, report.ActionConfirm} {
		mustApply(t, s, 3, a, triager, report.Input{At: at1})
	}
	mustApply(t, s, 3, report.ActionFix, triager, report.Input{At: at1, FixedIn: []report.FixedVersion{{Version: "11.5.1"}}})
	if _, err := s.Update(1, setCard("ch", "card1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(2, func(r *report.Report) error { r.CardPostID, r.ThreadRootID = "card2", "dm2"; return nil }); err != nil {
		t.Fatal(err)
	}
	assertConsistent(t, s, mem)
	return mem
}

// crashScenario is a filing and three changes that between them move every
// index: the open, fixed and live sets, a researcher's list and summaries, the
// archive and post links. It returns whether the filing was acknowledged.
func crashScenario(s *Store) (filed *report.Report) {
	triager := report.Triager("t")
	filed, _ = s.File(draft("alice", "new"), 10, at1)
	_, _ = s.Update(1, func(r *report.Report) error {
		_, err := report.Apply(r, report.ActionTake, triager, report.Input{At: at1})
		return err
	})
	_, _ = s.Update(2, func(r *report.Report) error {
		_, err := report.Apply(r, report.ActionClose, triager, report.Input{At: at1, Resolution: report.StatusInformative})
		return err
	})
	_, _ = s.Update(1, setCard("ch", "card1b"))
	_, _ = s.Update(3, func(r *report.Report) error {
		_, err := report.Apply(r, report.ActionDisclose, triager, report.Input{At: at1})
		return err
	})
	return filed
}

// The process dies after the n-th write of a filing and a few status changes,
// for every n. After a restart, activation's Replay and then the job's leave
// records, indexes, summaries and post links agreeing, every acknowledged
// filing listed, and no intent behind.
func TestCrashAtEveryWriteIsReplayed(t *testing.T) {
	fixture := crashFixture(t)

	whole := &crashKV{MemoryStore: cloneMemory(t, fixture), limit: -1}
	if crashScenario(New(whole, WithClock(newClock(at1).now))) == nil {
		t.Fatal("the scenario's filing failed without a crash")
	}
	total := whole.writes
	t.Logf("the scenario writes %d times", total)

	for n := 0; n <= total; n++ {
		mem := cloneMemory(t, fixture)
		clock := newClock(at1)
		filed := crashScenario(New(&crashKV{MemoryStore: mem, limit: n}, WithClock(clock.now)))

		restarted := New(mem, WithClock(clock.now))
		if _, err := restarted.Replay(ReplayAll, nil); err != nil {
			t.Fatalf("crash after write %d: activation replay: %v", n, err)
		}
		if d := inconsistencies(t, restarted, mem); len(d) > 0 {
			t.Fatalf("crash after write %d: after the activation replay: %v", n, d)
		}
		if filed != nil {
			mine, err := restarted.ReporterSummaries("alice")
			if err != nil || !slices.Contains(summaryIDs(mine), filed.ID) {
				t.Fatalf("crash after write %d: acknowledged %s not listed: %v, %v", n, filed.Key(), summaryIDs(mine), err)
			}
		}

		clock.advance(IntentGrace)
		if _, err := restarted.Replay(ReplayStale, nil); err != nil {
			t.Fatalf("crash after write %d: job replay: %v", n, err)
		}
		if left := intentsLeft(t, mem); len(left) > 0 {
			t.Fatalf("crash after write %d: intents left after the job: %+v", n, left)
		}
		if d := inconsistencies(t, restarted, mem); len(d) > 0 {
			t.Fatalf("crash after write %d: after the job replay: %v", n, d)
		}
	}
}

// Without a crash nothing is left to replay: every writer clears its intent.
func TestWritersClearTheirIntents(t *testing.T) {
	mem := crashFixture(t)
	s := New(mem, WithClock(newClock(at1).now))
	crashScenario(s)
	if left := intentsLeft(t, mem); len(left) > 0 {
		t.Fatalf("intents left: %+v", left)
	}
	assertConsistent(t, s, mem)
}

// The job leaves young intents to writers that may still be at work;
// activation replays them but clears only old ones.
func TestReplayModes(t *testing.T) {
	tests := []struct {
		name        string
		mode        ReplayMode
		age         time.Duration
		wantRepair  bool
		wantCleared bool
	}{
		{"activation, young intent: replayed, kept", ReplayAll, time.Minute, true, false},
		{"activation, old intent: replayed, cleared", ReplayAll, IntentGrace, true, true},
		{"job, young intent: left alone", ReplayStale, IntentGrace - time.Second, false, false},
		{"job, old intent: replayed, cleared", ReplayStale, IntentGrace, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := crashFixture(t)
			clock := newClock(at1)
			// A change that dies right after its record write: the intent and
			// the record are stored, no index follows.
			crashing := New(&crashKV{MemoryStore: mem, limit: 2}, WithClock(clock.now))
			if _, err := crashing.Update(1, func(r *report.Report) error {
				_, err := report.Apply(r, report.ActionClose, report.Triager("t"), report.Input{At: at1, Resolution: report.StatusInformative})
				return err
			}); err != nil {
				t.Fatal(err) // the record is stored: the change succeeded
			}
			s := New(mem, WithClock(clock.now))
			if open, _ := s.OpenSummaries(); !slices.Contains(summaryIDs(open), 1) {
				t.Fatalf("the crash should have left SEC-1 among the open summaries: %v", summaryIDs(open))
			}
			clock.advance(tt.age)
			res, err := s.Replay(tt.mode, nil)
			if err != nil {
				t.Fatal(err)
			}
			open, err := s.OpenSummaries()
			if err != nil {
				t.Fatal(err)
			}
			if repaired := !slices.Contains(summaryIDs(open), 1); repaired != tt.wantRepair {
				t.Fatalf("SEC-1 repaired = %v, want %v (replay %+v)", repaired, tt.wantRepair, res)
			}
			if cleared := len(intentsLeft(t, mem)) == 0; cleared != tt.wantCleared {
				t.Fatalf("intent cleared = %v, want %v (replay %+v)", cleared, tt.wantCleared, res)
			}
			if tt.wantRepair && !slices.Equal(res.Reports, []int{1}) {
				t.Fatalf("replayed reports %v, want [1]", res.Reports)
			}
		})
	}
}

// Two writers of the same report sharing an intent slot never clear each
// other's entry: each removes its own by nonce.
func TestIntentsAreClearedByNonce(t *testing.T) {
	mem := &pluginapi.MemoryStore{}
	s := New(mem)
	first, err := s.beginIntent(3, intentEntry{ID: 3})
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.beginIntent(3, intentEntry{ID: 3})
	if err != nil {
		t.Fatal(err)
	}
	if first.slot != 3 || second.slot != 4 {
		t.Fatalf("slots %d and %d; want 3, and the next free one, 4", first.slot, second.slot)
	}
	third, err := s.beginIntent(3, intentEntry{ID: 3}) // slots 3 and 4 are busy: appended to 3
	if err != nil {
		t.Fatal(err)
	}
	if third.slot != 3 || third.alone != nil {
		t.Fatalf("third intent %+v, want appended to slot 3", third)
	}
	s.endIntent(first) // slot 3 holds two entries now: the fast delete must fail, the list removal work
	left := intentsLeft(t, mem)
	if len(left) != 2 || left[0].Nonce != third.entry.Nonce || left[1].Nonce != second.entry.Nonce {
		t.Fatalf("after clearing the first: %+v", left)
	}
	s.endIntent(third)
	s.endIntent(second)
	if left := intentsLeft(t, mem); len(left) != 0 {
		t.Fatalf("left: %+v", left)
	}
}

// An intent that cannot be written stops the change before anything is
// written: the caller gets the error and the report is untouched.
func TestIntentFailureStopsTheChange(t *testing.T) {
	h := &hookKV{MemoryStore: &pluginapi.MemoryStore{}}
	s := migrated(t, h)
	r := mustFile(t, s, "researcher", "x")
	h.onSet = func(key string, _ pluginapi.KVSetOptions) (bool, bool, error) {
		if len(key) > len(prefixIntent) && key[:len(prefixIntent)] == prefixIntent {
			return true, false, errors.New("database unavailable")
		}
		return false, false, nil
	}
	if _, err := s.Update(r.ID, setCard("ch", "card")); err == nil {
		t.Fatal("the change went ahead without its intent")
	}
	if got, _ := s.Get(r.ID); got.Version != 1 || got.CardPostID != "" {
		t.Fatalf("record changed: %+v", got)
	}
	if _, err := s.File(draft("researcher", "y"), 10, day0); err == nil {
		t.Fatal("the filing went ahead without its intent")
	}
	if h, _ := s.HighestID(); h != 1 {
		t.Fatalf("highest id %d after a refused filing", h)
	}
}

// Activation on one server replays every intent, including those of writers
// still at work on others: harmless. While writers file and toggle reports,
// another server replays in a loop; afterwards everything agrees and the
// writers have cleared their own intents.
func TestReplayBesideLiveWriters(t *testing.T) {
	mem := crashFixture(t)
	clock := newClock(at1)
	s := New(mem, WithClock(clock.now))
	activation := New(mem, WithClock(clock.now))
	stop := make(chan struct{})
	var replays sync.WaitGroup
	replays.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := activation.Replay(ReplayAll, nil); err != nil {
				t.Errorf("replay: %v", err)
				return
			}
		}
	})
	var writers sync.WaitGroup
	for w := range 8 {
		writers.Go(func() {
			for i := range 6 {
				if _, err := s.File(draft(userID(w), fmt.Sprint("burst ", i)), 0, at1); err != nil {
					t.Errorf("file: %v", err)
				}
				id := 1 + (w+i)%2
				if _, err := s.Update(id, func(r *report.Report) error {
					action, in := report.ActionReopen, report.Input{At: at1}
					if r.IsOpen() {
						action, in.Resolution = report.ActionClose, report.StatusInformative
					}
					_, err := report.Apply(r, action, report.Triager("t"), in)
					return err
				}); err != nil {
					t.Errorf("toggle %d: %v", id, err)
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	replays.Wait()
	if left := intentsLeft(t, mem); len(left) > 0 {
		t.Fatalf("intents left: %+v", left)
	}
	assertConsistent(t, s, mem)
}
