// Package servicetest builds the use cases the way the plugin does, with
// service.New, on the real store over an in-memory KV, and with recording
// stand-ins for the rest: the bot's posts (Bot), the team directory, the
// logger and the audit log. The recorders word messages and pick buttons with
// package notify's own functions, so tests read what the bot would say. Tests
// of the service and of its adapters use it; none builds service.Deps by hand.
package servicetest

import (
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Options say what the use cases run on. The zero value is a plugin set up
// with the default products and triage channel "triage", on an empty store,
// with nobody on the team, at the real time.
type Options struct {
	// KV holds the store's data; nil: a new MemoryStore. Use cases built on
	// one KV act as the servers of one cluster.
	KV store.KV
	// Bot records what the bot does; nil: a new one. The servers of a cluster
	// post to the same Mattermost, so give them the same Bot.
	Bot *Bot
	// Directory says who is on the security team.
	Directory Directory
	// Settings are read on every use, as the plugin's are; nil: DefaultSettings.
	Settings func() service.Settings
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// DefaultSettings are a set-up plugin's: the default products, ten reports a
// day, triage channel "triage".
func DefaultSettings() service.Settings {
	return service.Settings{Products: config.Defaults().Intake.Products, MaxReportsPerDay: 10, TriageChannelID: "triage"}
}

// Env is the use cases of one server with the store and the recorders they
// run on.
type Env struct {
	*service.Services
	Store *store.Store
	Bot   *Bot
	Audit *Auditor
}

// New builds the use cases with service.New.
func New(o Options) *Env {
	if o.KV == nil {
		o.KV = &pluginapi.MemoryStore{}
	}
	if o.Bot == nil {
		o.Bot = NewBot()
	}
	if o.Settings == nil {
		o.Settings = DefaultSettings
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	env := &Env{Store: store.New(o.KV), Bot: o.Bot, Audit: &Auditor{}}
	env.Services = service.New(service.Deps{
		Store:     env.Store,
		Notifier:  o.Bot,
		Directory: o.Directory,
		Settings:  o.Settings,
		Now:       o.Now,
		Log:       Logger{},
		Audit:     env.Audit,
	})
	return env
}
