package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Deps are what the use cases are built from. The settings are funcs, read on
// every use, because the admin may change them while the plugin runs; each
// returns one slice of the configuration, and New hands each use case only
// the slices it reads.
type Deps struct {
	Store *store.Store
	// Notifier is everything the bot does for the use cases; each takes the
	// part it needs.
	Notifier  Notifier
	Directory Directory
	// TriageChannelID is where new cards go; empty until the plugin is set up.
	TriageChannelID func() string
	// Intake: the products, the daily limit and whether reporters see the assignee.
	Intake func() config.Intake
	// Clocks: the service-level targets and follow-up intervals.
	Clocks func() config.Clocks
	// Staging: the bounds of staging-server requests.
	Staging func() config.Staging
	// Disclosure: the embargo after a fix's release.
	Disclosure func() config.Disclosure
	// SecurityUpdatesURL is the public Security Updates page, for links in messages.
	SecurityUpdatesURL func() string
	Now                func() time.Time
	Log                Logger
	Audit              Auditor
	// Later runs work a request need not wait for, such as the steps after a
	// filing's posts. The plugin runs it in a goroutine it waits for when
	// deactivated; tests run it at once.
	Later func(func())
}

// Services are the use cases of one plugin instance, built together so that
// they share one view of the cards, the public lists and the steps that
// follow a change.
type Services struct {
	Intake       *Intake
	Triage       *Triage
	Conversation *Conversation
	Clocks       *Clocks
	Disclosure   *Disclosure
	Staging      *Staging
	HallOfFame   *HallOfFame
	Recovery     *Recovery
}

// New builds the use cases. It is the only constructor: the plugin and the
// tests (through servicetest) both call it.
func New(d Deps) *Services {
	showAssignee := func() bool { return d.Intake().ShowAssignee }
	cards := &cards{store: d.Store, notify: d.Notifier, triageChannelID: d.TriageChannelID, clocks: d.Clocks, now: d.Now, log: d.Log}
	public := &publicLists{store: d.Store, now: d.Now, log: d.Log}
	changes := &changes{store: d.Store, cards: cards, public: public, notify: d.Notifier, audit: d.Audit, showAssignee: showAssignee, log: d.Log}
	disclosure := &Disclosure{store: d.Store, notify: d.Notifier, changes: changes, triageChannelID: d.TriageChannelID,
		settings: d.Disclosure, updatesURL: d.SecurityUpdatesURL, now: d.Now, log: d.Log}
	staging := &Staging{store: d.Store, notify: d.Notifier, directory: d.Directory, audit: d.Audit, triageChannelID: d.TriageChannelID,
		settings: d.Staging, now: d.Now, log: d.Log}
	triage := &Triage{store: d.Store, directory: d.Directory, cards: cards, changes: changes, disclosure: disclosure, now: d.Now, log: d.Log}
	hall := &HallOfFame{store: d.Store, directory: d.Directory, cards: cards, public: public, audit: d.Audit, now: d.Now, log: d.Log}
	return &Services{
		Intake: &Intake{store: d.Store, notify: d.Notifier, cards: cards, public: public, audit: d.Audit,
			triageChannelID: d.TriageChannelID, settings: d.Intake, clocks: d.Clocks, later: d.Later, now: d.Now, log: d.Log},
		Triage: triage,
		Conversation: &Conversation{store: d.Store, notify: d.Notifier, triage: triage, cards: cards, audit: d.Audit,
			now: d.Now, log: d.Log},
		Clocks: &Clocks{store: d.Store, notify: d.Notifier, directory: d.Directory, cards: cards, changes: changes, audit: d.Audit,
			disclosure: disclosure, staging: staging, triageChannelID: d.TriageChannelID, settings: d.Clocks, now: d.Now, log: d.Log},
		Disclosure: disclosure,
		Staging:    staging,
		HallOfFame: hall,
		Recovery: &Recovery{store: d.Store, notify: d.Notifier, cards: cards, public: public, hall: hall,
			triageChannelID: d.TriageChannelID, clocks: d.Clocks, now: d.Now, log: d.Log},
	}
}
