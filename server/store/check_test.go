package store

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// checkedStore is healthyStore, migrated, with SEC-2 (closed) given a DM
// thread so that the live set holds something.
func checkedStore(t *testing.T) (*Store, *pluginapi.MemoryStore, *fakeClock) {
	t.Helper()
	clock := newClock(day0.Add(time.Hour))
	_, mem := healthyStore(t)
	s := migrated(t, mem, WithClock(clock.now))
	if _, err := s.Update(2, func(r *report.Report) error { r.ThreadRootID = "dm2"; return nil }); err != nil {
		t.Fatal(err)
	}
	assertConsistent(t, s, mem)
	return s, mem, clock
}

// checkPass runs CheckStep with budget until one full pass is done and returns
// every repair made.
func checkPass(t *testing.T, s *Store, budget int) []Repair {
	t.Helper()
	var repairs []Repair
	for steps := 0; ; steps++ {
		if steps > 100 {
			t.Fatal("the check does not come round")
		}
		p, err := s.CheckStep(budget)
		if err != nil {
			t.Fatal(err)
		}
		repairs = append(repairs, p.Repairs...)
		if highest, _ := s.HighestID(); p.To >= highest {
			return repairs
		}
	}
}

func withoutCursor(m map[string]string) map[string]string {
	delete(m, keyCheck)
	return m
}

func TestCheckStepRepairs(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, mem *pluginapi.MemoryStore)
		want   []string // "key change id" of each repair, in order
	}{
		{"archive shard deleted", func(t *testing.T, mem *pluginapi.MemoryStore) { mustDelete(t, mem, archiveSet.key(0)) },
			[]string{"v2/sum/0 added 1", "v2/sum/0 added 2", "v2/sum/0 added 3", "v2/sum/0 added 4", "v2/sum/0 added 5"}},
		{"a stale summary in the archive", func(t *testing.T, mem *pluginapi.MemoryStore) {
			rec, _ := parseSumRecord(rawKey(t, mem, archiveSet.key(0)))
			rec.lines[3] = []byte(strings.Replace(string(rec.lines[3]), `"s":"submitted"`, `"s":"triaging"`, 1))
			mustSet(t, mem, archiveSet.key(0), rec.encode())
		}, []string{"v2/sum/0 replaced 4"}},
		{"undecodable archive shard", func(t *testing.T, mem *pluginapi.MemoryStore) { mustSet(t, mem, archiveSet.key(0), []byte("{garbage")) },
			[]string{"v2/sum/0 rewritten 0", "v2/sum/0 added 1", "v2/sum/0 added 2", "v2/sum/0 added 3", "v2/sum/0 added 4", "v2/sum/0 added 5"}},
		{"open directory deleted", func(t *testing.T, mem *pluginapi.MemoryStore) { mustDelete(t, mem, keyOpenDir) },
			[]string{"v2/open listed 0"}},
		{"a directory lists a shard past the highest id", func(t *testing.T, mem *pluginapi.MemoryStore) {
			mustSet(t, mem, keyFixedDir, encodeIDs([]int{0, 3}))
		}, []string{"v2/fixed unlisted 3"}},
		{"open shard missing an entry and holding a closed one", func(t *testing.T, mem *pluginapi.MemoryStore) {
			arch, _ := parseSumRecord(rawKey(t, mem, archiveSet.key(0)))
			open, _ := parseSumRecord(rawKey(t, mem, openSet.key(0)))
			open.setRange(1, 5, map[int][]byte{1: open.lines[0], 2: arch.lines[1], 5: open.lines[2]}) // 4 gone, closed 2 in
			mustSet(t, mem, openSet.key(0), open.encode())
		}, []string{"v2/open/0 removed 2", "v2/open/0 added 4"}},
		{"live entry missing", func(t *testing.T, mem *pluginapi.MemoryStore) {
			mustDelete(t, mem, liveSet.key(0))
		}, []string{"v2/live/0 added 2"}},
		{"a researcher's summaries deleted", func(t *testing.T, mem *pluginapi.MemoryStore) { mustDelete(t, mem, summaryHeadKey("bob")) },
			[]string{"v2/u/bob added 2", "v2/u/bob added 4"}},
		{"a post link", func(t *testing.T, mem *pluginapi.MemoryStore) { mustDelete(t, mem, postKey("dm4")) },
			[]string{"v1/p/dm4 linked 4"}},
		{"counter behind", func(t *testing.T, mem *pluginapi.MemoryStore) { mustSet(t, mem, keyCounter, encodeInt(3)) },
			[]string{"v1/n raised 5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mem, _ := checkedStore(t)
			healthy := withoutCursor(snapshot(t, mem))
			tt.damage(t, mem)

			var got []string
			for _, rp := range checkPass(t, s, 5) {
				got = append(got, rp.Key+" "+rp.Change+" "+strconv.Itoa(rp.ID))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("repairs %q\nwant    %q", got, tt.want)
			}
			if d := diffSnapshots(healthy, withoutCursor(snapshot(t, mem))); len(d) != 0 {
				t.Fatalf("store after the check differs from the healthy one: %v", d)
			}
			if again := checkPass(t, s, 5); len(again) != 0 {
				t.Fatalf("a second pass repaired %+v", again)
			}
		})
	}
}

