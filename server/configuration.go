package main

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// getConfiguration returns the active configuration. Callers must not modify it;
// it is replaced, never changed, on every configuration change.
func (p *Plugin) getConfiguration() *config.Configuration {
	p.configLock.RLock()
	defer p.configLock.RUnlock()
	if p.configuration == nil {
		return &config.Configuration{}
	}
	return p.configuration
}

func (p *Plugin) setConfiguration(cfg *config.Configuration) {
	p.configLock.Lock()
	defer p.configLock.Unlock()
	p.configuration = cfg
}

// OnConfigurationChange applies a saved configuration. The server calls it before
// OnActivate too; the triage channel is only touched once activated.
func (p *Plugin) OnConfigurationChange() error {
	cfg := &config.Configuration{}
	if err := p.API.LoadPluginConfiguration(cfg); err != nil {
		return errors.Wrap(err, "could not load the plugin configuration")
	}
	p.setConfiguration(cfg.Clone())

	p.setupLock.Lock()
	activated := p.botID != ""
	p.setupLock.Unlock()
	if !activated {
		return nil
	}
	if p.service != nil {
		if err := p.scheduleJob(cfg.Clocks().JobInterval); err != nil {
			p.client.Log.Warn("Could not reschedule the follow-up job", "error", err.Error())
		}
	}
	// An error here is only logged by the server; ready() keeps answering "not set
	// up" until a working configuration is saved.
	return p.applyTriageSettings(cfg)
}

// applyTriageSettings points the plugin at the configured triage channel, creating
// it when needed. With no team set, the plugin is idle.
func (p *Plugin) applyTriageSettings(cfg *config.Configuration) error {
	p.setupLock.Lock()
	defer p.setupLock.Unlock()

	if !cfg.IsConfigured() {
		p.triage = nil
		return nil
	}
	triage, err := setup.EnsureTriageChannel(p.client, store.KeyTriageChannel, p.botID, cfg.Team(), cfg.Channel())
	if err != nil {
		p.triage = nil
		return errors.Wrap(err, "could not set up the triage channel")
	}
	p.triage = triage
	return nil
}

// ConfigurationWillBeSaved refuses invalid settings of this plugin before they are
// saved, naming each setting and the reason. Only settings that changed are judged.
func (p *Plugin) ConfigurationWillBeSaved(newCfg *model.Config) (*model.Config, error) {
	id := root.Manifest.Id
	next, err := config.FromPluginSettings(newCfg.PluginSettings.Plugins[id])
	if err != nil {
		return nil, settingsError(err.Error())
	}
	var prev *config.Configuration
	if current := p.API.GetConfig(); current != nil {
		if prev, err = config.FromPluginSettings(current.PluginSettings.Plugins[id]); err != nil {
			prev = nil // judge everything when the stored settings are unreadable
		}
	}

	problems := config.Validate(prev, next, func(name string) (bool, error) {
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
