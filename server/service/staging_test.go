package service_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

func stagingDraft() staging.Draft {
	return staging.Draft{What: "Load test the websocket hub", Why: "It may exhaust connections", Start: "2026-03-02", End: "2026-03-06", RulesAccepted: true}
}

func TestStagingRequestPermissions(t *testing.T) {
	h := newHarness(t)
	r, errs, err := h.svc.Staging.Request("alice", stagingDraft())
	require.NoError(t, err)
	require.Empty(t, errs)
	assert.Equal(t, "STG-1", r.Key())
	card := h.stage.Cards[r.CardPostID]
	require.NotNil(t, card)
	require.Len(t, h.stage.Buttons[r.CardPostID], 2)
	assert.Equal(t, r.Version, h.stage.Buttons[r.CardPostID][0].Context["version"])

	// Only the requester and triagers see it.
	mine, team, err := h.svc.Staging.List("alice")
	require.NoError(t, err)
	assert.False(t, team)
	assert.Len(t, mine, 1)
	others, _, err := h.svc.Staging.List("bob")
	require.NoError(t, err)
	assert.Empty(t, others)
	all, team, err := h.svc.Staging.List("triager")
	require.NoError(t, err)
	assert.True(t, team)
	assert.Len(t, all, 1)

	// Only triagers decide.
	for _, who := range []string{"alice", "bob"} {
		_, err := h.svc.Staging.Approve(who, r.ID, r.Version, "https://s", "c", "2026-03-02", "2026-03-06")
		assert.ErrorIs(t, err, service.ErrNotTriager)
		_, err = h.svc.Staging.Deny(who, r.ID, r.Version, "no")
		assert.ErrorIs(t, err, service.ErrNotTriager)
		_, err = h.svc.Staging.ForTeam(who, r.ID)
		assert.ErrorIs(t, err, service.ErrNotTriager)
	}
	unchanged, _ := h.store.GetStaging(r.ID)
	assert.Equal(t, staging.StatusPending, unchanged.Status)
}

func TestStagingOpenLimit(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 2; i++ {
		_, _, err := h.svc.Staging.Request("alice", stagingDraft())
		require.NoError(t, err)
	}
	_, _, err := h.svc.Staging.Request("alice", stagingDraft())
	var tooMany *service.ErrTooManyStaging
	assert.ErrorAs(t, err, &tooMany)

	bad := stagingDraft()
	bad.End = "2026-04-30"
	_, errs, err := h.svc.Staging.Request("bob", bad)
	require.NoError(t, err)
	assert.Contains(t, errs, staging.FieldEnd, "windows are bounded")
}

func TestStagingApprovalAndExpiry(t *testing.T) {
	h := newHarness(t)
	r, _, err := h.svc.Staging.Request("alice", stagingDraft())
	require.NoError(t, err)

	errs, err := h.svc.Staging.Approve("triager", r.ID, r.Version, "ftp://s", "", "2026-03-02", "2026-03-02 10:05")
	require.NoError(t, err)
	assert.Contains(t, errs, staging.FieldURL)
	assert.Contains(t, errs, staging.FieldCredentials)

	errs, err = h.svc.Staging.Approve("triager", r.ID, r.Version, "https://staging-7.example.com", "user ada, password hunter2", "2026-03-02", "2026-03-02 10:05")
	require.NoError(t, err)
	require.Empty(t, errs)

	approved, _ := h.store.GetStaging(r.ID)
	assert.Equal(t, staging.StatusApproved, approved.Status)
	require.NotEmpty(t, approved.DetailsPostID)
	assert.Contains(t, h.stage.Posts[approved.DetailsPostID], "hunter2", "the researcher's DM holds the details")
	for _, c := range h.stage.Cards {
		assert.NotContains(t, c.What+c.Why+c.Reason, "hunter2", "the card never does")
	}
	assert.Empty(t, h.keys(t, "v1/g/d/"), "the plugin keeps no copy of the details")

	// A second decision on the same version is refused.
	_, err = h.svc.Staging.Deny("triager2", r.ID, r.Version, "no")
	assert.ErrorIs(t, err, service.ErrStagingChanged)

	// Before the end nothing happens; after it, exactly once.
	h.now = t0.Add(4 * time.Minute)
	h.svc.Clocks.RunJob()
	still, _ := h.store.GetStaging(r.ID)
	assert.Equal(t, staging.StatusApproved, still.Status)

	h.now = t0.Add(5 * time.Minute)
	h.svc.Clocks.RunJob()
	h.svc.Clocks.RunJob()
	expired, _ := h.store.GetStaging(r.ID)
	assert.Equal(t, staging.StatusExpired, expired.Status)
	assert.NotContains(t, h.stage.Posts, approved.DetailsPostID, "the DM with the details was deleted")
	assert.Len(t, h.stage.Deleted, 1)
	assert.Contains(t, h.stage.DMs["alice"][len(h.stage.DMs["alice"])-1], "has ended", "the researcher was told")
	assert.Len(t, h.stage.Notes[r.ID], 2, "approval and expiry noted on the card once each")
}

