package store

import (
	"slices"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// A server that has not filed for a while starts its claim from a stale
// hint: the claim still takes the next free id, and a crash before the
// filing's intent is cleared is replayed without walking the reports filed
// since the hint (a bisection finds where to start).
func TestAStaleClaimHintCostsABisectionNotAWalk(t *testing.T) {
	mem := &pluginapi.MemoryStore{}
	c := &countingKV{KV: mem}
	quiet := migrated(t, c, WithHost("srv1"))
	busy := New(mem, WithHost("srv2"))
	mustFile(t, quiet, "alice", "first") // quiet knows SEC-1 only
	const others = 300
	for i := range others {
		// Filed long before the quiet server's next filing.
		if _, err := busy.File(draft("bob", "b"), 0, day0.Add(-time.Hour+time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}

	r, filing, err := quiet.FileAnnouncing(draft("carol", "new"), 0, day0)
	if err != nil {
		t.Fatal(err)
	}
	if want := others + 2; r.ID != want {
		t.Fatalf("claimed %s, want %s: the next free id", r.Key(), report.FormatID(want))
	}
	_ = filing // the process dies before Done

	restarted := New(c, WithHost("srv1"))
	c.reset()
	finished := replayFinishing(t, restarted)
	if !slices.Equal(finished, []int{r.ID}) {
		t.Fatalf("finished %v, want just %s", finished, r.Key())
	}
	if reads := c.gets.Load(); reads > 60 {
		t.Errorf("the replay made %d reads: it walked the %d reports filed since the hint", reads, others)
	}
	assertConsistent(t, restarted, mem)
}
