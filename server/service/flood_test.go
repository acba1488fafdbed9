package service_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
)

// A flood of replies, handled concurrently as the server's hooks run them,
// races a filing's background work: afterwards the indexes and summaries
// agree with the record (the full check repairs nothing).
func TestAReplyFloodRacingAFilingLeavesTheIndexesInLine(t *testing.T) {
	var later sync.WaitGroup
	env := servicetest.New(servicetest.Options{KV: &pluginapi.MemoryStore{}, Later: func(work func()) { later.Go(work) }})
	for done := false; !done; {
		p, err := env.Store.MigrateStep(100)
		require.NoError(t, err)
		done = p.Done
	}
	r, errs, err := env.Intake.File("alice", validFiling("XSS"))
	require.NoError(t, err)
	require.Empty(t, errs)

	var posts []event.Post
	for i := range report.RepliesPerHour + 20 {
		posts = append(posts, event.Post{ID: fmt.Sprintf("flood%d", i), UserID: "alice", ChannelID: "dm-alice",
			RootID: r.ThreadRootID, Message: fmt.Sprintf("reply %d", i), CreateAt: int64(1000 + i)})
	}
	var hooks sync.WaitGroup
	for _, p := range posts {
		hooks.Go(func() { _ = env.Conversation.HandlePost(p) })
	}
	hooks.Wait()
	later.Wait()

	p, err := env.Store.CheckStep(1000)
	require.NoError(t, err)
	assert.Empty(t, p.Repairs, "the check repairs nothing")
	assert.Empty(t, p.Missing)
}