func TestStagingDenial(t *testing.T) {
	h := newHarness(t)
	r, _, err := h.svc.Staging.Request("alice", stagingDraft())
	require.NoError(t, err)
	errs, err := h.svc.Staging.Deny("triager", r.ID, r.Version, "")
	require.NoError(t, err)
	assert.Contains(t, errs, staging.FieldReason)
	_, err = h.svc.Staging.Deny("triager", r.ID, r.Version, "Use the community test server; this is not disruptive.")
	require.NoError(t, err)
	denied, _ := h.store.GetStaging(r.ID)
	assert.Equal(t, staging.StatusDenied, denied.Status)
	assert.Contains(t, h.stage.DMs["alice"][0], "community test server")
	assert.Empty(t, h.stage.Buttons[denied.CardPostID], "a decided request has no buttons")
}

func TestStagingExpiresOnceAcrossTwoServers(t *testing.T) {
	c := newCluster()
	stage := c.bot.Staging
	settings := servicetest.Options{TriageChannelID: servicetest.Fixed("c"), Staging: servicetest.Fixed(config.Staging{MaxDays: 14, MaxOpen: 5})}
	a, b := c.server(settings), c.server(settings)
	r, _, err := a.Staging.Request("alice", stagingDraft())
	require.NoError(t, err)
	cur, _ := a.Store.GetStaging(r.ID)
	_, err = a.Staging.Approve("triager", r.ID, cur.Version, "https://s", "c", "2026-03-02", "2026-03-02 10:01")
	require.NoError(t, err)

	c.clock = t0.Add(2 * time.Minute)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		srv := a
		if i%2 == 1 {
			srv = b
		}
		go func() {
			defer wg.Done()
			srv.Clocks.RunJob()
		}()
	}
	wg.Wait()
	assert.Len(t, stage.Deleted, 1, "one deletion")
	endings := 0
	for _, m := range stage.DMs["alice"] {
		if strings.Contains(m, "has ended") {
			endings++
		}
	}
	assert.Equal(t, 1, endings, "one message to the researcher")
}

// Earlier versions kept a copy of every grant's details in the KV store. The
// job deletes those copies, for open grants and for those that ended long ago
// alike, without waiting for their windows to end.
func TestStagingJobDeletesTheDetailsEarlierVersionsKept(t *testing.T) {
	h := newHarness(t)
	h.staging.MaxOpen = 5
	var ids []int
	for range 3 {
		r, _, err := h.svc.Staging.Request("alice", stagingDraft())
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	cur, _ := h.store.GetStaging(ids[0])
	_, err := h.svc.Staging.Approve("triager", cur.ID, cur.Version, "https://s", "user ada, password hunter2", "2026-03-02", "2026-03-06")
	require.NoError(t, err)
	for _, id := range ids {
		// What the earlier version wrote, with its expiry at the window's end.
		_, err := h.kv.Set(fmt.Sprintf("v1/g/d/%d", id), staging.Details{URL: "https://s", Credentials: "hunter2"}, pluginapi.SetExpiry(time.Hour))
		require.NoError(t, err)
	}
	require.Len(t, h.keys(t, "v1/g/d/"), 3)

	h.svc.Clocks.RunJob()
	assert.Empty(t, h.keys(t, "v1/g/d/"), "every copy is deleted")
	still, _ := h.store.GetStaging(ids[0])
	assert.Equal(t, staging.StatusApproved, still.Status, "the grant itself goes on until its window ends")
	assert.Contains(t, h.stage.Posts[still.DetailsPostID], "hunter2", "the researcher keeps the DM")
}
