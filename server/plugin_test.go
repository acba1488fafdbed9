package main

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

const (
	testBotID     = "botid0000000000000000000000"
	testTeamID    = "teamid00000000000000000000"
	testChannelID = "channelid000000000000000000"
	testUserID    = "userid00000000000000000000"
)

// activation describes the server a test activates against. fail names the one
// step that fails ("" for none).
type activation struct {
	cfg           map[string]any // the plugin's stored settings
	fail          string
	stored        *setup.TriageChannel
	existing      *model.Channel // channel found by name; nil → 404 and created
	storedChannel *model.Channel
	// later, when set, is the configuration every load after the first returns:
	// the admin saving new settings.
	later map[string]any
}

func appErr(status int) *model.AppError {
	return model.NewAppError("test", "test.failure", nil, "step failed", status)
}

// newTestPlugin returns a plugin on a mock API with every call of a normal
// activation expected; the failing step answers with an error.
func newTestPlugin(t *testing.T, a activation) (*Plugin, *plugintest.API) {
	t.Helper()
	api := &plugintest.API{}
	t.Cleanup(func() { api.AssertExpectations(t) })

	bundle := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(bundle, "assets"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bundle, setup.BotAvatarPath), []byte("png"), 0o600))

	failIf := func(step string, status int) *model.AppError {
		if a.fail == step {
			return appErr(status)
		}
		return nil
	}

	var loadsMu sync.Mutex
	loads := 0
	api.On("LoadPluginConfiguration", mock.AnythingOfType("*map[string]interface {}")).Run(func(args mock.Arguments) {
		loadsMu.Lock()
		defer loadsMu.Unlock()
		cfg := a.cfg
		if loads > 0 && a.later != nil {
			cfg = a.later
		}
		loads++
		*args.Get(0).(*map[string]any) = maps.Clone(cfg)
	}).Return(nil)
	api.On("GetServerVersion").Return("11.4.0").Maybe()
	api.On("GetConfig").Return(&model.Config{}).Maybe()
	api.On("LogWarn", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
	api.On("LogInfo", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
	// Every other KV call (the bot's cluster mutex, the signing secret, the
	// reconciliation) goes to an in-memory KV with the server's semantics.
	mem := &pluginapi.MemoryStore{}
	if a.stored != nil {
		_, err := mem.Set(store.KeyTriageChannel, a.stored)
		require.NoError(t, err)
	}
	backKVWithMemory(api, mem, a.fail)
	lastMem = mem

	if a.fail == "bot" {
		api.On("EnsureBotUser", mock.Anything).Return("", appErr(500))
		return &Plugin{MattermostPlugin: pluginWith(api)}, api
	}
	api.On("EnsureBotUser", mock.MatchedBy(func(b *model.Bot) bool { return b.Username == "securitybot" && b.DisplayName == "Security" })).Return(testBotID, nil)
	api.On("GetBundlePath").Return(bundle, nil)
	api.On("SetProfileImage", testBotID, []byte("png")).Return(failIf("avatar", 500))
	if a.fail == "avatar" {
		return &Plugin{MattermostPlugin: pluginWith(api)}, api
	}

	if triageOf(a.cfg).IsConfigured() {
		expectTriageSetup(api, a, failIf)
		if a.fail != "" && a.fail != "command" {
			return &Plugin{MattermostPlugin: pluginWith(api)}, api
		}
	}

	api.On("RegisterCommand", mock.MatchedBy(func(c *model.Command) bool {
		return c.Trigger == "security" && c.AutoComplete && c.AutocompleteData != nil
	})).Return(asError(failIf("command", 500)))
	return &Plugin{MattermostPlugin: pluginWith(api)}, api
}

func expectTriageSetup(api *plugintest.API, a activation, failIf func(string, int) *model.AppError) {
	if a.fail == "kv read" {
		return
	}
	if a.stored != nil && a.stored.TeamSetting == triageOf(a.cfg).Team && a.stored.ChannelSetting == triageOf(a.cfg).Channel {
		api.On("GetChannel", a.stored.ChannelID).Return(a.storedChannel, failIf("stored channel", 404))
		if a.fail == "stored channel" || a.storedChannel.DeleteAt != 0 {
			return
		}
		api.On("CreateTeamMember", a.stored.TeamID, testBotID).Return(&model.TeamMember{}, nil)
		api.On("AddChannelMember", a.stored.ChannelID, testBotID).Return(&model.ChannelMember{}, nil)
		return
	}

	api.On("GetTeamByName", triageOf(a.cfg).Team).Return(&model.Team{Id: testTeamID, Name: triageOf(a.cfg).Team}, failIf("team", 404))
	if a.fail == "team" {
		return
	}
	joinTeam := api.On("CreateTeamMember", testTeamID, testBotID).Return(&model.TeamMember{}, failIf("join team", 500))
	if a.fail == "join team" {
		return
	}
	if a.existing != nil {
		api.On("GetChannelByName", testTeamID, triageOf(a.cfg).Channel, false).Return(a.existing, nil)
		if a.existing.Type != model.ChannelTypePrivate {
			return
		}
	} else {
		api.On("GetChannelByName", testTeamID, triageOf(a.cfg).Channel, false).Return(nil, appErr(404))
		api.On("CreateChannel", mock.MatchedBy(func(c *model.Channel) bool {
			return c.Type == model.ChannelTypePrivate && c.TeamId == testTeamID && c.Name == triageOf(a.cfg).Channel
		})).Return(&model.Channel{Id: testChannelID, TeamId: testTeamID, Name: triageOf(a.cfg).Channel, Type: model.ChannelTypePrivate}, failIf("create channel", 500))
		if a.fail == "create channel" {
			return
		}
	}
	joinChannel := api.On("AddChannelMember", testChannelID, testBotID).Return(&model.ChannelMember{}, failIf("join channel", 500))
	mock.InOrder(joinTeam, joinChannel) // the bot must be in the team before the channel
	if a.fail == "join channel" {
		return
	}
	if a.stored != nil && a.stored.ChannelID != testChannelID {
		// Re-pointed: a notice goes to the old and the new channel.
		api.On("CreatePost", mock.MatchedBy(func(p *model.Post) bool { return p.ChannelId == a.stored.ChannelID })).Return(&model.Post{}, nil).Once()
		api.On("CreatePost", mock.MatchedBy(func(p *model.Post) bool { return p.ChannelId == testChannelID })).Return(&model.Post{}, nil).Once()
	}
}

// asError turns a possibly nil *AppError into an error that is nil when it is:
// mocked methods returning error must not return a typed nil.
func asError(appErr *model.AppError) error {
	if appErr == nil {
		return nil
	}
	return appErr
}

// lastMem is the KV of the most recent test plugin, for assertions.
var lastMem *pluginapi.MemoryStore

// backKVWithMemory answers every KV call from mem, with the server's
// compare-and-set semantics. fail "kv read" / "kv write" fails the triage
// channel record's read or write.
func backKVWithMemory(api *plugintest.API, mem *pluginapi.MemoryStore, fail string) {
	api.On("KVGet", mock.AnythingOfType("string")).Return(func(key string) ([]byte, *model.AppError) {
		if fail == "kv read" && key == store.KeyTriageChannel {
			return nil, appErr(500)
		}
		var out []byte
		if err := mem.Get(key, &out); err != nil {
			return nil, appErr(500)
		}
		return out, nil
	}).Maybe()
	api.On("KVSetWithOptions", mock.AnythingOfType("string"), mock.Anything, mock.AnythingOfType("model.PluginKVSetOptions")).Return(
		func(key string, value []byte, opts model.PluginKVSetOptions) (bool, *model.AppError) {
			if fail == "kv write" && key == store.KeyTriageChannel {
				return false, appErr(500)
			}
			var options []pluginapi.KVSetOption
			if opts.Atomic {
				options = append(options, pluginapi.SetAtomic(opts.OldValue))
			}
			if opts.ExpireInSeconds > 0 {
				options = append(options, pluginapi.SetExpiry(time.Duration(opts.ExpireInSeconds)*time.Second))
			}
			var v any
			if value != nil {
				v = value
			}
			ok, err := mem.Set(key, v, options...)
			if err != nil {
				return false, appErr(500)
			}
			return ok, nil
		}).Maybe()
	api.On("KVDelete", mock.AnythingOfType("string")).Return(func(key string) *model.AppError {
		_ = mem.Delete(key)
		return nil
	}).Maybe()
}

func storedTriage(t *testing.T) setup.TriageChannel {
	t.Helper()
	var got setup.TriageChannel
	require.NoError(t, lastMem.Get(store.KeyTriageChannel, &got))
	return got
}

func pluginWith(api *plugintest.API) (mp plugin.MattermostPlugin) {
	mp.SetAPI(api)
	return mp
}

func activate(t *testing.T, p *Plugin) error {
	t.Helper()
	t.Cleanup(func() { _ = p.OnDeactivate() })
	require.NoError(t, p.OnConfigurationChange())
	return p.OnActivate()
}

// configured is a stored configuration with the triage team set, keyed as the
// server stores it (lowercased).
func configured() map[string]any {
	return map[string]any{"teamname": "security", "channelname": "security-reports", "maxreportsperday": "10", "enablehalloffame": true}
}

// triageOf is where a stored configuration points the plugin.
func triageOf(cfg map[string]any) config.Triage {
	settings, _ := config.Parse(cfg)
	return settings.Triage
}

func TestActivationCreatesPrivateChannelAndStoresIt(t *testing.T) {
	p, _ := newTestPlugin(t, activation{cfg: configured()})
	require.NoError(t, activate(t, p))
	ok, _ := p.ready()
	assert.True(t, ok)
	assert.Equal(t, testChannelID, p.triage.ChannelID)
	assert.Equal(t, setup.TriageChannel{TeamSetting: "security", ChannelSetting: "security-reports", TeamID: testTeamID, ChannelID: testChannelID}, storedTriage(t))
}

func TestActivationUsesExistingPrivateChannel(t *testing.T) {
	existing := &model.Channel{Id: testChannelID, TeamId: testTeamID, Name: "security-reports", Type: model.ChannelTypePrivate}
	p, _ := newTestPlugin(t, activation{cfg: configured(), existing: existing})
	require.NoError(t, activate(t, p))
	assert.Equal(t, testChannelID, p.triage.ChannelID)
}

func TestActivationFollowsStoredChannelWhenSettingsAreUnchanged(t *testing.T) {
	// The channel was renamed in Mattermost; the stored id still points at it.
	stored := &setup.TriageChannel{TeamSetting: "security", ChannelSetting: "security-reports", TeamID: testTeamID, ChannelID: "renamed0000000000000000000"}
	channel := &model.Channel{Id: stored.ChannelID, Name: "renamed", Type: model.ChannelTypePrivate}
	p, _ := newTestPlugin(t, activation{cfg: configured(), stored: stored, storedChannel: channel})
	require.NoError(t, activate(t, p))
	assert.Equal(t, stored.ChannelID, p.triage.ChannelID)
}

func TestActivationRepointsAndAnnouncesWhenChannelSettingChanged(t *testing.T) {
	stored := &setup.TriageChannel{TeamSetting: "security", ChannelSetting: "old-reports", TeamID: testTeamID, ChannelID: "oldchannel00000000000000000"}
	p, _ := newTestPlugin(t, activation{cfg: configured(), stored: stored})
	require.NoError(t, activate(t, p))
	assert.Equal(t, testChannelID, p.triage.ChannelID)
}

func TestActivationFailsAtEachFailingStep(t *testing.T) {
	public := &model.Channel{Id: testChannelID, TeamId: testTeamID, Name: "security-reports", Type: model.ChannelTypeOpen}
	stored := &setup.TriageChannel{TeamSetting: "security", ChannelSetting: "security-reports", TeamID: testTeamID, ChannelID: testChannelID}
	tests := []struct {
		step    string
		a       activation
		message string
	}{
		{"bot", activation{}, "could not ensure the security bot account"},
		{"avatar", activation{}, "could not ensure the security bot account"},
		{"kv read", activation{}, "could not read the stored triage channel"},
		{"team", activation{}, `could not find the triage team "security"`},
		{"join team", activation{}, `could not add the bot to team "security"`},
		{"create channel", activation{}, `could not create the private triage channel "security-reports"`},
		{"join channel", activation{}, `could not add the bot to channel "security-reports"`},
		{"kv write", activation{}, "could not store the triage channel"},
		{"command", activation{}, "could not register the /security command"},
		{"public channel", activation{existing: public}, "exists and is not private"},
		{"stored channel", activation{stored: stored, storedChannel: &model.Channel{}}, "could not find the stored triage channel"},
		{"archived channel", activation{stored: stored, storedChannel: &model.Channel{Id: testChannelID, Name: "security-reports", DeleteAt: 1}}, "is archived"},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			a := tt.a
			a.cfg = configured()
			a.fail = tt.step
			p, _ := newTestPlugin(t, a)
			err := activate(t, p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestNotConfiguredActivatesAndCommandsSaySo(t *testing.T) {
	p, api := newTestPlugin(t, activation{cfg: map[string]any{"channelname": "security-reports"}})
	require.NoError(t, activate(t, p))
	api.On("GetUser", testUserID).Return(&model.User{Id: testUserID, Roles: model.SystemUserRoleId}, nil).Maybe()

	for _, line := range []string{"/security", "/security help", "/security report", "/security nonsense"} {
		resp, appErr := p.ExecuteCommand(nil, &model.CommandArgs{UserId: testUserID, Command: line})
		require.Nil(t, appErr)
		assert.Equal(t, model.CommandResponseTypeEphemeral, resp.ResponseType)
		assert.Contains(t, resp.Text, "not set up yet", line)
		assert.Contains(t, resp.Text, "Triage team", line)
	}
}

func TestSettingTheTeamLaterBringsThePluginToLife(t *testing.T) {
	saved := configured()
	p, api := newTestPlugin(t, activation{cfg: map[string]any{}, later: saved})
	require.NoError(t, activate(t, p))
	ok, _ := p.ready()
	require.False(t, ok)

	// The admin saves the team: the next configuration change sets the channel up.
	expectTriageSetup(api, activation{cfg: saved}, func(string, int) *model.AppError { return nil })
	require.NoError(t, p.OnConfigurationChange())
	ok, _ = p.ready()
	assert.True(t, ok)
}

func TestPolicyRouteIsPublic(t *testing.T) {
	cfg := configured()
	cfg["policytext"] = "## Policy\n\nReport privately. <script>alert(1)</script>"
	p, _ := newTestPlugin(t, activation{cfg: cfg})
	require.NoError(t, activate(t, p))

	w := httptest.NewRecorder()
	p.ServeHTTP(nil, w, httptest.NewRequest(http.MethodGet, "/policy", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'none'")
	assert.Contains(t, w.Body.String(), "<h2>Policy</h2>")
	assert.NotContains(t, w.Body.String(), "<script>alert(1)</script>")
}

// The public pages take their settings from configuration changes: a policy
// saved after activation is served at once, without a config read per request.
func TestAConfigurationChangeReachesThePublicPages(t *testing.T) {
	// No triage team: the change touches the public pages only.
	first := map[string]any{"policytext": "First policy"}
	second := map[string]any{"policytext": "Second policy"}
	p, api := newTestPlugin(t, activation{cfg: first, later: second})
	require.NoError(t, activate(t, p))

	policy := func() string {
		w := httptest.NewRecorder()
		p.ServeHTTP(nil, w, httptest.NewRequest(http.MethodGet, "/policy", nil))
		require.Equal(t, http.StatusOK, w.Code)
		return w.Body.String()
	}
	assert.Contains(t, policy(), "First policy")

	require.NoError(t, p.OnConfigurationChange())
	for range 3 {
		body := policy()
		assert.Contains(t, body, "Second policy")
		assert.NotContains(t, body, "First policy")
	}
	api.AssertNumberOfCalls(t, "GetConfig", 2) // one per configuration change, none per request
}
