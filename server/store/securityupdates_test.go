package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// advisory is the public advisory of report i, published i hours after day0.
func advisory(i int) report.PublicAdvisory {
	at := day0.Add(time.Duration(i) * time.Hour)
	return report.PublicAdvisory{ID: fmt.Sprintf("MMSA-2026-%d", i), ReportID: i, Version: 1, Title: fmt.Sprintf("Advisory %d", i),
		FixedIn: []report.FixedVersion{{Version: fmt.Sprintf("1.%d.0", i)}}, Published: at, Modified: at}
}

// convertedStore is a new installation's store: the conversion found nothing.
func convertedStore(t *testing.T, kv KV) *Store {
	t.Helper()
	s := New(kv)
	_, err := s.ConvertSecurityUpdates()
	require.NoError(t, err)
	return s
}

// allAdvisories lists every public advisory, newest first, by report id.
func allAdvisories(t *testing.T, s *Store) []int {
	t.Helper()
	list, err := s.Advisories()
	require.NoError(t, err)
	all, err := list.Newest(0, list.Count)
	require.NoError(t, err)
	out := make([]int, len(all))
	for i, a := range all {
		out[i] = a.ReportID
	}
	return out
}

func TestAdvisoriesAreListedNewestFirstInPages(t *testing.T) {
	s := convertedStore(t, &pluginapi.MemoryStore{})
	const n = 2*advisoryShardSize + 87
	for i := 1; i <= n; i++ {
		held, err := s.ReserveAdvisoryID(advisory(i).ID, i)
		require.NoError(t, err)
		require.True(t, held)
		changed, err := s.PutAdvisory(advisory(i))
		require.NoError(t, err)
		require.True(t, changed)
	}
	list, err := s.Advisories()
	require.NoError(t, err)
	assert.Equal(t, n, list.Count)
	tests := []struct {
		name     string
		from, to int
		want     []int // report ids, newest first
	}{
		{"first page", 0, 50, seqDown(n, n-49)},
		{"a page across two shards", 50, 100, seqDown(n-50, n-99)},
		{"the last, short page", 250, 300, seqDown(n-250, 1)},
		{"past the end", 300, 350, nil},
	}
	for _, tt := range tests {
		page, err := list.Newest(tt.from, tt.to)
		require.NoError(t, err, tt.name)
		var got []int
		for _, a := range page {
			got = append(got, a.ReportID)
		}
		assert.Equal(t, tt.want, got, tt.name)
	}
	rev, err := s.SecurityUpdatesRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(n), rev, "every change raises the revision")

	// The same advisory again changes nothing; a newer version replaces
	// it in place, keeping its publication date; an older one is ignored.
	changed, err := s.PutAdvisory(advisory(5))
	require.NoError(t, err)
	assert.False(t, changed)
	newer := advisory(5)
	newer.Version, newer.Title, newer.Published = 2, "Retitled", day0.Add(1000*time.Hour)
	changed, err = s.PutAdvisory(newer)
	require.NoError(t, err)
	assert.True(t, changed)
	stale := advisory(5)
	changed, err = s.PutAdvisory(stale)
	require.NoError(t, err)
	assert.False(t, changed)
	got, ok, err := s.AdvisoryByID("mmsa-2026-5")
	require.NoError(t, err)
	require.True(t, ok, "found by id in any case, once its owner is known")
	assert.Equal(t, "Retitled", got.Title)
	assert.Equal(t, advisory(5).Published, got.Published)
	assert.Equal(t, seqDown(n, 1), allAdvisories(t, s), "in place: the order did not change")
	rev, _ = s.SecurityUpdatesRevision()
	assert.Equal(t, int64(n+1), rev)
}

// seqDown is hi, hi-1, ..., lo.
func seqDown(hi, lo int) []int {
	var out []int
	for i := hi; i >= lo; i-- {
		out = append(out, i)
	}
	return out
}

