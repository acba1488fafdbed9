package tests

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

func TestPluginActivates(t *testing.T) {
	ctx := ctxFor(t)

	state, err := harness.PluginState(ctx, env.Admin.Client, env.Bundle.ID)
	require.NoError(t, err)
	assert.Equal(t, model.PluginStateRunning, state, "plugin state")

	plugins, _, err := env.Admin.Client.GetPlugins(ctx)
	require.NoError(t, err)
	var active *model.PluginInfo
	for _, p := range plugins.Active {
		if p.Id == env.Bundle.ID {
			active = p
		}
	}
	require.NotNil(t, active, "%s is not among the active plugins", env.Bundle.ID)
	assert.Equal(t, env.Bundle.Version, active.Version, "the running version is the bundle's")
}

func TestBotAndPrivateTriageChannelExist(t *testing.T) {
	ctx := ctxFor(t)
	admin := env.Admin.Client

	bot, _, err := admin.GetUserByUsername(ctx, harness.BotUsername, "")
	require.NoError(t, err, "the plugin's bot")
	assert.True(t, bot.IsBot, "@%s is a bot account", harness.BotUsername)

	ch, _, err := admin.GetChannelByName(ctx, env.ChannelName(), env.Team.Id, "")
	require.NoError(t, err, "triage channel ~%s in team %s", env.ChannelName(), env.Team.Name)
	assert.Equal(t, model.ChannelTypePrivate, ch.Type, "the triage channel is private")
	assert.Equal(t, env.Team.Id, ch.TeamId, "the triage channel is in the configured team")

	for _, member := range []string{bot.Id, env.User("triager").Id} {
		_, _, err := admin.GetChannelMember(ctx, ch.Id, member, "")
		assert.NoError(t, err, "user %s is a member of the triage channel", member)
	}

	// Outside the channel, its posts cannot be read, however the request is made.
	for _, name := range []string{"outsider", "researcher"} {
		u := env.User(name)
		_, _, err := u.Client.GetChannelMember(ctx, ch.Id, u.Id, "")
		assert.Error(t, err, "%s is not a member of the triage channel", name)
		_, resp, err := u.Client.GetPostsForChannel(ctx, ch.Id, 0, 10, "", false, false)
		require.Error(t, err, "%s reads the triage channel", name)
		assert.Equal(t, http.StatusForbidden, harness.StatusCode(resp, err), "%s reading the triage channel", name)
	}
}

func TestSecurityHelpAnswersThroughCommandsExecute(t *testing.T) {
	ctx := ctxFor(t)
	townSquare := env.DefaultChannel
	researcher := env.User("researcher")

	mark := researcher.Events.Mark()
	resp, err := researcher.Command(ctx, env.Team.Id, townSquare.Id, "/security help")
	require.NoError(t, err)
	assert.Equal(t, model.CommandResponseTypeEphemeral, resp.ResponseType, "help is shown only to the caller")
	assert.Contains(t, resp.Text, "/security help", "help lists its sub-commands")

	// The server delivers the same reply to the researcher's client over the websocket.
	post, err := researcher.Events.WaitEphemeral(ctx, mark, 15*time.Second, townSquare.Id)
	require.NoError(t, err)
	assert.Contains(t, post.Message, "/security help")

	// Ephemeral means not stored: another member of the channel does not see it.
	posts, err := env.User("researcher2").ChannelPosts(ctx, townSquare.Id, 200)
	require.NoError(t, err)
	for _, p := range posts {
		assert.NotContains(t, p.Message, "/security help", "the help reply was posted to the channel")
	}

	// The security team sees at least everything a researcher sees.
	teamHelp, err := env.User("triager").CommandReply(ctx, env.Team.Id, townSquare.Id, "/security help", 15*time.Second)
	require.NoError(t, err)
	for _, line := range strings.Split(resp.Text, "\n") {
		assert.Contains(t, teamHelp, line, "a triager's help lists every researcher command")
	}
}

