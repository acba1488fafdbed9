package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func TestAdvisoryIDsAreUnique(t *testing.T) {
	s, _ := newStore(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	holders := 0
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			held, err := s.ReserveAdvisoryID("MMSA-2026-1", i)
			assert.NoError(t, err)
			if held {
				mu.Lock()
				holders++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, holders, "one report gets the id")

	numbers := map[int]bool{}
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.NextAdvisoryNumber(2026)
			assert.NoError(t, err)
			mu.Lock()
			numbers[n] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	assert.Len(t, numbers, 30)
	assert.True(t, numbers[1] && numbers[30])

	held, err := s.ReserveAdvisoryID("mmsa-2026-99", 5)
	require.NoError(t, err)
	require.True(t, held)
	held, _ = s.ReserveAdvisoryID("MMSA-2026-99", 6)
	assert.False(t, held, "ids match without regard to case")
	require.NoError(t, s.ReleaseAdvisoryID("MMSA-2026-99", 6), "releasing an id one does not hold changes nothing")
	held, _ = s.ReserveAdvisoryID("MMSA-2026-99", 6)
	assert.False(t, held)
	require.NoError(t, s.ReleaseAdvisoryID("MMSA-2026-99", 5))
	held, _ = s.ReserveAdvisoryID("MMSA-2026-99", 6)
	assert.True(t, held)
}

func TestSecurityUpdatesRevisionFollowsEveryChange(t *testing.T) {
	s, _ := newStore(t)
	var wg sync.WaitGroup
	for i := 1; i <= 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateSecurityUpdates(func(u *report.SecurityUpdates) bool {
				return u.Put(report.PublicAdvisory{ID: fmt.Sprintf("MMSA-2026-%d", i), ReportID: i, Published: time.Unix(int64(i), 0)})
			})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	u, err := s.SecurityUpdates()
	require.NoError(t, err)
	assert.Len(t, u.Advisories, 25)
	rev, err := s.SecurityUpdatesRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(25), rev)

	// A write that changes nothing keeps the revision.
	_, err = s.UpdateSecurityUpdates(func(u *report.SecurityUpdates) bool { return u.Remove(999) })
	require.NoError(t, err)
	rev, _ = s.SecurityUpdatesRevision()
	assert.Equal(t, int64(25), rev)
}
