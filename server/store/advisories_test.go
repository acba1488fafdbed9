package store

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
