package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// variedStore files n reports by a few researchers over two shards and works
// them into every state: open ones with and without threads, fixed, closed and
// disclosed, some with threads. It does so before the migration, then
// migrates, so that the layout-1 lists, which writers keep only until then,
// are there to compare the summaries with.
func variedStore(t testing.TB, n int, clock *fakeClock) (*Store, *pluginapi.MemoryStore) {
	t.Helper()
	mem := &pluginapi.MemoryStore{}
	s := New(mem, WithClock(clock.now))
	triager := report.Triager("t")
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range n {
		r := mustFile(t, s, userID(i%4), fmt.Sprintf("report %d", i))
		if rng.IntN(2) == 0 {
			if _, err := s.Update(r.ID, func(r *report.Report) error { r.ThreadRootID = fmt.Sprint("dm", r.ID); return nil }); err != nil {
				t.Fatal(err)
			}
		}
		at := report.Input{At: clock.now()}
		switch rng.IntN(5) {
		case 0: // stays submitted
		case 1:
			mustApply(t, s, r.ID, report.ActionTake, triager, at)
		case 2:
			mustApply(t, s, r.ID, report.ActionClose, triager, report.Input{At: clock.now(), Resolution: report.StatusNotApplicable})
		case 3, 4:
			mustApply(t, s, r.ID, report.ActionTake, triager, at)
			mustApply(t, s, r.ID, report.ActionConfirm, triager, at)
			mustApply(t, s, r.ID, report.ActionFix, triager, report.Input{At: clock.now(), FixedIn: []report.FixedVersion{{Version: "11.5.1"}}})
			if rng.IntN(2) == 0 {
				mustApply(t, s, r.ID, report.ActionDisclose, triager, at)
			}
		}
	}
	return migrated(t, mem, WithClock(clock.now)), mem
}

// expectedLive is LiveThreads computed from the records.
func expectedLive(t testing.TB, s *Store, now time.Time) []int {
	t.Helper()
	highest, _ := s.HighestID()
	var out []int
	for id := 1; id <= highest; id++ {
		r, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		sum := report.Summarize(r)
		if r.ThreadRootID != "" && (!r.IsFinal() || isLive(&sum, now)) {
			out = append(out, id)
		}
	}
	return out
}

func TestSummaryReadersAgreeWithRecords(t *testing.T) {
	clock := newClock(at1)
	s, mem := variedStore(t, 520, clock)
	assertConsistent(t, s, mem)

	same := func(name string, got []report.Summary, gotErr error, fromRecords func() ([]report.Summary, error)) {
		t.Helper()
		want, wantErr := fromRecords()
		if gotErr != nil || wantErr != nil {
			t.Fatalf("%s: %v / %v", name, gotErr, wantErr)
		}
		if len(want) == 0 {
			t.Fatalf("%s: the fixture should fill it", name)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: summaries %v\nrecords   %v", name, summaryIDs(got), summaryIDs(want))
		}
	}
	open, err := s.OpenSummaries()
	same("open", open, err, func() ([]report.Summary, error) { return summarizeAll(s.ListOpen, nil) })
	fixed, err := s.FixedSummaries()
	same("fixed", fixed, err, func() ([]report.Summary, error) { return summarizeAll(s.ListFixed, nil) })
	for u := range 4 {
		mine, err := s.ReporterSummaries(userID(u))
		same("researcher", mine, err, func() ([]report.Summary, error) {
			return summarizeAll(func() ([]*report.Report, error) { return s.ListByReporter(userID(u)) }, nil)
		})
	}
	all, err := s.Summaries(1, 520)
	same("archive", all, err, func() ([]report.Summary, error) { return s.summariesFromRecords(1, 520) })
	shard1, err := s.ArchiveShard(1)
	same("archive shard 1", shard1, err, func() ([]report.Summary, error) { return s.summariesFromRecords(501, 1000) })
	if n, err := s.ArchiveShards(); err != nil || n != 2 {
		t.Fatalf("ArchiveShards = %d, %v", n, err)
	}

	live, err := s.LiveThreads()
	if err != nil || !slices.Equal(summaryIDs(live), expectedLive(t, s, clock.now())) {
		t.Fatalf("LiveThreads = %v, %v\nwant %v", summaryIDs(live), err, expectedLive(t, s, clock.now()))
	}
	// A month later, the final ones have left, the first by their reader's
	// filter and, once a write touches their shard, from the shard too.
	clock.advance(LiveGrace)
	live, err = s.LiveThreads()
	if err != nil || !slices.Equal(summaryIDs(live), expectedLive(t, s, clock.now())) {
		t.Fatalf("after the grace LiveThreads = %v, %v", summaryIDs(live), err)
	}
	for _, sum := range live {
		if sum.IsFinal() {
			t.Fatalf("%s is final and past the grace, still live", sum.Key())
		}
	}
}

