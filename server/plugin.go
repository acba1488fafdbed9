package main

import (
	"net/http"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/api"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/command"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
)

// Plugin is wiring only: it builds the pieces in OnActivate and hands each hook to
// the package that owns the behaviour.
type Plugin struct {
	plugin.MattermostPlugin

	client *pluginapi.Client

	configLock    sync.RWMutex
	configuration *config.Configuration

	// setupLock serialises activation and re-pointing of the triage channel.
	setupLock sync.Mutex
	botID     string
	triage    *setup.TriageChannel // nil until the plugin is set up
	setupErr  error

	commands *command.Router
	router   http.Handler
}

// OnActivate ensures the bot, the triage channel (when configured) and the slash
// command. Any failing step fails activation with the reason.
func (p *Plugin) OnActivate() error {
	p.client = pluginapi.NewClient(p.API, p.Driver)

	botID, err := setup.EnsureBot(p.client)
	if err != nil {
		return err
	}

	p.setupLock.Lock()
	p.botID = botID
	p.setupLock.Unlock()

	if cfg := p.getConfiguration(); cfg.IsConfigured() {
		if err := p.applyTriageSettings(cfg); err != nil {
			return err
		}
	}

	p.commands = command.NewRouter(p.ready, p.isTeamMember)
	if err := p.client.SlashCommand.Register(&model.Command{
		Trigger:          command.Trigger,
		DisplayName:      "Security",
		Description:      "Report a security vulnerability privately.",
		AutoComplete:     true,
		AutoCompleteDesc: "Report a security vulnerability privately, or follow your reports.",
		AutoCompleteHint: "[command]",
		AutocompleteData: p.commands.Autocomplete(),
	}); err != nil {
		return errors.Wrap(err, "could not register the /security command")
	}

	p.router = api.NewRouter(api.Deps{
		Log:    p.client.Log,
		Policy: func() string { return p.getConfiguration().PolicyText },
	})
	return nil
}

// ExecuteCommand hands /security to the command router.
func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	return p.commands.Execute(args.UserId, args.ChannelId, args.TeamId, args.RootId, args.TriggerId, args.Command), nil
}

// ServeHTTP hands every plugin route to the API router.
func (p *Plugin) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	p.router.ServeHTTP(w, r)
}

// ready says whether commands can run, and if not, what the admin must do.
func (p *Plugin) ready() (bool, string) {
	p.setupLock.Lock()
	defer p.setupLock.Unlock()
	if p.triage != nil {
		return true, ""
	}
	return false, notSetUpMessage
}

const notSetUpMessage = "Security reporting is not set up yet. A system admin must choose the triage team in **System Console › Plugins › Responsible Disclosure › Triage team**; the private triage channel is created automatically."

// isTeamMember says whether a user is on the security team: a member of the triage
// channel, or a system admin.
func (p *Plugin) isTeamMember(userID string) bool {
	p.setupLock.Lock()
	triage := p.triage
	p.setupLock.Unlock()

	if user, err := p.client.User.Get(userID); err == nil && user.IsSystemAdmin() {
		return true
	}
	if triage == nil {
		return false
	}
	_, err := p.client.Channel.GetMember(triage.ChannelID, userID)
	return err == nil
}
