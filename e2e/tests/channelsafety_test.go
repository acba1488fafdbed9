package tests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// A team admin may convert the triage channel to public, and then anyone can
// join it; the server tells the plugin nothing. Its members must stop being
// the security team within seconds (the plugin re-checks the channel at use),
// and be it again once the channel is private.
func TestAPublicTriageChannelStopsTheTeamsAuthority(t *testing.T) {
	ctx := ctxFor(t)
	admin, triager := env.Admin.Client, env.User("triager")
	r := fileReport(t, env.User("researcher"), reportForm(uniqueTag("Privacy")))
	require.Contains(t, reply(t, triager, "/security queue"), r.key)

	setPrivacy := func(ctx context.Context, typ model.ChannelType) error {
		_, _, err := admin.UpdateChannelPrivacy(ctx, env.TriageChannel.Id, typ)
		return err
	}
	since := model.GetMillis()
	require.NoError(t, setPrivacy(ctx, model.ChannelTypeOpen))
	t.Cleanup(func() { _ = setPrivacy(context.Background(), model.ChannelTypePrivate) })

	queue := ""
	err := harness.Eventually(ctx, 20*time.Second, 500*time.Millisecond, "the queue refused while the channel is public", func(context.Context) (bool, error) {
		queue = reply(t, triager, "/security queue")
		return !strings.Contains(queue, r.key), nil
	})
	require.NoError(t, err, "the triager still reads the queue: %s", queue)
	assert.Contains(t, queue, "Security reporting is on hold: the triage channel is no longer private", "the triager is told why")
	assert.Contains(t, queue, "The system admins have been told")
	assert.Contains(t, reply(t, env.Admin, "/security queue"), "Convert it back to private", "an admin is told how to fix it")
	assert.NotContains(t, reply(t, env.User("researcher"), "/security queue"), "on hold", "someone off the team learns nothing of it")
	// The system admins are told, once, what happened and how to fix it.
	var notices []string
	err = harness.Eventually(ctx, wait, 500*time.Millisecond, "the admins' notice", func(ctx context.Context) (bool, error) {
		posts, err := env.Admin.DirectPosts(ctx, env.Bot.Id, 50)
		notices = notices[:0]
		for _, p := range posts {
			if p.CreateAt >= since && strings.HasPrefix(p.Message, "Security reporting is on hold") {
				notices = append(notices, p.Message)
			}
		}
		return len(notices) > 0, err
	})
	require.NoError(t, err)
	assert.Len(t, notices, 1, "told once: %q", notices)
	assert.Contains(t, notices[0], "no longer private")

	_, err = triager.PressButton(ctx, r.card.Id, "take")
	require.NoError(t, err)
	time.Sleep(time.Second)
	assert.Equal(t, "Submitted", card(t, r.card.Id).Status, "a press while the channel is public changes nothing")

	// A filing meanwhile is kept and answered, but its card waits.
	heldKey, err := harness.FileReport(ctx, env.User("researcher"), env.Team.Id, env.DefaultChannel.Id, reportForm(uniqueTag("Held")), wait)
	require.NoError(t, err, "filing while the channel is public")
	_, err = harness.FindCard(ctx, triager, env.TriageChannel.Id, heldKey, 3*time.Second)
	require.Error(t, err, "the card of %s was posted in the public channel", heldKey)

	require.NoError(t, setPrivacy(ctx, model.ChannelTypePrivate))
	err = harness.Eventually(ctx, 20*time.Second, 500*time.Millisecond, "the queue back once the channel is private", func(context.Context) (bool, error) {
		return strings.Contains(reply(t, triager, "/security queue"), r.key), nil
	})
	require.NoError(t, err)
	press(t, triager, r, "take", "Triaging")
	held, err := harness.FindCard(ctx, triager, env.TriageChannel.Id, heldKey, wait)
	require.NoError(t, err, "the held card is posted once the channel is private")
	_, err = harness.WaitFullText(ctx, triager, held.Id, wait)
	require.NoError(t, err, "with the full text")
}