// Pages of summaries are the pages of records, summarized: same order, same
// cursors, whatever the filter and direction.
func TestSummaryPagesMatchRecordPages(t *testing.T) {
	s, _ := variedStore(t, 520, newClock(at1))
	filters := map[string]func(*report.Summary) bool{
		"none":       nil,
		"triaging":   func(sum *report.Summary) bool { return sum.Status == report.StatusTriaging },
		"unassigned": func(sum *report.Summary) bool { return sum.Assignee == "" },
	}
	for name, keep := range filters {
		for _, newest := range []bool{false, true} {
			for _, limit := range []int{3, 50} {
				t.Run(fmt.Sprintf("%s newest=%v limit=%d", name, newest, limit), func(t *testing.T) {
					comparePages(t, limit, newest,
						func(after int) (*SummaryPage, error) {
							return s.OpenSummaryPage(SummaryQuery{After: after, Limit: limit, Newest: newest, Keep: keep})
						},
						func(after int) (*SummaryPage, error) {
							return summarizePage(s.OpenPage(recordQuery(SummaryQuery{After: after, Limit: limit, Newest: newest, Keep: keep})))
						})
					comparePages(t, limit, newest,
						func(after int) (*SummaryPage, error) {
							return s.ReporterSummaryPage(userID(1), SummaryQuery{After: after, Limit: limit, Newest: newest, Keep: keep})
						},
						func(after int) (*SummaryPage, error) {
							return summarizePage(s.ReporterPage(userID(1), recordQuery(SummaryQuery{After: after, Limit: limit, Newest: newest, Keep: keep})))
						})
				})
			}
		}
	}
}

func comparePages(t *testing.T, limit int, newest bool, got, want func(after int) (*SummaryPage, error)) {
	t.Helper()
	after, seen := 0, 0
	for pages := 0; ; pages++ {
		if pages > 800 {
			t.Fatal("paging does not end")
		}
		g, err := got(after)
		if err != nil {
			t.Fatal(err)
		}
		w, err := want(after)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("page after %d (limit %d, newest %v): %v next %d; records give %v next %d",
				after, limit, newest, summaryIDs(g.Summaries), g.Next, summaryIDs(w.Summaries), w.Next)
		}
		seen += len(g.Summaries)
		if g.Next == 0 {
			break
		}
		after = g.Next
	}
	if seen == 0 && limit == 50 {
		t.Log("no summary matched")
	}
}

