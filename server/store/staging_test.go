package store

import (
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
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

func TestPurgeStagingDetailsWalksOnceInSteps(t *testing.T) {
	s, mem := newStore(t)
	for i := 0; i < 5; i++ {
		_, err := s.CreateStaging(staging.Request{RequesterID: "alice", Status: staging.StatusPending}, 0, day0)
		require.NoError(t, err)
	}
	// The copies an earlier version kept; request 4 never had one.
	for _, id := range []int{1, 2, 3, 5} {
		_, err := mem.Set(stagingDetailsKey(id), staging.Details{URL: "https://s", Credentials: "c"}, pluginapi.SetExpiry(time.Hour))
		require.NoError(t, err)
	}
	left := func() []string {
		var out []string
		for id := 1; id <= 5; id++ {
			var raw []byte
			require.NoError(t, mem.Get(stagingDetailsKey(id), &raw))
			if raw != nil {
				out = append(out, stagingDetailsKey(id))
			}
		}
		return out
	}

	steps := []struct {
		done bool
		left []string
	}{
		{false, []string{"v1/g/d/3", "v1/g/d/5"}},
		{false, []string{"v1/g/d/5"}},
		{true, nil},
	}
	for i, step := range steps {
		done, err := s.PurgeStagingDetails(2)
		require.NoError(t, err)
		assert.Equal(t, step.done, done, "step %d", i+1)
		assert.Equal(t, step.left, left(), "step %d", i+1)
	}

	// Finished for good, on this server and on one that starts later: a copy
	// written afterwards (which no version does) is not looked for.
	require.NoError(t, s.DeleteStagingDetails(1))
	_, err := mem.Set(stagingDetailsKey(1), staging.Details{URL: "https://s"})
	require.NoError(t, err)
	for _, store := range []*Store{s, New(mem)} {
		done, err := store.PurgeStagingDetails(2)
		require.NoError(t, err)
		assert.True(t, done)
	}
	assert.Equal(t, []string{"v1/g/d/1"}, left())

	_, err = New(mem).PurgeStagingDetails(0)
	assert.Error(t, err, "a step visits at least one id")
}

func TestPurgeStagingDetailsOnANewInstallation(t *testing.T) {
	s, mem := newStore(t)
	done, err := s.PurgeStagingDetails(100)
	require.NoError(t, err)
	assert.True(t, done, "nothing to walk")
	var raw []byte
	require.NoError(t, mem.Get(keyStagingPurge, &raw))
	assert.JSONEq(t, `{"next":1,"done":true}`, string(raw))
}
