package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

var end = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

const (
	realReporter = "realreporter00000000000001"
	realTriager  = "realtriager000000000000001"
	channelID    = "triagechannel0000000000001"
)

func options(n int, reporters ...string) Options {
	return Options{Reports: n, Researchers: 200, Credited: 40, Seed: 7, Now: end, PageSize: 50,
		RealReporters: reporters, RealTriagers: []string{realTriager}, TriageChannelID: channelID}
}

func seeded(t *testing.T, o Options) (*seeder, *pluginapi.MemoryStore) {
	t.Helper()
	kv := &pluginapi.MemoryStore{}
	st, err := newInstallation(kv)
	require.NoError(t, err)
	s := newSeeder(o, st)
	require.NoError(t, s.run())
	return s, kv
}

func TestHistoryFollowsTheMix(t *testing.T) {
	tests := []struct {
		name                  string
		opts                  Options
		open, disclosed, real int
	}{
		{"none", options(0, realReporter), 0, 0, 0},
		{"one", options(1), 1, 0, 0},
		{"a page of everything", options(60, realReporter), 50, 1, 50},
		{"1 in 20 open, 1 in 50 disclosed", options(1200, realReporter), 60, 24, 50},
		{"two real reporters share a page each", options(1200, realReporter, "realreporter00000000000002"), 60, 24, 2 * 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := seeded(t, tt.opts)
			st := s.store
			highest, err := st.HighestID()
			require.NoError(t, err)
			assert.Equal(t, tt.opts.Reports, highest, "ids 1..N")

			open, err := st.OpenSummaries()
			require.NoError(t, err)
			assert.Len(t, open, tt.open)
			updates, err := st.Advisories()
			require.NoError(t, err)
			assert.Equal(t, tt.disclosed, updates.Count, "one public advisory per disclosed report")
			assert.Equal(t, tt.disclosed, s.tally.advisories)

			real := 0
			for _, id := range tt.opts.RealReporters {
				mine, err := st.ReporterSummaries(id)
				require.NoError(t, err)
				real += len(mine)
			}
			assert.Equal(t, tt.real, real, "the real reporters' reports")

			counts := map[report.Status]int{}
			for id := 1; id <= highest; id++ {
				r, err := st.Get(id)
				require.NoError(t, err)
				counts[r.Status]++
			}
			assert.Equal(t, tt.disclosed, counts[report.StatusDisclosed])
			closed := counts[report.StatusDuplicate] + counts[report.StatusNotApplicable] + counts[report.StatusInformative]
			assert.Equal(t, tt.opts.Reports-tt.open-tt.disclosed, closed, "the rest is closed")
			assert.Zero(t, counts[report.StatusFixed], "every fixed report was disclosed")
		})
	}
}

// TestIndexesAndAggregatesAgreeWithTheRecords checks, with the store's own
// reads, what a crash-free plugin guarantees: every list, link and public
// aggregate matches the records.
func TestIndexesAndAggregatesAgreeWithTheRecords(t *testing.T) {
	s, _ := seeded(t, options(1000, realReporter))
	st := s.store
	highest, err := st.HighestID()
	require.NoError(t, err)

	wantOpen, byReporter := map[int]bool{}, map[string][]int{}
	advisoryOwners := map[string]int{}
	credited := map[string]bool{}
	for id := 1; id <= highest; id++ {
		r, err := st.Get(id)
		require.NoError(t, err)
		assert.Equal(t, channelID, r.TriageChannelID)
		assert.Equal(t, r.Version, len(r.Timeline)+1, "%s: one version per event, plus the link of card and receipt", r.Key())
		if r.IsOpen() {
			wantOpen[id] = true
		}
		byReporter[r.ReporterID] = append(byReporter[r.ReporterID], id)
		for _, post := range []string{r.CardPostID, r.ThreadRootID} {
			require.True(t, model.IsValidId(post), "%s links a post id %q", r.Key(), post)
			linked, err := st.FindByPost(post)
			require.NoError(t, err)
			assert.Equal(t, id, linked.ID)
		}
		if r.Status == report.StatusDisclosed {
			require.NotEmpty(t, r.AdvisoryID)
			_, dup := advisoryOwners[r.AdvisoryID]
			assert.False(t, dup, "advisory id %s is unique", r.AdvisoryID)
			advisoryOwners[r.AdvisoryID] = id
			if r.WantsCredit {
				credited[r.ReporterID] = true
			}
		}
		if r.Status == report.StatusDuplicate {
			assert.Less(t, r.DuplicateOf, id, "%s duplicates an earlier report", r.Key())
			assert.Positive(t, r.DuplicateOf)
		}
	}

	open, err := st.OpenSummaries()
	require.NoError(t, err)
	assert.Len(t, open, len(wantOpen))
	for _, r := range open {
		assert.True(t, wantOpen[r.ID], "%s is listed open", r.Key())
	}
	for reporter, ids := range byReporter {
		list, err := st.ReporterSummaries(reporter)
		require.NoError(t, err)
		var got []int
		for _, r := range list {
			got = append(got, r.ID)
		}
		assert.Equal(t, ids, got, "the reports of %s", reporter)
	}

	updates, err := st.Advisories()
	require.NoError(t, err)
	advisories, err := updates.Newest(0, updates.Count)
	require.NoError(t, err)
	for _, a := range advisories {
		assert.Equal(t, advisoryOwners[a.ID], a.ReportID, "advisory %s", a.ID)
	}
	assert.Len(t, advisories, len(advisoryOwners))
	rev, err := st.SecurityUpdatesRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(len(advisories)), rev, "the revision key follows the list: one change each")

	hall, err := st.HallOfFame()
	require.NoError(t, err)
	assert.Len(t, hall.Entries(), len(credited), "one Hall of Fame line per credited researcher")
	hallRev, err := st.HallOfFameRevision()
	require.NoError(t, err)
	assert.Equal(t, hall.Rev, hallRev)
}

