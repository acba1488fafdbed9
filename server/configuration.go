package main

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"
	"github.com/pkg/errors"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/api"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// activeConfig is what one configuration change produced: the parsed settings
// and the server's site URL, read together so that no request reads the server
// config. It is replaced, never changed.
type activeConfig struct {
	settings config.Settings
	// good: every stored value parsed, so these settings may be kept when a
	// later configuration does not parse.
	good    bool
	siteURL string
	// emailBatching is the server's email batching setting: batched emails
	// would carry report content, so notifications check it.
	emailBatching bool
}

// settings returns the active settings; before the first configuration load,
// the manifest defaults. Callers must not modify them.
func (p *Plugin) settings() config.Settings {
	p.configLock.RLock()
	defer p.configLock.RUnlock()
	if p.active == nil {
		return config.Defaults()
	}
	return p.active.settings
}

// siteURL is the server's site URL as of the last configuration change.
func (p *Plugin) siteURL() string {
	p.configLock.RLock()
	defer p.configLock.RUnlock()
	if p.active == nil {
		return ""
	}
	return p.active.siteURL
}

// emailBatching says whether the server batches notification emails, as of the
// last configuration change.
func (p *Plugin) emailBatching() bool {
	p.configLock.RLock()
	defer p.configLock.RUnlock()
	return p.active != nil && p.active.emailBatching
}

// setRouter publishes the router with the settings in force, under the lock a
// configuration change holds, so that no change can fall between the two.
func (p *Plugin) setRouter(r *api.Router) {
	p.configLock.Lock()
	defer p.configLock.Unlock()
	p.router = r
	cfg, siteURL := config.Defaults(), ""
	if p.active != nil {
		cfg, siteURL = p.active.settings, p.active.siteURL
	}
	r.SetPublicSettings(publicSettingsOf(cfg, siteURL))
}

// OnConfigurationChange applies a saved configuration. The server calls it
// before OnActivate too, and whenever the server's own config changes, which is
// when the site URL and email batching are read. The public pages get their
// settings here, never per request. The triage channel is only touched once
// activated.
func (p *Plugin) OnConfigurationChange() error {
	raw := map[string]any{}
	if err := p.API.LoadPluginConfiguration(&raw); err != nil {
		return errors.Wrap(err, "could not load the plugin configuration")
	}
	siteURL, batching := "", false
	if cfg := p.API.GetConfig(); cfg != nil {
		if cfg.ServiceSettings.SiteURL != nil {
			siteURL = *cfg.ServiceSettings.SiteURL
		}
		batching = cfg.EmailSettings.EnableEmailBatching != nil && *cfg.EmailSettings.EnableEmailBatching
	}
	parsed, problems := config.Parse(raw)
	p.configLock.Lock()
	active, kept := adopt(p.active, parsed, problems)
	active.siteURL, active.emailBatching = siteURL, batching
	p.active = &active
	if p.router != nil {
		p.router.SetPublicSettings(publicSettingsOf(active.settings, active.siteURL))
	}
	p.configLock.Unlock()
	p.logProblems(problems, kept)

	p.setupLock.Lock()
	activated := p.botID != ""
	p.setupLock.Unlock()
	if !activated {
		return nil
	}
	if p.service != nil {
		if err := p.scheduleJob(active.settings.Clocks.JobInterval); err != nil {
			p.client.Log.Warn("Could not reschedule the follow-up job", "error", err.Error())
		}
	}
	// An error here is only logged by the server; ready() keeps answering "not set
	// up" until a working configuration is saved.
	return p.applyTriageSettings(active.settings.Triage)
}

// adopt decides which settings a parse leads to, given the active ones. A
// stored configuration with values that do not parse bypassed
// ConfigurationWillBeSaved (an edited config file or database). Mixing its good
// values with defaults for the bad ones would run a configuration nobody chose,
// so the last settings that parsed whole stay in force (kept), and each bad
// value is logged as an error naming the setting, for the admin to fix. Only
// when there are no such settings yet (the first load) do the manifest
// defaults stand in for the bad values, as Parse returns them.
func adopt(last *activeConfig, parsed config.Settings, problems []config.Problem) (active activeConfig, kept bool) {
	if len(problems) == 0 {
		return activeConfig{settings: parsed, good: true}, false
	}
	if last != nil && last.good {
		return *last, true
	}
	return activeConfig{settings: parsed}, false
}

