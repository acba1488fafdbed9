package main

import (
	"net/http"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"
	"github.com/pkg/errors"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/api"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/command"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Plugin is wiring only: it builds the pieces in OnActivate and hands each hook to
// the package that owns the behaviour.
type Plugin struct {
	plugin.MattermostPlugin

	client *pluginapi.Client

	configLock sync.RWMutex
	active     *activeConfig // nil until the first configuration change

	// setupLock guards the bot id and the triage channel, which activation and
	// configuration changes set.
	setupLock sync.Mutex
	botID     string
	triage    *setup.TriageChannel // nil until the plugin is set up
	// safety remembers for a few seconds whether the triage channel is still
	// private, unshared and open (setup.Unsafe); set in OnActivate.
	safety *setup.SafetyCache

	relayLock sync.Mutex
	relay     *relayWorker

	jobLock     sync.Mutex
	job         *cluster.Job
	jobInterval time.Duration

	// background is the work started after activation (recovery.go), under
	// jobLock; nil until then.
	background *background
	// afterRequests is the work requests left to finish after answering
	// (service.Deps.Later); deactivation waits for it.
	afterRequests sync.WaitGroup

	store *store.Store
	// service holds the use cases; nil until activated.
	service  *service.Services
	commands *command.Router
	// router is set once in OnActivate, under configLock, which configuration
	// changes hold while they hand it their settings.
	router *api.Router
}

// OnActivate ensures the bot, the triage channel (when configured) and the slash
// command, and builds the use cases. Any failing step fails activation with the
// reason.
func (p *Plugin) OnActivate() error {
	p.client = pluginapi.NewClient(p.API, p.Driver)
	p.safety = &setup.SafetyCache{Now: time.Now, Check: p.client.Channel.Get, Changed: p.triageSafetyChanged}
	pluginID := root.Manifest.Id

	botID, err := setup.EnsureBot(p.client)
	if err != nil {
		return err
	}
	p.setupLock.Lock()
	p.botID = botID
	p.setupLock.Unlock()

	if triage := p.settings().Triage; triage.IsConfigured() {
		if err := p.applyTriageSettings(triage); err != nil {
			return err
		}
	}

	// The public pages learn of this server's changes from the store's writes,
	// so they show them at once; other servers' at the next revision check.
	changes := &api.PublicChanges{}
	p.store = store.New(changes.WatchKV(&p.client.KV), store.WithLogger(&p.client.Log), store.WithHost(hostName()))
	secret, err := p.store.SigningSecret(signing.KeySize)
	if err != nil {
		return errors.Wrap(err, "could not load the signing secret")
	}
	signer, err := signing.New(secret, time.Now)
	if err != nil {
		return err
	}
	pluginPath := routes.PluginPath(pluginID)
	notifier := notify.New(p.client, botID, pluginID, p.siteURL)
	notifier.GuardChannels(p.triageChannelUnsafe)
	p.service = service.New(p.serviceDeps(notifier))
	// Writes that span several keys can be cut short by a crash; finish them
	// before serving. This reads the intent slots and what they name, never
	// every report (recovery.go).
	p.replayIntents()

	p.commands = command.New(command.Deps{
		Intake:       p.service.Intake,
		Triage:       p.service.Triage,
		Conversation: p.service.Conversation,
		Clocks:       p.service.Clocks,
		Staging:      p.service.Staging,
		HallOfFame:   p.service.HallOfFame,
		Recovery:     p.service.Recovery,
		Signer:       signer,
		OpenDialog:   p.openDialog,
		PluginURL:    func() string { return p.siteURL() + pluginPath },
		PluginPath:   pluginPath,
		Now:          time.Now,

		UserIDByUsername: p.userIDByUsername,

		Products:       func() []string { return p.settings().Intake.Products },
		StagingMaxDays: func() int { return p.settings().Staging.MaxDays },
		Public:         func() config.Public { return p.settings().Public },
	}, p.ready)
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

	p.setRouter(api.NewRouter(api.Deps{
		Log:        &p.client.Log,
		Intake:     p.service.Intake,
		Triage:     p.service.Triage,
		Clocks:     p.service.Clocks,
		Staging:    p.service.Staging,
		Disclosure: p.service.Disclosure,
		HallOfFame: p.service.HallOfFame,
		Signer:     signer,
		OpenDialog: p.openDialog,
		Ephemeral:  p.ephemeral,
		PluginURL:  pluginPath,
		Now:        time.Now,
		Changes:    changes,
	}))

	p.startRelay()
	if err := p.scheduleJob(p.settings().Clocks.JobInterval); err != nil {
		return err
	}
	p.startBackground()
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
	if p.triageChannel() != nil {
		return true, ""
	}
	return false, notSetUpMessage
}

var notSetUpMessage = "Security reporting is not set up yet. A system admin must choose the triage team in **" + config.ConsolePath("TeamName") + "**; the private triage channel is created automatically."

func (p *Plugin) triageChannel() *setup.TriageChannel {
	p.setupLock.Lock()
	defer p.setupLock.Unlock()
	return p.triage
}

// IsTriager says whether a user is on the security team: a member of the triage
// channel, or a system admin, while that channel is safe (setup.Unsafe): once
// it is made public, shared or archived, its members may be anyone, so no one
// acts for the team until it is fixed. Guests, bots and deactivated users are
// never on the team.
func (p *Plugin) IsTriager(userID string) bool {
	triage := p.triageChannel()
	if triage != nil && p.safety.Reason(triage.ChannelID) != "" {
		return false
	}
	return p.wouldBeTriager(userID, triage)
}

// OnHold says why the team cannot act now to a user who would be on it but
// for the triage channel's state (setup.Unsafe). Anyone else is told nothing
// of it.
func (p *Plugin) OnHold(userID string) string {
	triage := p.triageChannel()
	if triage == nil {
		return ""
	}
	reason := p.safety.Reason(triage.ChannelID)
	if reason == "" || !p.wouldBeTriager(userID, triage) {
		return ""
	}
	return reason
}

// wouldBeTriager says whether a user is on the team whatever the triage
// channel's state: an active user, no guest or bot, who is a system admin or
// a member of the triage channel (system admins only, before it is set up).
func (p *Plugin) wouldBeTriager(userID string, triage *setup.TriageChannel) bool {
	if userID == "" {
		return false
	}
	user, err := p.client.User.Get(userID)
	if err != nil || user.DeleteAt != 0 || user.IsBot || user.IsGuest() {
		return false
	}
	if user.IsSystemAdmin() {
		return true
	}
	if triage == nil {
		return false
	}
	_, err = p.client.Channel.GetMember(triage.ChannelID, userID)
	return err == nil
}

// IsSystemAdmin says whether a user is a system admin.
func (p *Plugin) IsSystemAdmin(userID string) bool {
	if userID == "" {
		return false
	}
	user, err := p.client.User.Get(userID)
	return err == nil && user.DeleteAt == 0 && user.IsSystemAdmin()
}

// serviceDeps are what the use cases are built from. Each settings func reads
// the settings of the last configuration change, so a change applies to the
// next use without rebuilding anything.
func (p *Plugin) serviceDeps(notifier service.Notifier) service.Deps {
	return service.Deps{
		Store:     p.store,
		Notifier:  notifier,
		Directory: p,
		Now:       time.Now,
		Log:       &p.client.Log,
		Audit:     p,
		Later:     p.afterRequests.Go,

		TriageChannelID: p.triageChannelID,
		Intake:          func() config.Intake { return p.settings().Intake },
		Clocks:          func() config.Clocks { return p.settings().Clocks },
		Staging:         func() config.Staging { return p.settings().Staging },
		Disclosure:      func() config.Disclosure { return p.settings().Disclosure },
		SecurityUpdatesURL: func() string {
			return p.siteURL() + routes.PluginPath(root.Manifest.Id) + routes.SecurityUpdates
		},
	}
}

// triageChannelID is where new cards go; empty until the plugin is set up.
func (p *Plugin) triageChannelID() string {
	if triage := p.triageChannel(); triage != nil {
		return triage.ChannelID
	}
	return ""
}

func (p *Plugin) openDialog(triggerID, url string, d model.Dialog) error {
	return p.client.Frontend.OpenInteractiveDialog(model.OpenDialogRequest{TriggerId: triggerID, URL: url, Dialog: d})
}

func (p *Plugin) ephemeral(userID, channelID, message string) {
	if channelID == "" {
		return
	}
	p.client.Post.SendEphemeralPost(userID, &model.Post{ChannelId: channelID, Message: message})
}
