package main

import (
	"maps"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/api"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
)

func serverConfig(settings map[string]any) *model.Config {
	cfg := &model.Config{}
	cfg.SetDefaults()
	cfg.PluginSettings.Plugins = map[string]map[string]any{root.Manifest.Id: settings}
	return cfg
}

func TestConfigurationWillBeSaved(t *testing.T) {
	current := map[string]any{"teamname": "security", "channelname": "security-reports", "maxreportsperday": "10"}
	tests := []struct {
		name    string
		next    map[string]any
		message string // empty: accepted
	}{
		{"unchanged", current, ""},
		{"valid change", map[string]any{"teamname": "security", "channelname": "sec-triage", "maxreportsperday": "3"}, ""},
		{"unknown team", map[string]any{"teamname": "ghosts", "channelname": "security-reports", "maxreportsperday": "10"}, `Triage team: no team named "ghosts" exists`},
		{"bad channel", map[string]any{"teamname": "security", "channelname": "Not Valid", "maxreportsperday": "10"}, "Triage channel name"},
		{"bad limit", map[string]any{"teamname": "security", "channelname": "security-reports", "maxreportsperday": "-1"}, `Max reports per researcher per day: "-1" must be at least 1`},
		{"bad url", map[string]any{"teamname": "security", "testserverurl": "javascript:alert(1)"}, "Community test server URL"},
		{"private pgp", map[string]any{"teamname": "security", "pgppublickey": "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----"}, "Team PGP public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &plugintest.API{}
			api.On("GetConfig").Return(serverConfig(current))
			api.On("GetTeamByName", "security").Return(&model.Team{Name: "security"}, nil).Maybe()
			api.On("GetTeamByName", "ghosts").Return(nil, model.NewAppError("GetTeamByName", "app.team.get_by_name.missing", nil, "", 404)).Maybe()
			p := &Plugin{}
			p.SetAPI(api)

			out, err := p.ConfigurationWillBeSaved(serverConfig(tt.next))
			assert.Nil(t, out, "the config is never rewritten")
			if tt.message == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			appErr, ok := err.(*model.AppError)
			require.True(t, ok, "an *AppError reaches the admin with its message")
			assert.True(t, appErr.SkipTranslation)
			assert.Equal(t, 400, appErr.StatusCode)
			assert.Contains(t, appErr.Message, tt.message)
			appErr.Translate(nil)
			assert.Contains(t, appErr.Message, tt.message, "translation must not replace the message")
		})
	}
}

func TestConfigurationWillBeSavedIgnoresBrokenUnchangedTeam(t *testing.T) {
	// The team was deleted after being saved; the admin saves an unrelated server
	// setting. The plugin must not block it.
	settings := map[string]any{"teamname": "deleted-team"}
	api := &plugintest.API{}
	api.On("GetConfig").Return(serverConfig(settings))
	p := &Plugin{}
	p.SetAPI(api)
	next := serverConfig(settings)
	next.TeamSettings.SiteName = model.NewPointer("Renamed")
	_, err := p.ConfigurationWillBeSaved(next)
	assert.NoError(t, err)
	api.AssertNotCalled(t, "GetTeamByName", "deleted-team")
}

// storedSettings answers LoadPluginConfiguration with whatever *stored holds
// at the time of the call, as the server answers with the saved settings.
func storedSettings(api *plugintest.API, stored *map[string]any) {
	api.On("LoadPluginConfiguration", mock.AnythingOfType("*map[string]interface {}")).Run(func(args mock.Arguments) {
		*args.Get(0).(*map[string]any) = maps.Clone(*stored)
	}).Return(nil)
}

func withSiteURL(url string) *model.Config {
	cfg := serverConfig(nil)
	cfg.ServiceSettings.SiteURL = model.NewPointer(url)
	return cfg
}

func TestOnConfigurationChangeKeepsTheLastGoodSettings(t *testing.T) {
	api := &plugintest.API{}
	t.Cleanup(func() { api.AssertExpectations(t) })
	stored := map[string]any{"stagingmaxdays": float64(20), "maxreportsperday": "4"}
	storedSettings(api, &stored)
	api.On("GetConfig").Return(withSiteURL("https://a.example")).Once()
	p := &Plugin{}
	p.SetAPI(api)

	require.NoError(t, p.OnConfigurationChange())
	assert.Equal(t, 20, p.settings().Staging.MaxDays)
	assert.Equal(t, "https://a.example", p.siteURL())

	// Someone edits the database: one value bypassed validation. The last good
	// settings stay whole (the valid change waits too), the problem is logged
	// by name, and the new site URL still applies.
	stored = map[string]any{"stagingmaxdays": "500", "maxreportsperday": "3"}
	api.On("GetConfig").Return(withSiteURL("https://b.example")).Once()
	api.On("LogError", mock.MatchedBy(func(m string) bool { return strings.Contains(m, "keeping the last valid settings") }),
		"setting", "Staging window, max days", "reason", "500 is more than 90 days").Once()
	require.NoError(t, p.OnConfigurationChange())
	assert.Equal(t, 20, p.settings().Staging.MaxDays)
	assert.Equal(t, 4, p.settings().Intake.MaxReportsPerDay)
	assert.Equal(t, "https://b.example", p.siteURL())

	// Once fixed, the saved settings apply.
	stored = map[string]any{"stagingmaxdays": "30", "maxreportsperday": "3"}
	api.On("GetConfig").Return(withSiteURL("https://b.example")).Once()
	require.NoError(t, p.OnConfigurationChange())
	assert.Equal(t, 30, p.settings().Staging.MaxDays)
	assert.Equal(t, 3, p.settings().Intake.MaxReportsPerDay)
}