func TestInvalidSettingIsRefusedWithThePluginsMessage(t *testing.T) {
	ctx := ctxFor(t)
	repo, err := harness.RepoRoot()
	require.NoError(t, err)
	manifest, err := harness.ReadManifest(repo)
	require.NoError(t, err)

	tests := []struct {
		key   string
		value any
	}{
		{"MaxReportsPerDay", "-3"},
		{"MaxReportsPerDay", "many"},
		{"TeamName", "no-such-team"},
		{"TestServerURL", "ftp://example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value.(string), func(t *testing.T) {
			before, err := harness.PluginSettings(ctx, env.Admin.Client, env.Bundle.ID)
			require.NoError(t, err)

			err = harness.SetPluginSettings(ctx, env.Admin.Client, env.Bundle.ID, map[string]any{tt.key: tt.value})
			require.Error(t, err, "the server saved %s=%v", tt.key, tt.value)
			assert.Contains(t, err.Error(), settingName(manifest, tt.key), "the message names the setting")

			after, err := harness.PluginSettings(ctx, env.Admin.Client, env.Bundle.ID)
			require.NoError(t, err)
			key := strings.ToLower(tt.key)
			assert.Equal(t, before[key], after[key], "the refused value was not stored")
		})
	}
}

// settingName is how the plugin names a setting to an admin: its display name in
// the System Console, without the trailing colon.
func settingName(m *model.Manifest, key string) string {
	if m.SettingsSchema != nil {
		for _, s := range m.SettingsSchema.Settings {
			if strings.EqualFold(s.Key, key) && s.DisplayName != "" {
				return strings.TrimSuffix(strings.TrimSpace(s.DisplayName), ":")
			}
		}
	}
	return key
}

func TestDisableAndEnableKeepKVData(t *testing.T) {
	ctx := ctxFor(t)
	admin := env.Admin.Client
	id := env.Bundle.ID
	original, _, err := admin.GetChannel(ctx, env.TriageChannel.Id, "")
	require.NoError(t, err)

	require.NoError(t, env.MM.DisablePlugin(ctx, id))
	require.NoError(t, env.MM.WaitPluginState(ctx, admin, id, model.PluginStateNotRunning, time.Minute))
	t.Cleanup(func() {
		// Leave the shared server as the other scenarios expect it.
		_, _, _ = admin.PatchChannel(ctx, original.Id, &model.ChannelPatch{Name: &original.Name, DisplayName: &original.DisplayName})
		_ = env.MM.EnablePlugin(ctx, id)
		_ = env.MM.WaitPluginState(ctx, admin, id, model.PluginStateRunning, time.Minute)
	})

	// While the plugin is off, an admin renames the channel (name and display
	// name) and removes the bot from it.
	newName, newDisplay := original.Name+"-renamed", "Renamed triage"
	_, _, err = admin.PatchChannel(ctx, original.Id, &model.ChannelPatch{Name: &newName, DisplayName: &newDisplay})
	require.NoError(t, err)
	_, err = admin.RemoveUserFromChannel(ctx, original.Id, env.Bot.Id)
	require.NoError(t, err)

	require.NoError(t, env.MM.EnablePlugin(ctx, id))
	require.NoError(t, env.MM.WaitPluginState(ctx, admin, id, model.PluginStateRunning, time.Minute))

	// The plugin found its channel by the id it stored in KV: the bot is back in
	// the renamed channel...
	require.NoError(t, harness.Eventually(ctx, 30*time.Second, 250*time.Millisecond, "the bot to rejoin the renamed triage channel", func(ctx context.Context) (bool, error) {
		_, _, err := admin.GetChannelMember(ctx, original.Id, env.Bot.Id, "")
		return err == nil, err
	}))
	ch, _, err := admin.GetChannel(ctx, original.Id, "")
	require.NoError(t, err)
	assert.Equal(t, newName, ch.Name)
	assert.Equal(t, model.ChannelTypePrivate, ch.Type)
	assert.Zero(t, ch.DeleteAt, "the triage channel is not archived")

	// ...and no new channel with the configured name was created.
	_, resp, err := admin.GetChannelByNameIncludeDeleted(ctx, env.ChannelName(), env.Team.Id, "")
	assert.True(t, harness.IsNotFound(resp, err), "a new ~%s channel exists after re-enabling (err %v)", env.ChannelName(), err)
}

func TestAnonymousRequestReachesThePlugin(t *testing.T) {
	ctx := ctxFor(t)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, env.MM.URL+"/plugins/"+env.Bundle.ID+"/policy", nil)
	require.NoError(t, err)
	// A bare client: no session cookie, no token.
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	// Only the plugin knows the configured policy text.
	assert.Contains(t, string(body), policyMarker)
}