// The check walks a bounded number of ids per step from its persisted cursor,
// wraps after the highest, changes nothing on a healthy store, and waits for
// the migration.
func TestCheckStepCursor(t *testing.T) {
	_, mem := healthyStore(t)
	unmigrated := New(mem)
	if p, err := unmigrated.CheckStep(2); err != nil || p.To != 0 || p.From != 0 {
		t.Fatalf("before the migration CheckStep = %+v, %v; want nothing done", p, err)
	}
	s := migrated(t, mem)
	before := withoutCursor(snapshot(t, mem))
	var ranges [][3]int
	for range 4 {
		p, err := s.CheckStep(2)
		if err != nil || len(p.Repairs) != 0 {
			t.Fatalf("CheckStep = %+v, %v", p, err)
		}
		ranges = append(ranges, [3]int{p.From, p.To, p.Pass})
	}
	want := [][3]int{{1, 2, 1}, {3, 4, 1}, {5, 5, 1}, {1, 2, 2}}
	if !slices.Equal(ranges, want) {
		t.Fatalf("steps %v, want %v", ranges, want)
	}
	// The cursor is persisted: another server's store carries on from it.
	if p, err := New(mem).CheckStep(10); err != nil || p.From != 3 || p.To != 5 {
		t.Fatalf("a second server's step = %+v, %v; want 3..5", p, err)
	}
	if d := diffSnapshots(before, withoutCursor(snapshot(t, mem))); len(d) != 0 {
		t.Fatalf("the check wrote to a healthy store: %v", d)
	}
	if _, err := s.CheckStep(0); err == nil {
		t.Fatal("a zero budget was accepted")
	}
}

// A change made while a step runs is not undone by the step's writes from the
// record it read earlier.
func TestCheckStepBesideAWriter(t *testing.T) {
	s, mem, _ := checkedStore(t)
	mustDelete(t, mem, openSet.key(0)) // give the step something to write
	h := &hookKV{MemoryStore: mem}
	checker := New(h, WithClock(s.now))
	changed := false
	h.onSet = func(key string, _ pluginapi.KVSetOptions) (bool, bool, error) {
		// Right before the step writes the open shard, SEC-1 is closed by
		// another server: the step read it open.
		if key == openSet.key(0) && !changed {
			changed = true
			mustApply(t, s, 1, report.ActionClose, report.Triager("t"), report.Input{Resolution: report.StatusInformative})
		}
		return false, false, nil
	}
	if _, err := checker.CheckStep(10); err != nil {
		t.Fatal(err)
	}
	if !changed {
		t.Fatal("the step did not write the open shard")
	}
	assertConsistent(t, s, mem)
	if open, _ := s.OpenSummaries(); slices.Contains(summaryIDs(open), 1) {
		t.Fatalf("closed SEC-1 is back among the open summaries: %v", summaryIDs(open))
	}
}

// Once migrated, the layout-1 id lists are retired: no reader uses them, no
// writer keeps them, and the check leaves them as they are.
func TestTheCheckLeavesRetiredListsAlone(t *testing.T) {
	s, mem, _ := checkedStore(t)
	mustSet(t, mem, keyOpen, encodeIDs([]int{1, 2, 5}))
	mustSet(t, mem, reporterKey("alice"), encodeIDs([]int{1, 3}))
	if repairs := checkPass(t, s, 5); len(repairs) != 0 {
		t.Fatalf("the check repaired %+v", repairs)
	}
	mustFile(t, s, "alice", "after the migration")
	if got := string(rawKey(t, mem, reporterKey("alice"))); got != "[1,3]" {
		t.Fatalf("v1/u/alice = %s: a filing after the migration wrote it", got)
	}
	if got := string(rawKey(t, mem, keyOpen)); got != "[1,2,5]" {
		t.Fatalf("v1/open = %s: a filing after the migration wrote it", got)
	}
}