func TestSameSeedSameRows(t *testing.T) {
	dump := func(o Options) []byte {
		_, kv := seeded(t, o)
		var buf bytes.Buffer
		_, err := writeRows(&buf, "com.example.plugin", kv)
		require.NoError(t, err)
		return buf.Bytes()
	}
	a, b := dump(options(300, realReporter)), dump(options(300, realReporter))
	assert.Equal(t, a, b, "one seed, one history")
	other := options(300, realReporter)
	other.Seed++
	assert.NotEqual(t, a, dump(other), "another seed, another history")
}

func TestRowsAreTheStoredBytes(t *testing.T) {
	_, kv := seeded(t, options(120, realReporter))
	var buf bytes.Buffer
	st, err := writeRows(&buf, "com.example.plugin", kv)
	require.NoError(t, err)
	keys, err := kv.ListKeys(0, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, len(keys), st.keys)

	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 64<<20)
	rows := 0
	var total int64
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		require.Len(t, fields, 4, "pluginid, pkey, pvalue, expireat")
		assert.Equal(t, "com.example.plugin", fields[0])
		assert.Equal(t, "0", fields[3], "no expiry")
		require.True(t, strings.HasPrefix(fields[2], `\\x`), "bytea hex, backslash escaped for COPY")
		value, err := hex.DecodeString(strings.TrimPrefix(fields[2], `\\x`))
		require.NoError(t, err)
		var stored []byte
		require.NoError(t, kv.Get(fields[1], &stored))
		assert.Equal(t, stored, value, "key %s", fields[1])
		rows++
		total += int64(len(value))
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, st.keys, rows)
	assert.Equal(t, st.bytes, total)
}

func TestReportTextsHaveRealisticLengths(t *testing.T) {
	s, _ := seeded(t, options(200))
	for id := 1; id <= 200; id++ {
		r, err := s.store.Get(id)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(r.Description), 300, "%s description", r.Key())
		assert.LessOrEqual(t, len(r.Description), 3200, "%s description", r.Key())
		assert.GreaterOrEqual(t, len(r.Steps), 150, "%s steps", r.Key())
		assert.GreaterOrEqual(t, len(r.Impact), 80, "%s impact", r.Key())
		assert.LessOrEqual(t, len(r.Title), report.MaxTitleRunes, "%s title", r.Key())
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"negative", []string{"-reports", "-1"}, "negative"},
		{"no researchers", []string{"-reports", "5", "-researchers", "0"}, "researcher"},
		{"more credited than researchers", []string{"-reports", "5", "-researchers", "3", "-credited", "4"}, "credited"},
		{"bad end", []string{"-reports", "5", "-now", "yesterday"}, "-now"},
		{"stray argument", []string{"-reports", "5", "extra"}, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(tt.args, &out, &errOut)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Zero(t, out.Len(), "no rows on a refusal")
		})
	}
}

func TestRunWritesRowsAndASummary(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"-reports", "60", "-now", "2026-12-01T00:00:00Z", "-reporters", realReporter, "-researchers", "50", "-credited", "10"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "seed: 60 reports (50 open, 1 disclosed, 9 closed), 1 public advisories")
	assert.Contains(t, errOut.String(), "real reporter "+realReporter+" files 50 reports")
	assert.True(t, strings.HasPrefix(out.String(), "com.mattermost.responsible-disclosure\tv1/"), "rows of the plugin's id")
}
