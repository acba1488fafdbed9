package service_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// countingKV counts the KV reads going through it: each is a round trip to
// the server in production.
type countingKV struct {
	store.KV
	gets atomic.Int64
}

func (c *countingKV) Get(key string, out any) error {
	c.gets.Add(1)
	return c.KV.Get(key, out)
}

// reads is how many KV reads run makes.
func (c *countingKV) reads(run func()) int {
	before := c.gets.Load()
	run()
	return int(c.gets.Load() - before)
}

// The history the readers are measured on: one report filed every other day
// (so 45 in the stats window), the newest scaleOpen still open, the
// scaleFixed before them fixed and waiting for disclosure, every other one
// closed. scaleResearcher filed the newest scalePage reports whatever the
// size, so their list is the same length; 200 others filed the rest.
const (
	scaleOpen  = 30
	scaleFixed = 10
	scalePage  = 50
)

var scaleStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const scaleResearcher = "researcher"

func scaleReporter(id, n int) string {
	if id > n-scalePage {
		return scaleResearcher
	}
	return fmt.Sprintf("researcher%d", id%200)
}

// scaleStore files n reports through the store's own writes on kv, and
// returns the end of the history. A migrated store reads summaries; one that
// never ran its migration reads records through the layout-1 indexes.
func scaleStore(t testing.TB, kv store.KV, n int, migrated bool) time.Time {
	t.Helper()
	st := store.New(kv)
	if migrated {
		_, err := st.MigrateStep(1) // a new installation: nothing to migrate
		require.NoError(t, err)
	}
	triager := report.Triager("triager")
	at := scaleStart
	for id := 1; id <= n; id++ {
		at = scaleStart.Add(time.Duration(id) * 48 * time.Hour)
		f := validFiling(fmt.Sprintf("Seeded report %d", id)).Report
		f.ReporterID = scaleReporter(id, n)
		r, err := st.File(f, 0, at)
		require.NoError(t, err)
		var steps []report.Action
		switch {
		case id > n-scaleOpen:
		case id > n-scaleOpen-scaleFixed:
			steps = []report.Action{report.ActionTake, report.ActionConfirm, report.ActionFix}
		default:
			steps = []report.Action{report.ActionTake, report.ActionClose}
		}
		for _, a := range steps {
			in := report.Input{At: at.Add(time.Hour), Resolution: report.StatusInformative,
				FixedIn: []report.FixedVersion{{Version: "11.5.1"}}}
			_, err := st.Update(r.ID, func(cur *report.Report) error {
				_, err := report.Apply(cur, a, triager, in)
				return err
			})
			require.NoError(t, err, "seed %d: %s", id, a)
		}
	}
	return at
}

// scaleEnv is the use cases on a seeded store of n reports, every KV read
// counted, at the end of the history plus a day.
type scaleEnv struct {
	kv  *countingKV
	svc *servicetest.Env
	now time.Time
	n   int
}

func newScaleEnv(t testing.TB, n int, migrated bool) *scaleEnv {
	kv := &countingKV{KV: &pluginapi.MemoryStore{}}
	end := scaleStore(t, kv, n, migrated)
	e := &scaleEnv{kv: kv, now: end.Add(24 * time.Hour), n: n}
	clocks := config.Defaults().Clocks
	e.svc = servicetest.New(servicetest.Options{
		KV:         kv,
		Directory:  servicetest.Directory{"triager": true, "admin": true},
		Clocks:     func() config.Clocks { return clocks },
		Disclosure: servicetest.Fixed(config.Disclosure{DelayDays: 100_000}), // nothing falls due
		Now:        func() time.Time { return e.now },
	})
	return e
}

