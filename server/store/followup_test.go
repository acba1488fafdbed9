package store

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

func TestFollowupClaimsAreExclusive(t *testing.T) {
	s, mem := newStore(t)
	other := New(mem)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := s
			if i%2 == 1 {
				st = other
			}
			won := false
			_, err := st.UpdateFollowup(1, func(r *sla.Record) bool {
				won = r.StateOf("k", day0, time.Minute) == sla.Free
				if won {
					r.Claim("k", day0)
				}
				return won
			})
			assert.NoError(t, err)
			if won {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load(), "exactly one of two servers' jobs claims a reminder")

	rec, err := s.Followup(1)
	require.NoError(t, err)
	assert.Contains(t, rec.Claims, "k")
}

func TestClaimDigestOncePerPeriod(t *testing.T) {
	s, _ := newStore(t)
	week := 7 * 24 * time.Hour
	ok, err := s.ClaimDigest(day0, week)
	require.NoError(t, err)
	assert.False(t, ok, "the first call starts the first period")
	ok, _ = s.ClaimDigest(day0.Add(week-time.Second), week)
	assert.False(t, ok)
	ok, _ = s.ClaimDigest(day0.Add(week), week)
	assert.True(t, ok)
	ok, _ = s.ClaimDigest(day0.Add(week+time.Hour), week)
	assert.False(t, ok, "once per period")
}
