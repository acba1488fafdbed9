package store

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func TestHallOfFameStartsEmpty(t *testing.T) {
	s, _ := newStore(t)
	h, err := s.HallOfFame()
	require.NoError(t, err)
	assert.Empty(t, h.Entries())
	rev, err := s.HallOfFameRevision()
	require.NoError(t, err)
	assert.Zero(t, rev)
}

func TestUpdateHallOfFameWritesOnlyChanges(t *testing.T) {
	s, mem := newStore(t)
	ada := &report.CreditProfile{DisplayName: "Ada"}

	h, wrote, err := s.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
		return h.SetContribution("ada", 1, day0, true, ada), nil
	})
	require.NoError(t, err)
	assert.True(t, wrote)
	assert.Equal(t, int64(1), h.Rev)

	// The same sync again writes nothing and leaves the revision alone.
	_, wrote, err = s.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
		return h.SetContribution("ada", 1, day0, true, ada), nil
	})
	require.NoError(t, err)
	assert.False(t, wrote)

	rev, err := s.HallOfFameRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(1), rev, "the revision key follows the record")

	// An error from the callback stops the update.
	boom := errors.New("boom")
	_, _, err = s.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
		h.SetContribution("bob", 2, day0, true, ada)
		return true, boom
	})
	assert.ErrorIs(t, err, boom)

	stored, err := s.HallOfFame()
	require.NoError(t, err)
	assert.Equal(t, []string{"Ada"}, credits(stored.Entries()))
	keys, err := mem.ListKeys(0, 100)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{keyHallOfFame, keyHallRevision}, keys, "the keys documented in keys.go")
}

func credits(entries []halloffame.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Line()
	}
	return out
}

// Many writers on the one aggregate: compare-and-set loses none of them, and
// the revision ends at the number of writes.
func TestConcurrentHallOfFameUpdatesAllLand(t *testing.T) {
	s, _ := newStore(t)
	const writers = 60
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := 1; i <= writers; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			user := userID(id % 6)
			_, _, err := s.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
				return h.SetContribution(user, id, day0, true, &report.CreditProfile{DisplayName: user}), nil
			})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	h, err := s.HallOfFame()
	require.NoError(t, err)
	total := 0
	for _, e := range h.Entries() {
		total += e.Contributions
	}
	assert.Equal(t, writers, total)
	assert.Equal(t, int64(writers), h.Rev)
	rev, err := s.HallOfFameRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(writers), rev, "writers finishing in any order leave the highest revision")
}

func TestRaiseHallOfFameRevisionNeverLowers(t *testing.T) {
	s, mem := newStore(t)
	require.NoError(t, s.RaiseHallOfFameRevision(5))
	require.NoError(t, s.RaiseHallOfFameRevision(3))
	rev, err := s.HallOfFameRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(5), rev)

	// A damaged revision is overwritten: the record is the truth.
	_, err = mem.Set(keyHallRevision, []byte("garbage"))
	require.NoError(t, err)
	_, err = s.HallOfFameRevision()
	assert.Error(t, err)
	require.NoError(t, s.RaiseHallOfFameRevision(6))
	rev, err = s.HallOfFameRevision()
	require.NoError(t, err)
	assert.Equal(t, int64(6), rev)
}
