// Package service holds the use cases, one type each: Intake (a researcher
// files and follows reports), Triage (the team acts on, shows and lists
// them), Conversation (replies between reporter and team), Clocks (the
// scheduled job, nudges and metrics), Disclosure (advisories and the Security
// Updates), Staging (staging-server requests) and HallOfFame (credit and the
// public list). Each decides who may do what, then calls the store and tells
// the notifier what happened; it knows no HTTP, no command syntax and no
// sentence the bot posts: the adapters (command, api) parse and call it, and
// package notify words what it reports. New builds them all, sharing what
// several need (keeping cards current, the steps after a change, the public
// lists).
package service

import (
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
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

// Directory answers who is on the security team.
type Directory interface {
	// IsTriager: a member of the triage channel, or a system admin, while
	// that channel is safe.
	IsTriager(userID string) bool
	// OnHold says why the team cannot act now, to a user who would be on it
	// but for the triage channel's state (made public, shared, archived);
	// "" for anyone else, and while the channel is safe.
	OnHold(userID string) string
	// IsSystemAdmin: a system admin of the server.
	IsSystemAdmin(userID string) bool
}

// OnHoldError refuses a team action while the triage channel is unsafe, to a
// user who would be on the team: it says why, and a system admin how to fix
// it. Its text is the sentence they read.
type OnHoldError struct {
	Reason string // setup.Unsafe's
	Admin  bool
}

func (e *OnHoldError) Error() string {
	s := "Security reporting is on hold: " + e.Reason + ". Until it is private again (not shared, not archived), " +
		"no one can act on reports, system admins included, and the bot posts nothing there; " +
		"new reports are kept and their cards posted once it is safe."
	if e.Admin {
		return s + " Convert it back to private, or choose another channel in **" + config.ConsolePath("ChannelName") + "**."
	}
	return s + " The system admins have been told."
}

// refuseTeam is the error for userID, who may not act for the team: why,
// for a user who would be on it but for the triage channel's state;
// otherwise for anyone else (ErrNotTriager, or ErrNotFound where a report's
// existence is not to be told).
func refuseTeam(d Directory, userID string, otherwise error) error {
	if reason := d.OnHold(userID); reason != "" {
		return &OnHoldError{Reason: reason, Admin: d.IsSystemAdmin(userID)}
	}
	return otherwise
}

// Logger receives problems that do not fail the request.
type Logger interface {
	Warn(message string, keyValuePairs ...any)
	Error(message string, keyValuePairs ...any)
}

// Auditor writes the server's audit records.
type Auditor interface {
	// ReportChanged records a state change of a report.
	ReportChanged(actorID string, r *report.Report, e report.Event)
	// Decided records a decision that is not a report's state change; the
	// actor is empty when the plugin acted on its own (a window's end).
	Decided(actorID string, a event.Audited)
}

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

// errNoChange stops an update that has nothing to write.
var errNoChange = errors.New("no change")
