package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPendingRepliesAreBoundedAndListed(t *testing.T) {
	s, _ := newStore(t)
	for i := range MaxPendingRelays {
		kept, err := s.KeepPendingRelay(7, fmt.Sprint("post", i))
		require.NoError(t, err)
		require.True(t, kept)
	}
	kept, err := s.KeepPendingRelay(7, "one too many")
	require.NoError(t, err)
	assert.False(t, kept, "a report keeps at most MaxPendingRelays")
	kept, err = s.KeepPendingRelay(7, "post0")
	require.NoError(t, err)
	assert.True(t, kept, "kept already")

	listed, err := s.PendingRelayReports()
	require.NoError(t, err)
	assert.Equal(t, []int{7}, listed)
	require.NoError(t, s.DonePendingRelays(7, "post0", "post1"))
	left, err := s.PendingRelays(7)
	require.NoError(t, err)
	assert.Len(t, left, MaxPendingRelays-2)
	assert.Equal(t, "post2", left[0], "oldest first")

	require.NoError(t, s.DonePendingRelays(7, left...))
	listed, err = s.PendingRelayReports()
	require.NoError(t, err)
	assert.Empty(t, listed, "unlisted once empty")
}

// A reply kept while the retry empties the list is never left unlisted.
func TestAReplyKeptDuringARetryStaysListed(t *testing.T) {
	for range 50 {
		s, _ := newStore(t)
		_, err := s.KeepPendingRelay(3, "old")
		require.NoError(t, err)
		var wg sync.WaitGroup
		wg.Go(func() { assert.NoError(t, s.DonePendingRelays(3, "old")) })
		wg.Go(func() {
			_, err := s.KeepPendingRelay(3, "new")
			assert.NoError(t, err)
		})
		wg.Wait()
		left, err := s.PendingRelays(3)
		require.NoError(t, err)
		require.Equal(t, []string{"new"}, left)
		listed, err := s.PendingRelayReports()
		require.NoError(t, err)
		require.Equal(t, []int{3}, listed)
	}
}
