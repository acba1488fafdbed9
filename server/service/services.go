package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Deps are what the use cases are built from.
type Deps struct {
	Store *store.Store
	// Notifier is everything the bot does for the use cases; each takes the
	// part it needs.
	Notifier  Notifier
	Directory Directory
	Settings  func() Settings
	Now       func() time.Time
	Log       Logger
	Audit     Auditor
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
}

// New builds the use cases. It is the only constructor: the plugin and the
// tests (through servicetest) both call it.
func New(d Deps) *Services {
	cards := &cards{store: d.Store, notify: d.Notifier, settings: d.Settings, now: d.Now, log: d.Log}
	public := &publicLists{store: d.Store, now: d.Now, log: d.Log}
	changes := &changes{cards: cards, public: public, notify: d.Notifier, audit: d.Audit, settings: d.Settings, log: d.Log}
	disclosure := &Disclosure{store: d.Store, notify: d.Notifier, changes: changes, settings: d.Settings, now: d.Now, log: d.Log}
	staging := &Staging{store: d.Store, notify: d.Notifier, directory: d.Directory, settings: d.Settings, now: d.Now, log: d.Log}
	triage := &Triage{store: d.Store, directory: d.Directory, cards: cards, changes: changes, disclosure: disclosure, now: d.Now, log: d.Log}
	return &Services{
		Intake: &Intake{store: d.Store, notify: d.Notifier, cards: cards, public: public, audit: d.Audit,
			settings: d.Settings, now: d.Now, log: d.Log},
		Triage: triage,
		Conversation: &Conversation{store: d.Store, notify: d.Notifier, triage: triage, cards: cards, audit: d.Audit,
			now: d.Now, log: d.Log},
		Clocks: &Clocks{store: d.Store, notify: d.Notifier, directory: d.Directory, cards: cards, changes: changes,
			disclosure: disclosure, staging: staging, settings: d.Settings, now: d.Now, log: d.Log},
		Disclosure: disclosure,
		Staging:    staging,
		HallOfFame: &HallOfFame{store: d.Store, directory: d.Directory, cards: cards, public: public, now: d.Now, log: d.Log},
	}
}