// logProblems logs each stored setting that did not parse, and what stands in
// for it.
func (p *Plugin) logProblems(problems []config.Problem, kept bool) {
	message := "A stored Responsible Disclosure setting is invalid; using its default until it is fixed in the System Console"
	if kept {
		message = "A stored Responsible Disclosure setting is invalid; keeping the last valid settings until it is fixed in the System Console"
	}
	for _, problem := range problems {
		p.API.LogError(message, "setting", problem.Setting, "reason", problem.Reason)
	}
}

// applyTriageSettings points the plugin at the configured triage channel, creating
// it when needed. With no team set, the plugin is idle.
func (p *Plugin) applyTriageSettings(t config.Triage) error {
	moved, err := p.pointAtTriageChannel(t)
	if moved {
		// The cards of the open and fixed reports follow, in the background:
		// there may be thousands, and the settings save must not wait.
		p.rehomeCards()
	}
	return err
}

// triageSetupMutex names the cluster-wide lock around the triage channel's
// setup.
const triageSetupMutex = "triage-setup"

// pointAtTriageChannel sets the triage channel from the settings, and says
// whether it moved from another channel.
func (p *Plugin) pointAtTriageChannel(t config.Triage) (bool, error) {
	p.setupLock.Lock()
	defer p.setupLock.Unlock()

	if !t.IsConfigured() {
		p.triage = nil
		return false, nil
	}
	// Every server of a cluster runs this at activation and at each
	// configuration change, all at once after a restart: one at a time, the
	// first creates the channel and the others find it.
	lock, err := cluster.NewMutex(p.API, triageSetupMutex)
	if err != nil {
		return false, errors.Wrap(err, "could not set up the triage channel")
	}
	lock.Lock()
	triage, err := setup.EnsureTriageChannel(p.client, store.KeyTriageChannel, p.botID, t.Team, t.Channel)
	lock.Unlock()
	if err != nil {
		p.triage = nil
		return false, errors.Wrap(err, "could not set up the triage channel")
	}
	moved := p.triage != nil && p.triage.ChannelID != triage.ChannelID
	p.triage = triage
	return moved, nil
}

// ConfigurationWillBeSaved refuses invalid settings of this plugin before they are
// saved, naming each setting and the reason. Only settings that changed are judged.
func (p *Plugin) ConfigurationWillBeSaved(newCfg *model.Config) (*model.Config, error) {
	id := root.Manifest.Id
	var prev map[string]any // nil: judge every setting
	if current := p.API.GetConfig(); current != nil {
		prev = current.PluginSettings.Plugins[id]
		if prev == nil {
			prev = map[string]any{} // nothing saved yet: every value is compared with "missing"
		}
	}

	problems := config.Validate(prev, newCfg.PluginSettings.Plugins[id], func(name string) (bool, error) {
		_, appErr := p.API.GetTeamByName(name)
		if appErr == nil {
			return true, nil
		}
		if appErr.StatusCode == 404 {
			return false, nil
		}
		return false, appErr
	})
	if len(problems) == 0 {
		return nil, nil
	}
	lines := make([]string, 0, len(problems))
	for _, problem := range problems {
		lines = append(lines, problem.String())
	}
	return nil, settingsError("Responsible Disclosure settings not saved. " + strings.Join(lines, "; "))
}

// settingsError is shown to the admin as written: SkipTranslation stops the server
// from replacing the message with a translation id.
func settingsError(message string) *model.AppError {
	appErr := model.NewAppError("ConfigurationWillBeSaved", "plugins.responsible_disclosure.invalid_settings", nil, "", 400)
	appErr.Message = message
	appErr.SkipTranslation = true
	return appErr
}
