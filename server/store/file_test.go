package store

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// 500 concurrent filings by 500 researchers: the ids are exactly 1..500, each
// record sits under its own id, and the counter ends at 500.
func TestIDsAreDenseUnderConcurrency(t *testing.T) {
	s, mem := newStore(t)
	const n = 500
	got := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			r, err := s.File(draft(userID(i), fmt.Sprintf("report %d", i)), 10, day0)
			errs[i] = err
			if err == nil {
				got[i] = r.ID
			}
		})
	}
	close(start)
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Fatalf("filing %d: %v", i, err)
		}
	}
	byID := map[int]int{}
	for i, id := range got {
		if prev, dup := byID[id]; dup {
			t.Fatalf("id %d given to filings %d and %d", id, prev, i)
		}
		byID[id] = i
	}
	sorted := slices.Sorted(slices.Values(got))
	if !slices.Equal(sorted, seq(1, n)) {
		t.Fatalf("ids are not exactly 1..%d: first %v last %v", n, sorted[:3], sorted[len(sorted)-3:])
	}
	for id, i := range byID {
		r, err := s.Get(id)
		if err != nil || r.Title != fmt.Sprintf("report %d", i) || r.ReporterID != userID(i) {
			t.Fatalf("record %d = %+v, %v; want filing %d", id, r, err, i)
		}
	}
	if c := string(rawKey(t, mem, keyCounter)); c != "500" {
		t.Fatalf("counter = %s, want 500", c)
	}
	if h, err := s.HighestID(); err != nil || h != n {
		t.Fatalf("HighestID = %d, %v", h, err)
	}
	t.Logf("contention: %d conflicts, at most %d attempts for one write (bound %d)",
		s.stats.conflicts.Load(), s.stats.maxAttempts.Load(), s.retry.attempts)
}

// 20 researchers each try 12 filings at once against a limit of 10 a day.
func TestFilingUnderLoad(t *testing.T) {
	s, mem := newStore(t)
	const researchers, attempts, limit = 20, 12, 10
	type outcome struct {
		user int
		r    *report.Report
		err  error
	}
	results := make(chan outcome, researchers*attempts)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for u := range researchers {
		for a := range attempts {
			wg.Go(func() {
				<-start
				r, err := s.File(draft(userID(u), fmt.Sprintf("u%d a%d", u, a)), limit, day0)
				results <- outcome{u, r, err}
			})
		}
	}
	close(start)
	wg.Wait()
	close(results)

	stored, limited, busy := 0, 0, 0
	perUser := map[int]int{}
	var filedIDs []int
	for o := range results {
		switch {
		case o.err == nil:
			stored++
			perUser[o.user]++
			filedIDs = append(filedIDs, o.r.ID)
		case errors.Is(o.err, ErrRateLimited):
			limited++
		case errors.Is(o.err, ErrBusy):
			busy++
		default:
			t.Fatalf("unexpected error: %v", o.err)
		}
	}
	if stored != researchers*limit || limited != researchers*(attempts-limit) || busy != 0 {
		t.Fatalf("stored %d, rate-limited %d, busy %d; want 200, 40, 0", stored, limited, busy)
	}
	for u := range researchers {
		if perUser[u] != limit {
			t.Errorf("%s filed %d, want %d", userID(u), perUser[u], limit)
		}
		mine, err := s.ListByReporter(userID(u))
		if err != nil || len(mine) != limit {
			t.Fatalf("ListByReporter(%s) = %d reports, %v", userID(u), len(mine), err)
		}
		for _, r := range mine {
			if r.ReporterID != userID(u) {
				t.Fatalf("%s lists %s of %s", userID(u), r.Key(), r.ReporterID)
			}
		}
		if c := string(rawKey(t, mem, dailyKey(userID(u), day0))); c != "10" {
			t.Errorf("daily counter of %s = %s", userID(u), c)
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(filedIDs)), seq(1, 200)) {
		t.Fatalf("filed ids are not 1..200: %v", slices.Sorted(slices.Values(filedIDs)))
	}
	open, err := s.ListOpen()
	if err != nil || !slices.Equal(ids(open), seq(1, 200)) {
		t.Fatalf("ListOpen = %v, %v", ids(open), err)
	}
	t.Logf("contention: %d conflicts, at most %d attempts for one write (bound %d)",
		s.stats.conflicts.Load(), s.stats.maxAttempts.Load(), s.retry.attempts)
}

