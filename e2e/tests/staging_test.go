package tests

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

var stagingID = regexp.MustCompile(`STG-[0-9]+`)

// requestStaging asks for a staging server as u through the real dialog and
// returns the request's id and its card in the triage channel.
func requestStaging(t *testing.T, u *harness.User, tag string) (string, *model.Post) {
	t.Helper()
	ctx := ctxFor(t)
	d, err := u.CommandDialog(ctx, env.Team.Id, env.DefaultChannel.Id, "/security staging", wait)
	require.NoError(t, err)
	require.Equal(t, "/plugins/"+env.Bundle.ID+"/dialog/staging", d.URL)
	today := time.Now().UTC()
	mark := u.Events.Mark()
	resp, err := u.SubmitDialog(ctx, d, env.Team.Id, env.DefaultChannel.Id, map[string]any{
		"what":  "Fuzz the websocket hub " + tag,
		"why":   "It may exhaust server memory " + tag,
		"start": today.Format("2006-01-02"),
		"end":   today.Add(3 * 24 * time.Hour).Format("2006-01-02"),
		"rules": true,
	})
	require.NoError(t, err)
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)
	confirmation, err := u.Events.WaitEphemeral(ctx, mark, wait, env.DefaultChannel.Id)
	require.NoError(t, err)
	id := stagingID.FindString(confirmation.Message)
	require.NotEmpty(t, id, "the confirmation names the request: %q", confirmation.Message)

	var card *model.Post
	err = harness.Eventually(ctx, wait, 200*time.Millisecond, "the card of "+id, func(ctx context.Context) (bool, error) {
		posts, err := env.User("triager").ChannelPosts(ctx, env.TriageChannel.Id, 200)
		if err != nil {
			return false, err
		}
		for _, p := range posts {
			if p.RootId == "" && p.Message == "#### Staging server request "+id {
				card = p
				return true, nil
			}
		}
		return false, nil
	})
	require.NoError(t, err)
	return id, card
}

// kvRows counts the plugin's KV rows under key, straight from the database.
func kvRows(t *testing.T, key string) string {
	t.Helper()
	out, err := env.PG.Query(ctxFor(t), fmt.Sprintf("SELECT COUNT(*) FROM pluginkeyvaluestore WHERE pluginid = '%s' AND pkey = '%s'", env.Bundle.ID, key))
	require.NoError(t, err)
	return strings.TrimSpace(out)
}

// lastBotDM waits for the bot's newest DM to u that contains want.
func lastBotDM(t *testing.T, u *harness.User, want string) *model.Post {
	t.Helper()
	var found *model.Post
	err := harness.Eventually(ctxFor(t), wait, 200*time.Millisecond, "a DM containing "+want, func(ctx context.Context) (bool, error) {
		posts, err := env.BotDM(ctx, u, 100)
		if err != nil {
			return false, err
		}
		for _, p := range posts {
			if strings.Contains(p.Message, want) {
				found = p
				return true, nil
			}
		}
		return false, nil
	})
	require.NoError(t, err)
	return found
}

