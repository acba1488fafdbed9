package store

import (
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// slowKV makes every call take delay, as a round trip to the server does, so
// that a store operation's duration counts the calls it makes one after
// another.
type slowKV struct {
	KV
	delay time.Duration
}

func (k slowKV) Get(key string, out any) error { time.Sleep(k.delay); return k.KV.Get(key, out) }

func (k slowKV) Set(key string, value any, options ...pluginapi.KVSetOption) (bool, error) {
	time.Sleep(k.delay)
	return k.KV.Set(key, value, options...)
}

// Every KV call is a round trip to the server. Counted on the layout-1 code
// (wave 1): a filing took 12 calls, all in a row (10 without a daily limit), a
// take 2, a close 6. Summaries and intents add calls to every change, but the
// writes of one pass run concurrently (writeIndexes), so a filing waits for
// fewer calls in a row than before; once migrated, the layout-1 id lists are
// no longer written (listsRetired), which took a filing 4 calls and a close 2. The counts are exact on MemoryStore, where
// no compare-and-set loses; the test pins them so a change shows up.
func TestFilingRoundTrips(t *testing.T) {
	const delay = 10 * time.Millisecond
	c := &countingKV{KV: &pluginapi.MemoryStore{}}
	s := migrated(t, slowKV{KV: c, delay: delay})
	for i := range 10 {
		mustFile(t, s, userID(i), "x")
	}
	triager := report.Triager("t")
	// stored is when a step's caller could go on, when it differs from its end.
	var stored time.Time
	// Each step runs three times, on fresh subjects (i), and the least time
	// counts: the machine's noise only ever adds.
	steps := []struct {
		name          string
		run           func(i int) error
		calls, inARow int
	}{
		{"file, the researcher's first today", func(i int) error {
			_, err := s.File(draft(userID(100+i), "y"), 10, day0)
			return err
		}, 12, 6},
		{"file, the researcher's second today", func(i int) error {
			_, err := s.File(draft(userID(100+i), "z"), 10, day0)
			return err
		}, 12, 6},
		{"file, no daily limit", func(i int) error { _, err := s.File(draft(userID(3), "z"), 0, day0); return err }, 11, 6},
		// What the filer waits for before it announces the report: the
		// intent (beside the day's slot, one guessed compare-and-set) and the
		// record, the claim starting above the id this Store saw last; the
		// counter and the indexes follow.
		{"file until stored, the researcher's first today", func(i int) error {
			_, done, err := s.FileAnnouncing(draft(userID(200+i), "y"), 10, day0)
			stored = time.Now()
			done.Done()
			return err
		}, 12, 2},
		{"file until stored, the researcher's second today", func(i int) error {
			_, done, err := s.FileAnnouncing(draft(userID(200+i), "z"), 10, day0)
			stored = time.Now()
			done.Done()
			return err
		}, 12, 2},
		{"take (open to open)", func(i int) error {
			_, err := s.Update(3+i, func(r *report.Report) error {
				_, err := report.Apply(r, report.ActionTake, triager, report.Input{})
				return err
			})
			return err
		}, 11, 7},
		{"close (leaves the open lists)", func(i int) error {
			_, err := s.Update(3+i, func(r *report.Report) error {
				_, err := report.Apply(r, report.ActionClose, triager, report.Input{Resolution: report.StatusInformative})
				return err
			})
			return err
		}, 11, 7},
	}
	for _, st := range steps {
		inARow := 1 << 30
		for i := range 3 {
			c.reset()
			stored = time.Time{}
			start := time.Now()
			if err := st.run(i); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			end := stored
			if end.IsZero() {
				end = time.Now()
			}
			// Rounded down: the calls' own work adds less than a delay.
			inARow = min(inARow, int(end.Sub(start)/delay))
			if c.calls() != st.calls {
				t.Errorf("%s: %d KV calls (%d reads, %d writes), want %d", st.name, c.calls(), c.gets.Load(), c.sets.Load()+c.deletes.Load(), st.calls)
			}
		}
		t.Logf("%s: %d KV calls, %d in a row", st.name, st.calls, inARow)
		if inARow > st.inARow {
			t.Errorf("%s: %d KV calls in a row, want at most %d", st.name, inARow, st.inARow)
		}
	}
}
