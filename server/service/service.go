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
