package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
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
