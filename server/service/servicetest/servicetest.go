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
// with triage channel "triage" and the defaults of plugin.json, on an empty
// store, with nobody on the team, at the real time: a test sets only what it
// reads.
type Options struct {
	// KV holds the store's data; nil: a new MemoryStore. Use cases built on
	// one KV act as the servers of one cluster.
	KV store.KV
	// Bot records what the bot does; nil: a new one. The servers of a cluster
	// post to the same Mattermost, so give them the same Bot.
	Bot *Bot
	// Directory says who is on the security team.
	Directory service.Directory
	// The settings, each the slice of service.Deps of the same name. They are
	// read on every use, as the plugin's are, so a test may change them
	// between calls; nil: the plugin.json default.
	Intake     func() config.Intake
	Clocks     func() config.Clocks
	Staging    func() config.Staging
	Disclosure func() config.Disclosure
	// TriageChannelID nil: "triage"; a func returning "" is a plugin not set up.
	TriageChannelID func() string
	// SecurityUpdatesURL nil: none, so disclosure notes link no page.
	SecurityUpdatesURL func() string
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Host names the server for the store's intents (store.WithHost); empty:
	// unknown.
	Host string
	// Later runs what a request need not wait for (service.Deps.Later); nil:
	// at once, so a call's effects are all there when it returns. A test of
	// a crash in between may keep the work and never run it.
	Later func(func())
}

// Fixed is a setting that never changes, for Options.
func Fixed[T any](v T) func() T {
	return func() T { return v }
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
	defaults := config.Defaults()
	if o.TriageChannelID == nil {
		o.TriageChannelID = Fixed("triage")
	}
	if o.Intake == nil {
		o.Intake = Fixed(defaults.Intake)
	}
	if o.Clocks == nil {
		o.Clocks = Fixed(defaults.Clocks)
	}
	if o.Staging == nil {
		o.Staging = Fixed(defaults.Staging)
	}
	if o.Directory == nil {
		o.Directory = Directory{}
	}
	if o.Later == nil {
		o.Later = func(work func()) { work() }
	}
	if o.Disclosure == nil {
		o.Disclosure = Fixed(defaults.Disclosure)
	}
	if o.SecurityUpdatesURL == nil {
		o.SecurityUpdatesURL = Fixed("")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	env := &Env{Store: store.New(o.KV, store.WithHost(o.Host)), Bot: o.Bot, Audit: &Auditor{}}
	// What activation starts in the background: on an empty store it only
	// marks the advisories' conversion done, so the Security Updates use
	// their shards from the first disclosure on, as a new installation's do.
	if _, err := env.Store.ConvertSecurityUpdates(); err != nil {
		panic(err) // an in-memory store does not fail
	}
	env.Services = service.New(service.Deps{
		Store:     env.Store,
		Notifier:  o.Bot,
		Directory: o.Directory,
		Now:       o.Now,
		Log:       Logger{},
		Audit:     env.Audit,

		Later:              o.Later,
		TriageChannelID:    o.TriageChannelID,
		Intake:             o.Intake,
		Clocks:             o.Clocks,
		Staging:            o.Staging,
		Disclosure:         o.Disclosure,
		SecurityUpdatesURL: o.SecurityUpdatesURL,
	})
	return env
}
