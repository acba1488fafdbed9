package store

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// layout1Store builds what wave 1 left behind, with wave 1's code path: the
// same File and Update, writing the layout-1 keys only. "prolific" files 520
// reports, so the migration seals a head; the others are worked into every
// state.
func layout1Store(t *testing.T, clock *fakeClock) *pluginapi.MemoryStore {
	t.Helper()
	mem := &pluginapi.MemoryStore{}
	s := New(mem, WithClock(clock.now))
	s.layout1Only = true
	triager := report.Triager("t")
	for i := range 1100 {
		who := "prolific"
		if i%2 == 1 {
			who = userID(i % 7)
		}
		r := mustFile(t, s, who, fmt.Sprint("report ", i))
		switch i % 6 {
		case 1:
			mustApply(t, s, r.ID, report.ActionTake, triager, report.Input{At: clock.now()})
		case 2:
			if _, err := s.Update(r.ID, func(r *report.Report) error {
				r.CardPostID, r.ThreadRootID = fmt.Sprint("card", r.ID), fmt.Sprint("dm", r.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			mustApply(t, s, r.ID, report.ActionClose, triager, report.Input{At: clock.now(), Resolution: report.StatusDuplicate, DuplicateOf: 1})
		case 3:
			for _, a := range []report.Action{report.ActionTake, report.ActionConfirm} {
				mustApply(t, s, r.ID, a, triager, report.Input{At: clock.now()})
			}
			mustApply(t, s, r.ID, report.ActionFix, triager, report.Input{At: clock.now(), FixedIn: []report.FixedVersion{{Version: "11.5.1"}}})
		}
	}
	keys, err := mem.ListKeys(0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.HasPrefix(k, "v2/") {
			t.Fatalf("layout 1 wrote %s", k)
		}
	}
	return mem
}

// fallbackView is what the readers answer from records through the layout-1
// indexes.
type fallbackView struct {
	open, fixed, prolific, other, archive []report.Summary
	queuePage, minePage                   *SummaryPage
}

func viewFromRecords(t *testing.T, s *Store) fallbackView {
	t.Helper()
	var v fallbackView
	var err error
	check := func(e error) {
		t.Helper()
		if e != nil {
			t.Fatal(e)
		}
	}
	v.open, err = summarizeAll(s.ListOpen, nil)
	check(err)
	v.fixed, err = summarizeAll(s.ListFixed, nil)
	check(err)
	v.prolific, err = summarizeAll(func() ([]*report.Report, error) { return s.ListByReporter("prolific") }, nil)
	check(err)
	v.other, err = summarizeAll(func() ([]*report.Report, error) { return s.ListByReporter(userID(3)) }, nil)
	check(err)
	highest, _ := s.HighestID()
	v.archive, err = s.summariesFromRecords(1, highest)
	check(err)
	v.queuePage, err = summarizePage(s.OpenPage(PageQuery{After: 900, Limit: 20, Newest: true}))
	check(err)
	v.minePage, err = summarizePage(s.ReporterPage("prolific", PageQuery{After: 700, Limit: 30}))
	check(err)
	return v
}

func viewFromReaders(t *testing.T, s *Store) fallbackView {
	t.Helper()
	var v fallbackView
	var err error
	check := func(e error) {
		t.Helper()
		if e != nil {
			t.Fatal(e)
		}
	}
	v.open, err = s.OpenSummaries()
	check(err)
	v.fixed, err = s.FixedSummaries()
	check(err)
	v.prolific, err = s.ReporterSummaries("prolific")
	check(err)
	v.other, err = s.ReporterSummaries(userID(3))
	check(err)
	highest, _ := s.HighestID()
	v.archive, err = s.Summaries(1, highest)
	check(err)
	v.queuePage, err = s.OpenSummaryPage(SummaryQuery{After: 900, Limit: 20, Newest: true})
	check(err)
	v.minePage, err = s.ReporterSummaryPage("prolific", SummaryQuery{After: 700, Limit: 30})
	check(err)
	return v
}

// The migration runs in small steps on different servers, some of which die
// mid-step, while new code files and changes reports, some not migrated yet.
// Meanwhile the readers answer from records; once it is done they answer from
// summaries, the same.
func TestMigrationFromLayout1(t *testing.T) {
	clock := newClock(at1)
	mem := layout1Store(t, clock)
	writer := New(mem, WithClock(clock.now))
	before := viewFromRecords(t, writer)
	if during := viewFromReaders(t, writer); !reflect.DeepEqual(during, before) {
		t.Fatal("before the migration the readers do not answer from records")
	}

	steps, crashes, busy := 0, 0, 0
	for done := false; !done; steps++ {
		if steps > 200 {
			t.Fatal("the migration does not finish")
		}
		server := New(mem, WithClock(clock.now))
		if steps%5 == 2 {
			// This server dies in the middle of its step, holding the lease.
			dying := New(&crashKV{MemoryStore: mem, limit: 1 + steps%9}, WithClock(clock.now))
			if _, err := dying.MigrateStep(37); err == nil {
				t.Fatalf("step %d: the dying server's step succeeded", steps)
			}
			crashes++
			p, err := server.MigrateStep(37)
			if err != nil || !p.Busy {
				t.Fatalf("step %d: beside a held lease MigrateStep = %+v, %v; want busy", steps, p, err)
			}
			busy++
			clock.advance(migrationLease)
		}
		p, err := server.MigrateStep(37)
		if err != nil {
			t.Fatalf("step %d: %v", steps, err)
		}
		done = p.Done
		if ok, _ := New(mem).Migrated(); ok != done {
			t.Fatalf("step %d: Migrated = %v, progress %+v", steps, ok, p)
		}
		if steps == 10 {
			// New code at work during the migration: a filing, and a change
			// to a report the migration has not reached.
			mustFile(t, writer, "prolific", "during the migration")
			mustApply(t, writer, 1001, report.ActionClose, report.Triager("t"), report.Input{At: clock.now(), Resolution: report.StatusInformative})
		}
	}
	t.Logf("%d steps, %d servers died mid-step, %d steps found the lease held", steps, crashes, busy)

	reader := New(mem, WithClock(clock.now))
	want, got := viewFromRecords(t, reader), viewFromReaders(t, reader)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after the migration the summary readers differ from the records:\nopen %v / %v\nprolific %d / %d\nqueue page %v / %v",
			summaryIDs(got.open), summaryIDs(want.open), len(got.prolific), len(want.prolific),
			summaryIDs(got.queuePage.Summaries), summaryIDs(want.queuePage.Summaries))
	}
	if len(want.prolific) != 551 || len(want.open) == 0 || len(want.fixed) == 0 {
		t.Fatalf("the fixture should fill every reader: %d prolific, %d open, %d fixed", len(want.prolific), len(want.open), len(want.fixed))
	}
	if head, _ := reader.readRecord(summaryHeadKey("prolific")); len(head.bounds) != 1 {
		t.Fatalf("the migration did not seal prolific's head: bounds %v", head.bounds)
	}
	assertConsistent(t, reader, mem)
	if p, err := reader.MigrateStep(37); err != nil || !p.Done || p.Repairs != 0 {
		t.Fatalf("a step after the end = %+v, %v; want done, nothing written", p, err)
	}
}

// A new installation has nothing to migrate: the first step finishes.
func TestMigrationOfAnEmptyStore(t *testing.T) {
	s, _ := newStore(t)
	if ok, err := s.Migrated(); err != nil || ok {
		t.Fatalf("Migrated before any step = %v, %v", ok, err)
	}
	p, err := s.MigrateStep(1)
	if err != nil || !p.Done || p.Next != 1 {
		t.Fatalf("first step = %+v, %v", p, err)
	}
	if ok, err := s.Migrated(); err != nil || !ok {
		t.Fatalf("Migrated after it = %v, %v", ok, err)
	}
	if _, err := s.MigrateStep(0); err == nil {
		t.Fatal("a zero budget was accepted")
	}
}

// Two servers stepping at once: one holds the lease, the other does nothing
// until the lease has expired or been released.
func TestMigrationLease(t *testing.T) {
	clock := newClock(at1)
	_, mem := healthyStore(t)
	a, b := New(mem, WithClock(clock.now)), New(mem, WithClock(clock.now))
	held := migrationState{Next: 1, Owner: a.instance, Until: clock.now().Add(migrationLease).UnixMilli()}
	if ok, err := a.writeMigration(nil, held); err != nil || !ok {
		t.Fatal(err)
	}
	if p, err := b.MigrateStep(2); err != nil || !p.Busy || p.Next != 1 {
		t.Fatalf("b beside a's lease = %+v, %v", p, err)
	}
	if p, err := a.MigrateStep(2); err != nil || p.Busy || p.Next != 3 {
		t.Fatalf("a renewing its own lease = %+v, %v", p, err)
	}
	if p, err := b.MigrateStep(2); err != nil || p.Busy || p.Next != 5 {
		t.Fatalf("b after a released the lease = %+v, %v", p, err)
	}
	clock.advance(time.Second)
	if p, err := a.MigrateStep(2); err != nil || !p.Done {
		t.Fatalf("the last step = %+v, %v", p, err)
	}
}

// One step that adds a prolific researcher's whole history still leaves
// sealed shards of 500.
func TestMigrationSealsInShardsOf500(t *testing.T) {
	mem := &pluginapi.MemoryStore{}
	old := New(mem)
	old.layout1Only = true
	for range 1203 {
		mustFile(t, old, "prolific", "r")
	}
	s := migrated(t, mem)
	head, err := s.readRecord(summaryHeadKey("prolific"))
	if err != nil || !slices.Equal(head.bounds, []int{501, 1001}) || len(head.ids) != 203 {
		t.Fatalf("head bounds %v, %d summaries, %v; want [501 1001] and 203", head.bounds, len(head.ids), err)
	}
	for j := 1; j <= 2; j++ {
		shard, err := s.readRecord(sealedKey("prolific", j))
		if err != nil || len(shard.ids) != reporterHeadMax {
			t.Fatalf("sealed shard %d holds %d, %v", j, len(shard.ids), err)
		}
	}
	assertConsistent(t, s, mem)
}
