package tests

import (
	"context"
	"fmt"
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

// When the triage channel setting changes, the open reports' cards move to
// the new channel in the background (the settings save does not wait for
// them), with their full text; the old card says where it went, shows no
// report text, and its button answers with the link; and a reply to the
// report lands in the new channel.
func TestAChannelMoveRehomesTheCards(t *testing.T) {
	ctx := ctxFor(t)
	admin, researcher := env.Admin, env.User("researcher")
	tag := uniqueTag("Moved")
	r := fileReport(t, researcher, reportForm(tag))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)

	settings, err := harness.PluginSettings(ctx, admin.Client, env.Bundle.ID)
	require.NoError(t, err)
	original := settings["channelname"] // nil: the default
	moved := "security-moved-" + strings.ToLower(model.NewId()[:8])
	require.NoError(t, harness.SetPluginSettings(ctx, admin.Client, env.Bundle.ID, map[string]any{"ChannelName": moved}))
	t.Cleanup(func() { restoreTriageChannel(t, original) })

	var newChannel *model.Channel
	err = harness.Eventually(ctx, wait, 500*time.Millisecond, "the new triage channel", func(ctx context.Context) (bool, error) {
		newChannel, _, err = admin.Client.GetChannelByName(ctx, moved, env.Team.Id, "")
		return err == nil, nil
	})
	require.NoError(t, err)
	assert.Equal(t, model.ChannelTypePrivate, newChannel.Type)
	// The team now is whoever is in the new channel: the triager joins it.
	_, _, err = admin.Client.AddChannelMember(ctx, newChannel.Id, env.User("triager").Id)
	require.NoError(t, err)

	newCard, err := harness.FindCard(ctx, env.User("triager"), newChannel.Id, r.key, time.Minute)
	require.NoError(t, err, "the card of %s moved to the new channel", r.key)
	_, err = harness.WaitFullText(ctx, env.User("triager"), newCard.Id, wait)
	require.NoError(t, err, "with the full text")

	// The old card is rewritten once the new one is linked.
	oldText := ""
	err = harness.Eventually(ctx, wait, 200*time.Millisecond, "the old card rewritten", func(ctx context.Context) (bool, error) {
		old, _, err := admin.Client.GetPost(ctx, r.card.Id, "")
		if err != nil {
			return false, err
		}
		oldText = old.Message
		for _, a := range old.Attachments() {
			oldText += a.Title + a.Text + fmt.Sprint(a.Fields)
		}
		return strings.Contains(oldText, "moved"), nil
	})
	require.NoError(t, err, "the old card says it moved: %s", oldText)
	assert.Contains(t, oldText, "/_redirect/pl/"+newCard.Id, "and where to")
	assert.NotContains(t, oldText, tag, "and shows nothing of the report")
	triager := env.User("triager")
	mark := triager.Events.Mark()
	_, err = triager.PressButton(ctx, r.card.Id, "wherenow")
	require.NoError(t, err)
	answer, err := triager.Events.WaitEphemeral(ctx, mark, wait, env.TriageChannel.Id)
	require.NoError(t, err)
	assert.Contains(t, answer.Message, "/_redirect/pl/"+newCard.Id, "its button answers with the link")

	_, err = researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, "One more detail "+tag)
	require.NoError(t, err)
	waitRelays(t, filed{key: r.key, card: newCard}, harness.RelayHeading(r.key), 1, "the reply after the move")
}

// restoreTriageChannel moves the triage channel back and waits until every
// open and fixed report's card is back, so later scenarios find their cards
// where they look.
func restoreTriageChannel(t *testing.T, channelName any) {
	ctx := context.Background()
	require.NoError(t, harness.SetPluginSettings(ctx, env.Admin.Client, env.Bundle.ID, map[string]any{"ChannelName": channelName}))
	query := fmt.Sprintf("SELECT convert_from(pvalue, 'UTF8') FROM pluginkeyvaluestore WHERE pluginid = '%s' AND pkey = 'v2/rehome'", env.Bundle.ID)
	err := harness.Eventually(ctx, 2*time.Minute, time.Second, "the cards back in the triage channel", func(ctx context.Context) (bool, error) {
		state, err := env.PG.Query(ctx, query)
		return strings.Contains(state, `"to":"`+env.TriageChannel.Id+`"`) && strings.Contains(state, `"done":true`), err
	})
	require.NoError(t, err)
}