// The limit counts per UTC day: the day's last millisecond is still full, the
// next day's first is fresh, and a filing time in another zone counts on its
// UTC day.
func TestDailyLimitWindow(t *testing.T) {
	s, _ := newStore(t)
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tokyo := time.FixedZone("JST", 9*3600)
	steps := []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"first of the day", day, true},
		{"second of the day", day.Add(12 * time.Hour), true},
		{"third refused", day.Add(23*time.Hour + 59*time.Minute + 59*time.Second + 999*time.Millisecond), false},
		{"next UTC day", day.Add(24 * time.Hour), true},
		// 2026-03-04 08:00 in Tokyo is 2026-03-03 23:00 UTC: the day above.
		{"same UTC day seen from Tokyo", time.Date(2026, 3, 4, 8, 0, 0, 0, tokyo), true},
		{"that day is now full", day.Add(24*time.Hour + time.Minute), false},
		{"Tokyo's next morning is a new UTC day", time.Date(2026, 3, 4, 9, 0, 0, 0, tokyo), true},
	}
	for _, st := range steps {
		_, err := s.File(draft("researcher", st.name), 2, st.now)
		if st.ok && err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !st.ok && !errors.Is(err, ErrRateLimited) {
			t.Fatalf("%s: err = %v, want ErrRateLimited", st.name, err)
		}
	}
	mine, err := s.ListByReporter("researcher")
	if err != nil || !slices.Equal(ids(mine), seq(1, 5)) {
		t.Fatalf("filed %v, %v; want ids 1..5 with no gap for the refusals", ids(mine), err)
	}
}

// Daily counters expire on their own; records and indexes never do.
func TestDailyCounterHasExpiry(t *testing.T) {
	h := &hookKV{MemoryStore: &pluginapi.MemoryStore{}}
	s := New(h)
	if _, err := s.File(draft("researcher", "x"), 10, day0); err != nil {
		t.Fatal(err)
	}
	daily := h.setsWithPrefix(prefixDailyFiled)
	if len(daily) != 1 || daily[0].opts.ExpireInSeconds != int64(dailyTTL/time.Second) || !daily[0].opts.Atomic {
		t.Fatalf("daily counter writes = %+v, want one atomic write expiring in %v", daily, dailyTTL)
	}
	for _, prefix := range []string{prefixReport, prefixReporter, keyOpen, keyCounter} {
		for _, c := range h.setsWithPrefix(prefix) {
			if c.opts.ExpireInSeconds != 0 {
				t.Fatalf("%s written with an expiry", c.key)
			}
		}
	}
}

func TestFileStoresAFiledReport(t *testing.T) {
	s, _ := newStore(t)
	d := draft("researcher", "XSS")
	d.Status, d.Version, d.Assignee = report.StatusFixed, 9, "someone" // a caller cannot pre-set these
	r, err := s.File(d, 10, day0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("stored %+v\nreturned %+v", got, r)
	}
	if got.ID != 1 || got.Status != report.StatusSubmitted || got.Version != 1 || got.Assignee != "" ||
		!got.Created.Equal(day0) || len(got.Timeline) != 1 || got.Timeline[0].Action != report.ActionSubmit {
		t.Fatalf("filed report %+v", got)
	}
	if _, err := s.File(report.Report{Title: "no reporter"}, 10, day0); err == nil {
		t.Fatal("a draft without a reporter was filed")
	}
}