// A shard whose open reports all close leaves the directory; a reopening
// lists it again.
func TestOpenDirectoryFollowsShards(t *testing.T) {
	_, mem := newStore(t)
	s := migrated(t, mem)
	for i := range 502 {
		mustFile(t, s, userID(i%3), "r")
	}
	dir := func() []int {
		t.Helper()
		ks, err := s.readIDs(keyOpenDir)
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	if got := dir(); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("directory %v, want [0 1]", got)
	}
	triager := report.Triager("t")
	for _, id := range []int{501, 502} {
		mustApply(t, s, id, report.ActionClose, triager, report.Input{Resolution: report.StatusInformative})
	}
	if got := dir(); !slices.Equal(got, []int{0}) {
		t.Fatalf("directory %v after shard 1 emptied, want [0]", got)
	}
	if raw := rawKey(t, mem, openSet.key(1)); raw != nil {
		t.Fatalf("an empty shard is kept: %s", raw)
	}
	mustApply(t, s, 502, report.ActionReopen, triager, report.Input{})
	if got := dir(); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("directory %v after a reopening, want [0 1]", got)
	}
	assertConsistent(t, s, mem)
}

// A researcher past 500 reports gets sealed shards; every reader still sees
// all their reports in order, and a change to an old one lands in its shard.
func TestResearcherSummariesAreSealedPast500(t *testing.T) {
	_, mem := newStore(t)
	s := migrated(t, mem)
	const n = 1203
	for i := range n {
		mustFile(t, s, "prolific", fmt.Sprint("r", i))
	}
	head, err := s.readRecord(summaryHeadKey("prolific"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(head.bounds, []int{501, 1001}) || len(head.ids) != 203 {
		t.Fatalf("head bounds %v with %d summaries; want [501 1001] and 203", head.bounds, len(head.ids))
	}
	mine, err := s.ReporterSummaries("prolific")
	if err != nil || !slices.Equal(summaryIDs(mine), seq(1, n)) {
		t.Fatalf("ReporterSummaries = %d summaries, %v", len(mine), err)
	}
	mustApply(t, s, 7, report.ActionTake, report.Triager("t"), report.Input{})
	sealed, err := s.readRecord(sealedKey("prolific", 1))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := sealed.summaries(7, 7)
	if err != nil || len(sums) != 1 || sums[0].Status != report.StatusTriaging {
		t.Fatalf("SEC-7 in sealed shard 1: %+v, %v", sums, err)
	}
	p, err := s.ReporterSummaryPage("prolific", SummaryQuery{After: 1004, Limit: 5, Newest: true})
	if err != nil || !slices.Equal(summaryIDs(p.Summaries), []int{1003, 1002, 1001, 1000, 999}) || p.Next != 999 {
		t.Fatalf("a page across the head and a sealed shard: %v next %d, %v", summaryIDs(p.Summaries), p.Next, err)
	}
	assertConsistent(t, s, mem)
}

// Many researchers' and one researcher's filings at once, crossing the seal,
// and reports toggled open and closed by many writers: afterwards every
// summary set agrees with the records. This is the race syncIndexes re-checks
// for.
func TestSummarySetsFollowConcurrentChanges(t *testing.T) {
	_, mem := newStore(t)
	s := migrated(t, mem)
	for range 480 {
		mustFile(t, s, "prolific", "r")
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			if _, err := s.File(draft("prolific", "burst"), 0, day0); err != nil {
				t.Errorf("filing %d: %v", i, err)
			}
		})
		wg.Go(func() {
			if _, err := s.File(draft(userID(i), "other"), 0, day0); err != nil {
				t.Errorf("filing by %d: %v", i, err)
			}
		})
	}
	for w := range 16 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 2))
			for range 12 {
				id := 1 + rng.IntN(8)
				_, err := s.Update(id, func(r *report.Report) error {
					if r.IsOpen() {
						r.ThreadRootID = fmt.Sprint("dm", r.ID)
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
	assertConsistent(t, s, mem)
	mine, err := s.ReporterSummaries("prolific")
	if err != nil || len(mine) != 520 {
		t.Fatalf("prolific has %d summaries, %v; want 520", len(mine), err)
	}
	if head, _ := s.readRecord(summaryHeadKey("prolific")); len(head.bounds) != 1 {
		t.Fatalf("the head was not sealed: bounds %v", head.bounds)
	}
	t.Logf("contention: %d conflicts, at most %d attempts", s.stats.conflicts.Load(), s.stats.maxAttempts.Load())
}
