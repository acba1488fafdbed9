package store

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// largeStore is the size the scale test compares with the 60-report store: a
// decade of a vendor's program. Under the race detector, a tenth of it.
func largeStore() int {
	if raceEnabled {
		return 10_000
	}
	return 100_000
}

// openWhen says whether report id of n is still open.
type openWhen func(id, n int) bool

var (
	// spread is ../shared/performance.md's mix: 1 in 20 open, spread over the
	// whole history (the worst case for id-range shards), 1 in 50 disclosed,
	// the rest closed.
	spread openWhen = func(id, _ int) bool { return id%20 == 0 }
	// current: only the 60 newest are open, the backlog of a team that keeps
	// up.
	current openWhen = func(id, n int) bool { return id > n-60 }
)

type seedStep struct {
	a  report.Action
	in report.Input
}

// seedStore writes n records straight into the KV, as a seeder does, built
// with the domain's own Apply, and migrates them (which writes every index).
// 2,000 researchers file them; every report has a card and a thread.
func seedStore(t testing.TB, n int, open openWhen) *pluginapi.MemoryStore {
	t.Helper()
	mem := &pluginapi.MemoryStore{}
	triager := report.Triager("triagertriagertriagertri00")
	for id := 1; id <= n; id++ {
		r := draft(userID(id%2000), fmt.Sprintf("Seeded report %d about a channel header", id))
		r.MarkFiled(id, day0)
		r.CardPostID, r.ThreadRootID = fmt.Sprintf("card%022d", id), fmt.Sprintf("dm%024d", id)
		in := report.Input{At: day0}
		steps := []seedStep{{report.ActionTake, in}}
		switch {
		case open(id, n):
		case id%50 == 1:
			fix := report.Input{At: day0, FixedIn: []report.FixedVersion{{Version: "11.5.1", Released: "2026-03-10"}}, AdvisoryID: fmt.Sprintf("MMSA-2026-%d", id)}
			steps = append(steps, seedStep{report.ActionConfirm, in}, seedStep{report.ActionFix, fix}, seedStep{report.ActionDisclose, in})
		default:
			closing := report.Input{At: day0, Resolution: report.Resolutions[id%len(report.Resolutions)]}
			if closing.Resolution == report.StatusDuplicate {
				closing.DuplicateOf = 1
			}
			steps = append(steps, seedStep{report.ActionClose, closing})
		}
		for _, st := range steps {
			if _, err := report.Apply(&r, st.a, triager, st.in); err != nil {
				t.Fatalf("seed %d: %v", id, err)
			}
		}
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mem.Set(reportKey(id), data); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mem.Set(keyCounter, encodeInt(n)); err != nil {
		t.Fatal(err)
	}
	s := New(mem)
	for {
		p, err := s.MigrateStep(5_000)
		if err != nil {
			t.Fatal(err)
		}
		if p.Done {
			return mem
		}
	}
}

// The summary readers cost the same few KV reads whether the store holds 60
// reports or 100,000: a queue page, a researcher's list, and the whole open
// set when the open reports are the same. The layout-1 readers cost one read
// per report listed.
func TestSummaryReadsAreFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a large store")
	}
	large := largeStore()
	type cost struct{ queueOldest, queueNewest, mine, minePage, openAll, openAllLayout1 int }
	measure := func(n int, open openWhen) cost {
		mem := seedStore(t, n, open)
		c := &countingKV{KV: mem}
		s := New(c)
		if ok, err := s.Migrated(); err != nil || !ok {
			t.Fatalf("not migrated: %v", err)
		}
		count := func(read func() error) int {
			c.reset()
			if err := read(); err != nil {
				t.Fatal(err)
			}
			return c.calls()
		}
		user := userID(7)
		return cost{
			queueOldest: count(func() error { _, err := s.OpenSummaryPage(SummaryQuery{Limit: 50}); return err }),
			queueNewest: count(func() error { _, err := s.OpenSummaryPage(SummaryQuery{Limit: 50, Newest: true}); return err }),
			mine:        count(func() error { _, err := s.ReporterSummaries(user); return err }),
			minePage:    count(func() error { _, err := s.ReporterSummaryPage(user, SummaryQuery{Limit: 50, Newest: true}); return err }),
			openAll:     count(func() error { _, err := s.OpenSummaries(); return err }),
			openAllLayout1: count(func() error {
				_, err := s.ListOpen()
				return err
			}),
		}
	}
	for _, mix := range []struct {
		name string
		open openWhen
	}{{"open reports spread over the history", spread}, {"only the newest 60 open", current}} {
		small, big := measure(60, mix.open), measure(large, mix.open)
		t.Logf("%s: KV reads at 60 / %d reports: queue page %d / %d (newest first %d / %d), researcher's list %d / %d (page %d / %d), all open %d / %d (layout 1: %d / %d)",
			mix.name, large, small.queueOldest, big.queueOldest, small.queueNewest, big.queueNewest, small.mine, big.mine,
			small.minePage, big.minePage, small.openAll, big.openAll, small.openAllLayout1, big.openAllLayout1)
		if big.queueOldest > 4 || big.queueNewest > 4 || big.mine != small.mine || big.minePage != small.minePage {
			t.Errorf("%s: reads grow with the store: %+v at 60, %+v at %d", mix.name, small, big, large)
		}
		if mix.name == "only the newest 60 open" && big.openAll != small.openAll {
			t.Errorf("all open reports cost %d reads at 60, %d at %d", small.openAll, big.openAll, large)
		}
	}
}