// Every reader of lists costs the same KV reads whether the store holds 60
// reports or 10,000: the summary sets it reads hold the same open, fixed and
// recent reports, and a REST page reads its rows' records beside them. The
// old readers read one record per report listed, walked, or in the window.
func TestListReadersDoNotGrowWithTheHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a large store")
	}
	small, large := newScaleEnv(t, 60, true), newScaleEnv(t, 10_000, true)
	readers := []struct {
		name string
		run  func(t *testing.T, e *scaleEnv) int // the rows it lists (0: not a list)
	}{
		{"/security queue", func(t *testing.T, e *scaleEnv) int {
			sums, err := e.svc.Triage.Queue("triager")
			require.NoError(t, err)
			return len(sums)
		}},
		{"REST queue, a page", func(t *testing.T, e *scaleEnv) int {
			p, err := e.svc.Triage.QueuePage("triager", service.QueueFilter{Limit: scalePage})
			require.NoError(t, err)
			return len(p.Reports)
		}},
		{"REST queue, filtered, newest first", func(t *testing.T, e *scaleEnv) int {
			p, err := e.svc.Triage.QueuePage("triager", service.QueueFilter{Status: report.StatusSubmitted, Newest: true, Limit: 10})
			require.NoError(t, err)
			return len(p.Reports)
		}},
		{"/security mine", func(t *testing.T, e *scaleEnv) int {
			sums, err := e.svc.Intake.Mine(scaleResearcher)
			require.NoError(t, err)
			return len(sums)
		}},
		{"REST mine, a page", func(t *testing.T, e *scaleEnv) int {
			p, err := e.svc.Intake.MinePage(scaleResearcher, 0, scalePage)
			require.NoError(t, err)
			return len(p.Reports)
		}},
		{"stats", func(t *testing.T, e *scaleEnv) int {
			st, err := e.svc.Clocks.Stats("triager")
			require.NoError(t, err)
			return st.Reports
		}},
		{"admin stats", func(t *testing.T, e *scaleEnv) int {
			st, err := e.svc.Clocks.AdminStats("admin")
			require.NoError(t, err)
			return st.Reports
		}},
		{"follow-up job, digest and disclosures", func(t *testing.T, e *scaleEnv) int {
			e.svc.Clocks.RunJob()
			return 0
		}},
		{"follow-up job, next run", func(t *testing.T, e *scaleEnv) int {
			// Every reminder went out in the run before: the summaries, one
			// follow-up record per overdue report (its claims), and no
			// report record.
			e.svc.Clocks.RunJob()
			return 0
		}},
	}
	// What the summary readers cost at most, given the rows they list.
	mostReads := map[string]int{
		"/security queue":                    3,
		"REST queue, a page":                 3 + scaleOpen,
		"REST queue, filtered, newest first": 3 + 10,
		"/security mine":                     2,
		"REST mine, a page":                  2 + scalePage,
		"stats":                              4,
		"follow-up job, next run":            scaleOpen + 6,
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			var smallRows, largeRows int
			smallReads := small.kv.reads(func() { smallRows = rd.run(t, small) })
			largeReads := large.kv.reads(func() { largeRows = rd.run(t, large) })
			t.Logf("%d rows; KV reads: %d with 60 reports, %d with %d", largeRows, smallReads, largeReads, large.n)
			assert.Equal(t, smallRows, largeRows, "both histories list the same number of rows")
			if rd.name == "Hall of Fame reconcile" {
				// One archive shard per 500 reports: the only reader that
				// goes through every summary, as the repair it is.
				assert.LessOrEqual(t, largeReads, smallReads+large.n/500, "reads: %d with 60 reports, %d with %d", smallReads, largeReads, large.n)
				return
			}
			assert.Equal(t, smallReads, largeReads, "reads with 60 reports and with %d", large.n)
			if most, ok := mostReads[rd.name]; ok {
				assert.LessOrEqual(t, largeReads, most)
			}
		})
	}
}

// The readers answer on the summaries exactly as on the records: a store
// that never ran its migration reads records through the layout-1 indexes
// (the readers of wave 1, summarized), one that did reads summaries.
func TestListReadersAnswerTheSameOnSummariesAndRecords(t *testing.T) {
	const n = 300
	records, summaries := newScaleEnv(t, n, false), newScaleEnv(t, n, true)
	cases := []struct {
		name string
		read func(t *testing.T, e *servicetest.Env) any
	}{
		{"queue", func(t *testing.T, e *servicetest.Env) any {
			v, err := e.Triage.Queue("triager")
			require.NoError(t, err)
			require.Len(t, v, scaleOpen)
			return v
		}},
		{"queue page after a cursor", func(t *testing.T, e *servicetest.Env) any {
			v, err := e.Triage.QueuePage("triager", service.QueueFilter{Limit: 7, After: n - 20})
			require.NoError(t, err)
			require.Len(t, v.Reports, 7)
			return v
		}},
		{"queue page, filtered, newest first", func(t *testing.T, e *servicetest.Env) any {
			v, err := e.Triage.QueuePage("triager", service.QueueFilter{Status: report.StatusSubmitted, Rating: report.RatingCritical, Newest: true, Limit: 4})
			require.NoError(t, err)
			require.Len(t, v.Reports, 4)
			return v
		}},
		{"mine", func(t *testing.T, e *servicetest.Env) any {
			v, err := e.Intake.Mine(scaleResearcher)
			require.NoError(t, err)
			require.Len(t, v, scalePage)
			return v
		}},
		{"mine page", func(t *testing.T, e *servicetest.Env) any {
			v, err := e.Intake.MinePage(scaleResearcher, 0, 3)
			require.NoError(t, err)
			require.Len(t, v.Reports, 3)
			return v
		}},
		{"stats", func(t *testing.T, e *servicetest.Env) any {
			v, err := e.Clocks.Stats("triager")
			require.NoError(t, err)
			require.Equal(t, 45, v.Reports, "one report every other day")
			return v
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.read(t, records.svc), c.read(t, summaries.svc))
		})
	}
}