func TestAdvisoryByIDFindsOnlyPublicAdvisories(t *testing.T) {
	s := convertedStore(t, &pluginapi.MemoryStore{})
	for i := 1; i <= 3; i++ {
		held, err := s.ReserveAdvisoryID(advisory(i).ID, i)
		require.NoError(t, err)
		require.True(t, held)
	}
	_, err := s.PutAdvisory(advisory(1))
	require.NoError(t, err)
	_, err = s.PutAdvisory(advisory(2))
	require.NoError(t, err)
	// Report 2's advisory id changes after publication: the old id is
	// released and the new one reserved, as an advisory edit does.
	renamed := advisory(2)
	renamed.ID, renamed.Version = "MMSA-2026-77", 2
	held, err := s.ReserveAdvisoryID(renamed.ID, 2)
	require.NoError(t, err)
	require.True(t, held)
	require.NoError(t, s.ReleaseAdvisoryID(advisory(2).ID, 2))
	_, err = s.PutAdvisory(renamed)
	require.NoError(t, err)

	tests := []struct {
		id   string
		want int // report id; 0: not public
	}{
		{"MMSA-2026-1", 1},
		{"mmsa-2026-1", 1},
		{"MMSA-2026-77", 2},
		{"MMSA-2026-2", 0},  // the old id of a renamed advisory
		{"MMSA-2026-3", 0},  // reserved, not published (embargoed)
		{"MMSA-2026-99", 0}, // unknown
		{"", 0},
	}
	for _, tt := range tests {
		a, ok, err := s.AdvisoryByID(tt.id)
		require.NoError(t, err, tt.id)
		if tt.want == 0 {
			assert.False(t, ok, tt.id)
			continue
		}
		require.True(t, ok, tt.id)
		assert.Equal(t, tt.want, a.ReportID, tt.id)
	}
}

// Writers of different reports, and several writers of one report, race:
// every advisory is listed exactly once, in full shards, with its newest
// version.
func TestConcurrentPublicationsListEachAdvisoryOnce(t *testing.T) {
	s := convertedStore(t, &pluginapi.MemoryStore{})
	const reports = advisoryShardSize + 60
	var wg sync.WaitGroup
	for i := 1; i <= reports; i++ {
		for v := 1; v <= 3; v++ {
			wg.Go(func() {
				a := advisory(i)
				a.Version, a.Title = v, fmt.Sprintf("Advisory %d v%d", i, v)
				_, err := s.PutAdvisory(a)
				assert.NoError(t, err)
			})
		}
	}
	wg.Wait()
	list, err := s.Advisories()
	require.NoError(t, err)
	require.Equal(t, reports, list.Count)
	all, err := list.Newest(0, list.Count)
	require.NoError(t, err)
	seen := map[int]bool{}
	for _, a := range all {
		assert.False(t, seen[a.ReportID], "report %d listed twice", a.ReportID)
		seen[a.ReportID] = true
		assert.Equal(t, fmt.Sprintf("Advisory %d v3", a.ReportID), a.Title)
	}
	assert.Len(t, seen, reports)
}

// A writer that died after naming the shard, before writing it, left the
// entry only: the next writer appends the advisory there, or past it when
// that shard filled up meanwhile.
func TestAPublicationCutShortIsFinishedWhereItsEntryPoints(t *testing.T) {
	for _, tt := range []struct {
		name   string
		before int // advisories published before the dead writer's entry
		after  int // and between its death and the next writer
	}{
		{"the shard has room", 10, 5},
		{"the shard filled up meanwhile", 10, advisoryShardSize},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mem := &pluginapi.MemoryStore{}
			s := convertedStore(t, mem)
			id := 1000
			for i := 1; i <= tt.before; i++ {
				_, err := s.PutAdvisory(advisory(i))
				require.NoError(t, err)
			}
			_, err := s.advisoryShardOf(id) // the entry, then the crash
			require.NoError(t, err)
			for i := tt.before + 1; i <= tt.before+tt.after; i++ {
				_, err := s.PutAdvisory(advisory(i))
				require.NoError(t, err)
			}
			changed, err := s.PutAdvisory(advisory(id))
			require.NoError(t, err)
			assert.True(t, changed)
			ids := allAdvisories(t, s)
			assert.Len(t, ids, tt.before+tt.after+1)
			count := 0
			for _, got := range ids {
				if got == id {
					count++
				}
			}
			assert.Equal(t, 1, count)
		})
	}
}

