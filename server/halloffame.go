package main

import (
	"github.com/pkg/errors"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/api"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// publicSettingsOf is what the public pages read of the settings and the
// server's site URL.
func publicSettingsOf(cfg config.Settings, siteURL string) api.PublicSettings {
	s := api.PublicSettings{
		SiteURL:            siteURL,
		PluginPath:         routes.PluginPath(root.Manifest.Id),
		HallOfFame:         cfg.Public.HallOfFame,
		ContactEmail:       cfg.Public.SecurityTxt.ContactEmail,
		PreferredLanguages: cfg.Public.SecurityTxt.Languages,
		Canonical:          cfg.Public.SecurityTxt.Canonical,
		SecurityUpdates:    cfg.Disclosure.SecurityUpdates,
		OSVEcosystem:       cfg.Disclosure.OSV.Ecosystem,
		OSVPackage:         cfg.Disclosure.OSV.Name,
		Policy:             cfg.Public.Policy,
	}
	if cfg.Public.PGPKey != nil {
		s.PGPKey = cfg.Public.PGPKey.Armored
	}
	return s
}

// userIDByUsername resolves an @mention to an active user's id.
func (p *Plugin) userIDByUsername(username string) (string, error) {
	user, err := p.client.User.GetByUsername(username)
	if err != nil {
		return "", err
	}
	if user.DeleteAt != 0 {
		return "", errors.Errorf("user %s is deactivated", username)
	}
	return user.Id, nil
}