// A failed record write gives the day's slot back and takes no id.
func TestFileFailureGivesBackTheSlot(t *testing.T) {
	fail := true
	h := &hookKV{MemoryStore: &pluginapi.MemoryStore{}}
	h.onSet = func(key string, _ pluginapi.KVSetOptions) (bool, bool, error) {
		if fail && key == reportKey(1) {
			return true, false, errors.New("database unavailable")
		}
		return false, false, nil
	}
	s := New(h)
	_, err := s.File(draft("researcher", "x"), 1, day0)
	if err == nil || errors.Is(err, ErrBusy) {
		t.Fatalf("File = %v, want the database error", err)
	}
	if c := string(rawKey(t, h, dailyKey("researcher", day0))); c != "0" {
		t.Fatalf("daily counter after failure = %q, want 0", c)
	}
	fail = false
	r, err := s.File(draft("researcher", "x"), 1, day0)
	if err != nil || r.ID != 1 {
		t.Fatalf("retry = %v, %v; want SEC-1 (the slot and the id were not consumed)", r, err)
	}
}

// When every compare-and-set loses, File gives up after the bound with ErrBusy,
// stores nothing and gives the slot back.
func TestFileBusyAfterBound(t *testing.T) {
	h := &hookKV{MemoryStore: &pluginapi.MemoryStore{}}
	h.onSet = func(key string, o pluginapi.KVSetOptions) (bool, bool, error) {
		if o.Atomic && strings.HasPrefix(key, prefixReport) {
			return true, false, nil // someone else always wins
		}
		return false, false, nil
	}
	s := New(h)
	s.retry = fastRetry
	_, err := s.File(draft("researcher", "x"), 3, day0)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("File = %v, want ErrBusy", err)
	}
	if n := len(h.setsWithPrefix(prefixReport)); n != fastRetry.attempts {
		t.Fatalf("%d record write attempts, want exactly the bound %d", n, fastRetry.attempts)
	}
	if c := string(rawKey(t, h, dailyKey("researcher", day0))); c != "0" {
		t.Fatalf("daily counter = %q, want the slot given back", c)
	}
	if raw := rawKey(t, h, keyCounter); raw != nil {
		t.Fatalf("counter = %s after a failed filing", raw)
	}
}

// A crash after the record write is simulated by failing the counter and index
// writes: the report is stored and found, the warning is logged, the next filing
// does not reuse the id, and the consistency check restores the indexes.
func TestFileIndexFailureIsRepaired(t *testing.T) {
	failing := true
	h := &hookKV{MemoryStore: &pluginapi.MemoryStore{}}
	h.onSet = func(key string, _ pluginapi.KVSetOptions) (bool, bool, error) {
		if failing && (key == keyCounter || key == keyOpen || key == reporterKey("researcher")) {
			return true, false, errors.New("connection reset")
		}
		return false, false, nil
	}
	log := &recordingLogger{}
	s := New(h, WithLogger(log))
	r, err := s.File(draft("researcher", "x"), 10, day0)
	if err != nil {
		t.Fatalf("File = %v; the record was stored, so filing succeeded", err)
	}
	if log.count() != 2 {
		t.Fatalf("%d warnings, want 2 (counter, indexes): %v", log.count(), log.messages)
	}
	if got, err := s.Get(r.ID); err != nil || got.Title != "x" {
		t.Fatalf("Get = %v, %v", got, err)
	}
	failing = false
	second := mustFile(t, s, "other", "y")
	if second.ID != 2 {
		t.Fatalf("second filing got %s, want SEC-2 (the counter lagged, the record did not)", second.Key())
	}
	if open, _ := s.ListOpen(); !slices.Equal(ids(open), []int{2}) {
		t.Fatalf("before reconciliation open = %v, want [2]", ids(open))
	}
	res := checkAll(t, s)
	if len(res.Repairs) != 2 {
		t.Fatalf("repairs = %+v, want the open and reporter entries of SEC-1", res.Repairs)
	}
	open, _ := s.ListOpen()
	mine, _ := s.ListByReporter("researcher")
	if !slices.Equal(ids(open), []int{1, 2}) || !slices.Equal(ids(mine), []int{1}) {
		t.Fatalf("after reconciliation open = %v, researcher = %v", ids(open), ids(mine))
	}
}