func TestSetAdvisoryCreditRewritesOnlyTheGivenReports(t *testing.T) {
	s := convertedStore(t, &pluginapi.MemoryStore{})
	for i := 1; i <= advisoryShardSize+20; i++ {
		a := advisory(i)
		a.Credit = "Ada"
		a.Uncredited = i == 3
		if i == 3 {
			a.Credit = ""
		}
		_, err := s.PutAdvisory(a)
		require.NoError(t, err)
	}
	rev, _ := s.SecurityUpdatesRevision()
	ids := map[int]bool{2: true, 3: true, advisoryShardSize + 10: true, 9999: true}
	changed, err := s.SetAdvisoryCredit(ids, "Ada L.")
	require.NoError(t, err)
	assert.True(t, changed)
	credits := map[int]string{}
	list, _ := s.Advisories()
	all, _ := list.Newest(0, list.Count)
	for _, a := range all {
		credits[a.ReportID] = a.Credit
	}
	assert.Equal(t, "Ada L.", credits[2])
	assert.Equal(t, "", credits[3], "a report without credit keeps none")
	assert.Equal(t, "Ada L.", credits[advisoryShardSize+10], "in a later shard too")
	assert.Equal(t, "Ada", credits[1])
	after, _ := s.SecurityUpdatesRevision()
	assert.Equal(t, rev+1, after, "one change, one revision")

	changed, err = s.SetAdvisoryCredit(ids, "Ada L.")
	require.NoError(t, err)
	assert.False(t, changed)
	again, _ := s.SecurityUpdatesRevision()
	assert.Equal(t, after, again, "a change that changes nothing keeps the revision")
}

// A page costs the head, the newest shard and the page's one or two shards,
// however many advisories there are.
func TestAPageReadsAFewKeys(t *testing.T) {
	for _, n := range []int{60, 1_000} {
		c := &countingKV{KV: &pluginapi.MemoryStore{}}
		s := convertedStore(t, c)
		for i := 1; i <= n; i++ {
			_, err := s.PutAdvisory(advisory(i))
			require.NoError(t, err)
		}
		c.reset()
		list, err := s.Advisories()
		require.NoError(t, err)
		_, err = list.Newest(0, 50)
		require.NoError(t, err)
		_, err = list.Newest(50, 100)
		require.NoError(t, err)
		assert.LessOrEqual(t, c.calls(), 7, "%d advisories", n)
	}
}

// A store of wave 1 kept every advisory in v1/upd: readers use it until the
// conversion copies it into the shards, writers write both meanwhile, and
// nothing is lost or listed twice, whatever runs at the same time.
func TestTheConversionCopiesWaveOnesAdvisories(t *testing.T) {
	mem := &pluginapi.MemoryStore{}
	wave1 := New(mem, WithLayout1())
	const old = 230
	for i := 1; i <= old; i++ {
		held, err := wave1.ReserveAdvisoryID(advisory(i).ID, i)
		require.NoError(t, err)
		require.True(t, held)
		_, err = wave1.PutAdvisory(advisory(i))
		require.NoError(t, err)
	}
	s := New(mem)
	assert.Equal(t, seqDown(old, 1), allAdvisories(t, s), "read from v1/upd before the conversion")
	got, ok, err := s.AdvisoryByID("MMSA-2026-7")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, 7, got.ReportID)

	// A disclosure and a credit change during the conversion.
	var wg sync.WaitGroup
	wg.Go(func() {
		_, err := s.PutAdvisory(advisory(old + 1))
		assert.NoError(t, err)
		_, err = s.SetAdvisoryCredit(map[int]bool{3: true}, "Grace")
		assert.NoError(t, err)
	})
	var copied int
	wg.Go(func() {
		var err error
		copied, err = New(mem).ConvertSecurityUpdates()
		assert.NoError(t, err)
	})
	wg.Wait()
	assert.Positive(t, copied)
	n, err := s.ConvertSecurityUpdates()
	require.NoError(t, err)
	assert.Zero(t, n, "done once")

	ids := allAdvisories(t, s)
	assert.ElementsMatch(t, seqDown(old+1, 1), ids)
	assert.Equal(t, movedMarker, rawKey(t, mem, keyUpdates), "v1/upd says where it went")
	list, err := s.Advisories()
	require.NoError(t, err)
	all, err := list.Newest(0, list.Count)
	require.NoError(t, err)
	for _, a := range all {
		if a.ReportID == 3 {
			assert.Equal(t, "Grace", a.Credit, "the credit change made meanwhile is kept")
		}
	}
	got, ok, err = s.AdvisoryByID("mmsa-2026-7")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, 7, got.ReportID)
}