func TestOnConfigurationChangeUsesDefaultsWhenNothingGoodWasLoaded(t *testing.T) {
	api := &plugintest.API{}
	t.Cleanup(func() { api.AssertExpectations(t) })
	stored := map[string]any{"stagingmaxdays": "two weeks", "channelname": "Bad Name", "maxreportsperday": "4"}
	storedSettings(api, &stored)
	api.On("GetConfig").Return(serverConfig(nil))
	using := mock.MatchedBy(func(m string) bool { return strings.Contains(m, "using its default") })
	api.On("LogError", using, "setting", "Triage channel name", "reason", mock.Anything).Once()
	api.On("LogError", using, "setting", "Staging window, max days", "reason", `"two weeks" must be a whole number`).Once()
	p := &Plugin{}
	p.SetAPI(api)

	require.NoError(t, p.OnConfigurationChange())
	s := p.settings()
	assert.Equal(t, 14, s.Staging.MaxDays)
	assert.Equal(t, "security-reports", s.Triage.Channel)
	assert.Equal(t, 4, s.Intake.MaxReportsPerDay, "what parses applies")

	// Still broken on the next load: these settings were never good, so the
	// new parse replaces them and the problems are logged again.
	stored = map[string]any{"stagingmaxdays": "two weeks", "channelname": "Bad Name", "maxreportsperday": "5"}
	api.On("LogError", using, "setting", "Triage channel name", "reason", mock.Anything).Once()
	api.On("LogError", using, "setting", "Staging window, max days", "reason", `"two weeks" must be a whole number`).Once()
	require.NoError(t, p.OnConfigurationChange())
	assert.Equal(t, 5, p.settings().Intake.MaxReportsPerDay)
}

func TestSiteURLIsReadOncePerConfigurationChange(t *testing.T) {
	api := &plugintest.API{}
	stored := map[string]any{}
	storedSettings(api, &stored)
	api.On("GetConfig").Return(withSiteURL("https://chat.example.com"))
	p := &Plugin{}
	p.SetAPI(api)
	p.client = pluginapi.NewClient(api, nil)
	assert.Equal(t, "", p.siteURL(), "before the first load")
	assert.Equal(t, config.Defaults(), p.settings(), "before the first load: the manifest defaults")

	require.NoError(t, p.OnConfigurationChange())
	for range 3 {
		assert.Equal(t, "https://chat.example.com", p.publicSettings().SiteURL)
		assert.Equal(t, "https://chat.example.com/plugins/"+root.Manifest.Id+"/security-updates", p.serviceDeps(nil).SecurityUpdatesURL())
	}
	api.AssertNumberOfCalls(t, "GetConfig", 1)
}

// Email batching is read with the site URL, once per configuration change,
// and notifications use what was read.
func TestEmailBatchingIsReadOncePerConfigurationChange(t *testing.T) {
	for _, batching := range []bool{true, false} {
		api := &plugintest.API{}
		stored := map[string]any{}
		storedSettings(api, &stored)
		cfg := withSiteURL("https://chat.example.com")
		cfg.EmailSettings.EnableEmailBatching = model.NewPointer(batching)
		api.On("GetConfig").Return(cfg)
		p := &Plugin{}
		p.SetAPI(api)
		assert.False(t, p.emailBatching(), "before the first load")

		require.NoError(t, p.OnConfigurationChange())
		for range 3 {
			assert.Equal(t, batching, p.emailBatching())
		}
		api.AssertNumberOfCalls(t, "GetConfig", 1)
	}
}

func TestLayersReceiveTheParsedSettings(t *testing.T) {
	api := &plugintest.API{}
	stored := map[string]any{
		"products": "Core, Extras", "maxreportsperday": float64(4), "showassigneetoreporter": true,
		"stagingmaxdays": "9", "stagingmaxopen": "3", "disclosuredelaydays": "0",
		"osvecosystem": "Go", "osvpackage": "example.com/x", "enablesecurityupdates": false, "enablehalloffame": false,
		"securitycontactemail": "s@example.com", "securitytxtlanguages": "de", "securitytxtcanonical": "https://a.example/security.txt",
		"autoclose": "10d",
	}
	storedSettings(api, &stored)
	api.On("GetConfig").Return(withSiteURL("https://chat.example.com"))
	p := &Plugin{}
	p.SetAPI(api)
	p.client = pluginapi.NewClient(api, nil)
	require.NoError(t, p.OnConfigurationChange())

	svc := p.serviceDeps(nil)
	assert.Equal(t, []string{"Core", "Extras"}, svc.Intake().Products)
	assert.Equal(t, 4, svc.Intake().MaxReportsPerDay)
	assert.True(t, svc.Intake().ShowAssignee)
	assert.Equal(t, 9, svc.Staging().MaxDays)
	assert.Equal(t, 3, svc.Staging().MaxOpen)
	assert.Equal(t, 0, svc.Disclosure().DelayDays)
	assert.Equal(t, "10d", svc.Clocks().AutoClose.String())

	pub := p.publicSettings()
	assert.Equal(t, "Go", pub.OSVEcosystem)
	assert.Equal(t, "example.com/x", pub.OSVPackage)
	assert.False(t, pub.SecurityUpdates)
	assert.False(t, pub.HallOfFame)
	assert.Empty(t, pub.PGPKey)
	assert.Equal(t, "s@example.com", pub.ContactEmail)
	assert.Equal(t, []string{"de"}, pub.PreferredLanguages)
	assert.Equal(t, []string{"https://a.example/security.txt"}, pub.Canonical)
}

// publicSettings is the configuration as the public pages read it.
func (p *Plugin) publicSettings() api.PublicSettings {
	return publicSettingsOf(p.settings(), p.siteURL())
}
