// Package service holds the use cases: file, read, act on and credit reports. It
// decides who may do what, then calls the store and the notifier. It knows no HTTP
// and no command syntax: the adapters (command, api) parse and call it.
package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Errors the adapters turn into answers. Their messages are fit to show.
var (
	// ErrNotFound answers both "no such report" and "not yours to see", so the
	// two cannot be told apart.
	ErrNotFound    = errors.New("no report with that id was found among yours")
	ErrNotSetUp    = errors.New("security reporting is not set up yet: a system admin must choose the triage team in the plugin settings")
	ErrRateLimited = errors.New("you have filed the maximum number of reports for today (UTC); please try again tomorrow, or add to an existing report by replying in its thread")
	ErrBusy        = errors.New("the plugin is busy; nothing was saved, please try again")
	ErrNotTriager  = errors.New("only the security team can do that")
)

// Settings are the parts of the configuration the use cases read.
type Settings struct {
	Products         []string
	MaxReportsPerDay int
	// TriageChannelID is where new cards go; empty until the plugin is set up.
	TriageChannelID string
	// ShowAssignee lets reporter DMs name who works on their report.
	ShowAssignee bool
	// Clocks are the service-level targets and follow-up intervals.
	Clocks config.Clocks
	// Staging bounds staging-server requests.
	Staging StagingSettings
	// Disclosure governs advisories and their embargo.
	Disclosure DisclosureSettings
}

// Notifier is what the use cases need from package notify.
type Notifier interface {
	PostCard(r *report.Report, view event.CardView) (string, error)
	UpdateCard(r *report.Report, view event.CardView) error
	CardExists(r *report.Report) bool
	// PostFullText posts the report's full text under its card cardID.
	PostFullText(r *report.Report, cardID string) error
	// SendReceipt acknowledges a new report to its reporter, stating the
	// first-response target.
	SendReceipt(r *report.Report, firstResponse sla.Target) (string, error)
	NoteChange(r *report.Report, e report.Event) error
	// Publish tells the webapps of the team and of the reporter that r changed.
	Publish(r *report.Report)
	TellReporter(r *report.Report, e report.Event, showAssignee bool) error
}

// Directory answers who is on the security team.
type Directory interface {
	// IsTriager: a member of the triage channel, or a system admin.
	IsTriager(userID string) bool
	// IsSystemAdmin: a system admin of the server.
	IsSystemAdmin(userID string) bool
}

// Logger receives problems that do not fail the request.
type Logger interface {
	Warn(message string, keyValuePairs ...any)
	Error(message string, keyValuePairs ...any)
}

// Service runs the use cases.
type Service struct {
	store        *store.Store
	notify       Notifier
	directory    Directory
	settings     func() Settings
	now          func() time.Time
	log          Logger
	audit        Auditor
	conversation Conversation
	followups    Followups

	stagingNotify StagingNotifier
}

// Deps are the collaborators of a Service.
type Deps struct {
	Store     *store.Store
	Notifier  Notifier
	Directory Directory
	Settings  func() Settings
	Now       func() time.Time
	Log       Logger
	Audit     Auditor
	// Conversation reads report threads and relays replies.
	Conversation Conversation
	// Followups sends the scheduled job's tagged messages.
	Followups Followups
	// StagingNotifier posts staging request cards and DMs.
	StagingNotifier StagingNotifier
}

// New returns a Service.
func New(d Deps) *Service {
	return &Service{store: d.Store, notify: d.Notifier, directory: d.Directory, settings: d.Settings, now: d.Now, log: d.Log, audit: d.Audit, conversation: d.Conversation, followups: d.Followups,
		stagingNotify: d.StagingNotifier}
}

// IsTriager says whether userID is on the security team.
func (s *Service) IsTriager(userID string) bool { return s.directory.IsTriager(userID) }

// storeError maps the store's sentinel errors to the service's.
func storeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, store.ErrBusy):
		return ErrBusy
	case errors.Is(err, store.ErrRateLimited):
		return ErrRateLimited
	}
	return err
}
