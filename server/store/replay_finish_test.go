package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Activation finishes at once the young intents its own server's dead process
// left (same host), hands their reports to Finish and clears them; another
// server's young intents are synced but neither finished nor cleared; a
// failing Finish keeps the entry for the next replay.
func TestReplayFinishesOwnServersIntents(t *testing.T) {
	tests := []struct {
		name         string
		writerHost   string
		replayHost   string
		mode         ReplayMode
		age          time.Duration
		finishErr    error
		wantFinished []int
		wantCleared  bool
	}{
		{"activation, own server, young: finished, cleared", "srv1", "srv1", ReplayAll, time.Second, nil, []int{1}, true},
		{"activation, other server, young: kept for its writer", "srv2", "srv1", ReplayAll, time.Second, nil, nil, false},
		{"activation, no host known, young: kept", "", "", ReplayAll, time.Second, nil, nil, false},
		{"activation, other server, old: finished, cleared", "srv2", "srv1", ReplayAll, IntentGrace, nil, []int{1}, true},
		{"job, own server, young: left alone", "srv1", "srv1", ReplayStale, time.Second, nil, nil, false},
		{"job, old: finished, cleared", "srv2", "srv1", ReplayStale, IntentGrace, nil, []int{1}, true},
		{"finish fails: the entry stays", "srv1", "srv1", ReplayAll, time.Second, errors.New("no triage channel"), []int{1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := crashFixture(t)
			clock := newClock(at1)
			crashing := New(&crashKV{MemoryStore: mem, limit: 2}, WithClock(clock.now), WithHost(tt.writerHost))
			if _, err := crashing.Update(1, setCard("ch", "card1b")); err != nil {
				t.Fatal(err)
			}
			clock.advance(tt.age)
			s := New(mem, WithClock(clock.now), WithHost(tt.replayHost))
			var finished []int
			res, err := s.Replay(tt.mode, func(ids []int) error {
				finished = append(finished, ids...)
				return tt.finishErr
			})
			if !errors.Is(err, tt.finishErr) {
				t.Fatalf("replay error %v, want %v", err, tt.finishErr)
			}
			if !slices.Equal(finished, tt.wantFinished) {
				t.Fatalf("finished %v, want %v (replay %+v)", finished, tt.wantFinished, res)
			}
			if cleared := len(intentsLeft(t, mem)) == 0; cleared != tt.wantCleared {
				t.Fatalf("intent cleared = %v, want %v (replay %+v)", cleared, tt.wantCleared, res)
			}
			wantOrphaned := tt.wantFinished
			if !tt.wantCleared {
				wantOrphaned = nil
			}
			if !slices.Equal(res.Orphaned, wantOrphaned) {
				t.Fatalf("orphaned %v, want %v", res.Orphaned, wantOrphaned)
			}
		})
	}
}

// A filing's intent covers its announcement: until the filer calls done, a
// crash leaves the intent, and the replay hands the new report to Finish.
func TestFilingIntentLastsUntilAnnounced(t *testing.T) {
	mem := crashFixture(t)
	clock := newClock(at1)
	s := New(mem, WithClock(clock.now), WithHost("srv1"))
	r, done, err := s.FileAnnouncing(draft("carol", "new"), 0, at1)
	if err != nil {
		t.Fatal(err)
	}
	if len(intentsLeft(t, mem)) != 1 {
		t.Fatalf("intents before done: %v, want the filing's", intentsLeft(t, mem))
	}
	// The process dies here; the restarted one replays.
	restarted := New(mem, WithClock(clock.now), WithHost("srv1"))
	finished := replayFinishing(t, restarted)
	if !slices.Equal(finished, []int{r.ID}) {
		t.Fatalf("finished %v, want just %s", finished, report.FormatID(r.ID))
	}
	if left := intentsLeft(t, mem); len(left) != 0 {
		t.Fatalf("intents left after the replay: %v", left)
	}
	done.Done() // the old process's done, had it lived: harmless once cleared
	done.Done()
	if left := intentsLeft(t, mem); len(left) != 0 {
		t.Fatalf("intents left after done: %v", left)
	}
}
