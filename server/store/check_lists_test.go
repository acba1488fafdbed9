package store

import (
	"slices"
	"testing"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// healthyStore files five reports by two researchers and works them so that
// every index is in use: SEC-2 is closed, SEC-3 fixed, SEC-1 and SEC-4 have
// cards, SEC-4 a DM thread.
func healthyStore(t *testing.T) (*Store, *pluginapi.MemoryStore) {
	t.Helper()
	s, mem := newStore(t)
	for i, who := range []string{"alice", "bob", "alice", "bob", "alice"} {
		mustFile(t, s, who, string(rune('a'+i)))
	}
	triager := report.Triager("t")
	mustApply(t, s, 2, report.ActionClose, triager, report.Input{Resolution: report.StatusDuplicate, DuplicateOf: 1})
	mustApply(t, s, 3, report.ActionTake, triager, report.Input{})
	mustApply(t, s, 3, report.ActionConfirm, triager, report.Input{})
	mustApply(t, s, 3, report.ActionFix, triager, report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1"}}})
	for id, card := range map[int]string{1: "card1", 4: "card4"} {
		if _, err := s.Update(id, setCard("ch", card)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Update(4, func(r *report.Report) error { r.ThreadRootID = "dm4"; return nil }); err != nil {
		t.Fatal(err)
	}
	return s, mem
}

// checkAll runs the consistency check's step over every id at once.
func checkAll(t *testing.T, s *Store) rangeRepair {
	t.Helper()
	highest, err := s.HighestID()
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.repairRange(1, highest, modeRepair)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// What the wave-1 walk (Reconcile) checked of the layout-1 lists, the post
// links and the counter, the check's step checks too.
func TestCheckChangesNothingWhenAllIsWell(t *testing.T) {
	s, mem := healthyStore(t)
	before := snapshot(t, mem)
	res := checkAll(t, s)
	if res.Highest != 5 || len(res.Missing) != 0 || len(res.Repairs) != 0 {
		t.Fatalf("the check on a healthy store = %+v", res)
	}
	if d := diffSnapshots(before, snapshot(t, mem)); len(d) != 0 {
		t.Fatalf("the check wrote to a healthy store: %v", d)
	}
}

func TestCheckRepairsTheLayout1Lists(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, mem *pluginapi.MemoryStore)
		want   []Repair
	}{
		{
			name:   "open index deleted",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) { mustDelete(t, mem, keyOpen) },
			want: []Repair{
				{Key: keyOpen, ID: 1, Change: "added"}, {Key: keyOpen, ID: 4, Change: "added"}, {Key: keyOpen, ID: 5, Change: "added"},
			},
		},
		{
			name:   "a researcher's index deleted",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) { mustDelete(t, mem, reporterKey("bob")) },
			want:   []Repair{{Key: reporterKey("bob"), ID: 2, Change: "added"}, {Key: reporterKey("bob"), ID: 4, Change: "added"}},
		},
		{
			name: "one entry missing from each list",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) {
				mustSet(t, mem, keyOpen, encodeIDs([]int{1, 5}))
				mustSet(t, mem, reporterKey("alice"), encodeIDs([]int{1, 3}))
			},
			want: []Repair{{Key: keyOpen, ID: 4, Change: "added"}, {Key: reporterKey("alice"), ID: 5, Change: "added"}},
		},
		{
			name: "stale entries",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) {
				// SEC-2 is closed and SEC-3 fixed; SEC-2 is bob's.
				mustSet(t, mem, keyOpen, encodeIDs([]int{1, 2, 3, 4, 5}))
				mustSet(t, mem, reporterKey("alice"), encodeIDs([]int{1, 2, 3, 5}))
			},
			want: []Repair{
				{Key: keyOpen, ID: 2, Change: "removed"}, {Key: keyOpen, ID: 3, Change: "removed"},
				{Key: reporterKey("alice"), ID: 2, Change: "removed"},
			},
		},
		{
			name: "post links deleted",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) {
				mustDelete(t, mem, postKey("card1"))
				mustDelete(t, mem, postKey("dm4"))
			},
			want: []Repair{{Key: postKey("card1"), ID: 1, Change: "linked"}, {Key: postKey("dm4"), ID: 4, Change: "linked"}},
		},
		{
			name: "counter behind the records (crash after a record write)",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) {
				mustSet(t, mem, keyCounter, encodeInt(3))
			},
			want: []Repair{{Key: keyCounter, ID: 5, Change: "raised"}},
		},
		{
			name: "undecodable open index",
			damage: func(t *testing.T, mem *pluginapi.MemoryStore) {
				mustSet(t, mem, keyOpen, []byte("{garbage"))
			},
			want: []Repair{
				{Key: keyOpen, Change: "rewritten"},
				{Key: keyOpen, ID: 1, Change: "added"}, {Key: keyOpen, ID: 4, Change: "added"}, {Key: keyOpen, ID: 5, Change: "added"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mem := healthyStore(t)
			healthy := snapshot(t, mem)
			tt.damage(t, mem)

			res := checkAll(t, s)
			if !slices.Equal(res.Repairs, tt.want) {
				t.Fatalf("repairs = %+v\nwant      %+v", res.Repairs, tt.want)
			}
			if d := diffSnapshots(healthy, snapshot(t, mem)); len(d) != 0 {
				t.Fatalf("store after repair differs from the healthy one: %v", d)
			}
			if again := checkAll(t, s); len(again.Repairs) != 0 {
				t.Fatalf("a second check = %+v; want no repairs", again)
			}
		})
	}
}

// A record deleted by hand is reported, not invented, and its index entries and
// summaries go.
func TestCheckReportsMissingRecord(t *testing.T) {
	s, mem := healthyStore(t)
	mustDelete(t, mem, reportKey(4))
	res := checkAll(t, s)
	if !slices.Equal(res.Missing, []int{4}) {
		t.Fatalf("missing = %v, want [4]", res.Missing)
	}
	want := []Repair{
		{Key: archiveSet.key(0), ID: 4, Change: "removed"}, {Key: openSet.key(0), ID: 4, Change: "removed"},
		{Key: keyOpen, ID: 4, Change: "removed"},
		{Key: summaryHeadKey("bob"), ID: 4, Change: "removed"}, {Key: reporterKey("bob"), ID: 4, Change: "removed"},
	}
	if !slices.Equal(res.Repairs, want) {
		t.Fatalf("repairs = %+v, want %+v", res.Repairs, want)
	}
	if h, _ := s.HighestID(); h != 5 {
		t.Fatalf("HighestID = %d; a missing record must not shrink the id range", h)
	}
}

func mustDelete(t *testing.T, kv KV, key string) {
	t.Helper()
	if err := kv.Delete(key); err != nil {
		t.Fatal(err)
	}
}

func mustSet(t *testing.T, kv KV, key string, value []byte) {
	t.Helper()
	if _, err := kv.Set(key, value); err != nil {
		t.Fatal(err)
	}
}