func TestStagingRequestApprovedUntilTheWindowEnds(t *testing.T) {
	ctx := ctxFor(t)
	// The job checks the clocks every 10 seconds while this runs.
	previous, err := harness.PluginSettings(ctx, env.Admin.Client, env.Bundle.ID)
	require.NoError(t, err)
	require.NoError(t, harness.SetPluginSettings(ctx, env.Admin.Client, env.Bundle.ID, map[string]any{"JobInterval": "10s"}))
	t.Cleanup(func() {
		_ = harness.SetPluginSettings(context.Background(), env.Admin.Client, env.Bundle.ID, map[string]any{"JobInterval": fmt.Sprint(previous["jobinterval"])})
	})

	researcher, triager, outsider := env.User("researcher"), env.User("triager"), env.User("outsider")
	tag := uniqueTag("Staging")
	id, card := requestStaging(t, researcher, tag)
	c, err := harness.ParseCard(card)
	require.NoError(t, err)
	assert.Equal(t, "Pending", c.Status)
	assert.Equal(t, []string{"approve", "deny"}, c.Actions)
	assert.Contains(t, c.Fields["What will be tested"], "```", "the researcher's text is inert on the card")

	// Only triagers decide: a crafted request from the outsider or the researcher is refused.
	ctxButton, err := harness.StoredButtonContext(ctx, env.PG, card.Id, "approve")
	require.NoError(t, err)
	for _, u := range []*harness.User{outsider, researcher} {
		status, body, err := u.PluginRequest(ctx, "POST", env.Bundle.ID, "/staging/action", model.PostActionIntegrationRequest{Context: ctxButton})
		require.NoError(t, err)
		assert.Equal(t, 200, status)
		assert.Contains(t, string(body), "Only the security team", "%s approving", u.Username)
	}

	// Only the requester and triagers see it.
	assert.Contains(t, reply(t, researcher, "/security staging list"), id)
	assert.Contains(t, reply(t, triager, "/security staging list"), id)
	assert.NotContains(t, reply(t, outsider, "/security staging list"), id)

	// The triager approves with a window ending 30 to 90 seconds from now (the
	// end is given to the minute).
	d, err := triager.PressButtonForDialog(ctx, card, "approve", wait)
	require.NoError(t, err)
	assert.Contains(t, d.Dialog.IntroductionText, "a deleted message remains in the server's database", "the team is told to use one-time or rotated credentials")
	end := time.Now().UTC().Add(30 * time.Second).Truncate(time.Minute).Add(time.Minute)
	secret := "hunter2-" + tag
	resp, err := triager.SubmitDialog(ctx, d, env.Team.Id, card.ChannelId, map[string]any{
		"url":         "https://staging-7.example.com",
		"credentials": "user ada, password " + secret,
		"start":       time.Now().UTC().Format("2006-01-02"),
		"end":         end.Format("2006-01-02 15:04"),
	})
	require.NoError(t, err)
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)
	c, err = harness.WaitCardStatus(ctx, triager, card.Id, "Approved", wait)
	require.NoError(t, err)
	assert.Empty(t, c.Actions, "a decided request has no buttons")
	assert.NotContains(t, fmt.Sprint(c.Fields), secret, "the card never shows the details")

	details := lastBotDM(t, researcher, secret)
	number := strings.TrimPrefix(id, "STG-")
	assert.Equal(t, "0", kvRows(t, "v1/g/d/"+number), "the plugin stores no copy of the details")

	// After the window: expired, details gone from storage and from the DM, both sides told.
	expiryCtx, cancel := context.WithTimeout(context.Background(), time.Until(end)+2*time.Minute)
	defer cancel()
	_, err = harness.WaitCardStatus(expiryCtx, triager, card.Id, "Expired", time.Until(end)+90*time.Second)
	require.NoError(t, err)
	ctx = ctxFor(t)
	assert.Equal(t, "0", kvRows(t, "v1/g/d/"+number), "still no copy")
	_, r, err := researcher.Client.GetPost(ctx, details.Id, "")
	assert.Error(t, err, "the DM that carried the details is deleted")
	assert.Contains(t, []int{403, 404}, harness.StatusCode(r, err))
	// Why the approve dialog asks for one-time credentials: the server only
	// marks the post deleted.
	kept, err := env.PG.Query(ctx, fmt.Sprintf("SELECT COUNT(*) FROM posts WHERE id = '%s' AND deleteat > 0", details.Id))
	require.NoError(t, err)
	assert.Equal(t, "1", strings.TrimSpace(kept), "the deleted DM is still in the database")
	lastBotDM(t, researcher, "Your staging window for "+id+" has ended")
	replies, err := harness.Thread(ctx, triager, card.Id)
	require.NoError(t, err)
	ended := 0
	for _, p := range replies {
		if strings.Contains(p.Message, "The window ended") {
			ended++
		}
	}
	assert.Equal(t, 1, ended, "the triage channel is told once")
	assert.Contains(t, reply(t, researcher, "/security staging list"), id+"** · Expired")

	// The decision and the end of the window are in the server's audit log,
	// without the credentials.
	records := auditRecordsWith(t, "request", id, 2)
	require.Len(t, records, 2)
	assert.Equal(t, "responsibleDisclosure.staging.approve", records[0].EventName)
	assert.Equal(t, triager.Id, records[0].Actor.UserID)
	assert.Equal(t, "responsibleDisclosure.staging.expire", records[1].EventName)
	for _, rec := range records {
		assert.NotContains(t, fmt.Sprint(rec.Raw), secret)
	}
}

func TestStagingRequestDenied(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager := env.User("researcher2"), env.User("triager")
	tag := uniqueTag("Deny")
	id, card := requestStaging(t, researcher, tag)

	d, err := triager.PressButtonForDialog(ctx, card, "deny", wait)
	require.NoError(t, err)
	resp, err := triager.SubmitDialog(ctx, d, env.Team.Id, card.ChannelId, map[string]any{"reason": ""})
	require.NoError(t, err)
	assert.Contains(t, resp.Errors, "reason", "a denial needs a reason")
	resp, err = triager.SubmitDialog(ctx, d, env.Team.Id, card.ChannelId, map[string]any{"reason": "Use the community test server " + tag})
	require.NoError(t, err)
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)

	_, err = harness.WaitCardStatus(ctx, triager, card.Id, "Denied", wait)
	require.NoError(t, err)
	lastBotDM(t, researcher, "Use the community test server "+tag)
	assert.Contains(t, reply(t, researcher, "/security staging list"), id+"** · Denied")
}
