package store

import (
	"sync"
	"testing"
	"time"

	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

func TestStagingOpenLimitHoldsUnderConcurrency(t *testing.T) {
	s, _ := newStore(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, refused := 0, 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.CreateStaging(staging.Request{RequesterID: "alice", Status: staging.StatusPending}, 2, day0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				created++
			case errors.Is(err, ErrTooManyOpen):
				refused++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 2, created)
	assert.Equal(t, 18, refused)

	mine, err := s.StagingByRequester("alice")
	require.NoError(t, err)
	require.Len(t, mine, 2)
	open, err := s.OpenStaging()
	require.NoError(t, err)
	assert.Len(t, open, 2)

	// Closing one frees a slot.
	_, err = s.UpdateStaging(mine[0].ID, func(r *staging.Request) error { r.Status = staging.StatusDenied; return nil })
	require.NoError(t, err)
	open, _ = s.OpenStaging()
	assert.Len(t, open, 1)
	_, err = s.CreateStaging(staging.Request{RequesterID: "alice", Status: staging.StatusPending}, 2, day0)
	assert.NoError(t, err)
	all, _ := s.AllStaging(100)
	assert.Len(t, all, 3, "refused attempts leave no records")
}

func TestStagingDetailsExpire(t *testing.T) {
	s, _ := newStore(t)
	now := time.Now()
	require.NoError(t, s.SaveStagingDetails(1, staging.Details{URL: "https://s", Credentials: "c"}, now.Add(time.Second), now))
	d, err := s.StagingDetails(1)
	require.NoError(t, err)
	require.NotNil(t, d)
	assert.Equal(t, "https://s", d.URL)

	require.NoError(t, s.DeleteStagingDetails(1))
	d, err = s.StagingDetails(1)
	require.NoError(t, err)
	assert.Nil(t, d)

	require.NoError(t, s.SaveStagingDetails(2, staging.Details{URL: "https://s"}, now.Add(time.Second), now))
	time.Sleep(1100 * time.Millisecond) // the KV's own expiry; no clock to inject there
	d, err = s.StagingDetails(2)
	require.NoError(t, err)
	assert.Nil(t, d, "the KV store drops details when the window ends")
}
