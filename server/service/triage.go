package service

import (
	"fmt"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Triage is the security team's side of a report: acting on it (from the
// card, a dialog, a command or the webapp), showing it, and listing the queue.
type Triage struct {
	store      *store.Store
	directory  Directory
	cards      *cards
	changes    *changes
	disclosure *Disclosure // advisory ids and dates, which fixes and edits set
	now        func() time.Time
	log        Logger
}

// IsTriager says whether userID is on the security team.
func (t *Triage) IsTriager(userID string) bool { return t.directory.IsTriager(userID) }

// Refusal is why userID, who is not a triager now, may not act for the team.
func (t *Triage) Refusal(userID string) error { return refuseTeam(t.directory, userID, ErrNotTriager) }

// Action is a triager's request to change a report.
type Action struct {
	ActorID  string
	ReportID int
	// Version is the version the triager was looking at (on the card or in the
	// dialog); 0 accepts whatever is current (commands that name the id).
	Version int
	Action  report.Action
	Input   report.Input
}

// ConflictError says the report changed since the triager looked at it. Nothing
// was saved; Current is what it looks like now.
type ConflictError struct {
	Current *report.Report
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s changed while you were looking at it: it is now %s. Nothing was saved; look at the card again and retry if it still applies.",
		e.Current.Key(), e.Current.Status.Label())
}

// Act performs a triager's action: it checks that the actor is on the team, that
// the report is in the state they saw, and that the transition table allows it;
// stores the change; audits it; updates the card; and tells the reporter what
// they should know.
func (t *Triage) Act(a Action) (*report.Report, error) {
	if !t.directory.IsTriager(a.ActorID) {
		return nil, refuseTeam(t.directory, a.ActorID, ErrNotTriager)
	}
	if err := t.checkActionInput(a); err != nil {
		return nil, err
	}
	a.Input.At = t.now()

	// Advisory ids are unique across reports: reserve the one this change gives
	// before storing it, and free whichever id ends up unused.
	var before *report.Report
	var reserved string
	if a.Action == report.ActionFix || a.Action == report.ActionAdvisory {
		cur, err := t.store.Get(a.ReportID)
		if err != nil {
			return nil, storeError(err)
		}
		if reserved, err = t.disclosure.claimAdvisoryID(cur, &a); err != nil {
			return nil, err
		}
		a.Input.Note = t.disclosure.dateNote(cur, a.Input)
		before = cur
	}

	var change report.Event
	apply := func(r *report.Report) error {
		e, err := report.Apply(r, a.Action, report.Triager(a.ActorID), a.Input)
		change = e
		return err
	}
	// The change's intent stays until its public lists follow (changes.after):
	// a crash in between is finished by the replay.
	r, done, err := t.store.UpdateAnnouncing(a.ReportID, max(a.Version, 0), apply)
	defer done()
	if err != nil && reserved != "" {
		if relErr := t.store.ReleaseAdvisoryID(reserved, a.ReportID); relErr != nil {
			t.log.Warn("Could not free an unused advisory id", "id", reserved, "error", relErr.Error())
		}
	}
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		return nil, &ConflictError{Current: conflict.Current}
	}
	if err != nil {
		return nil, storeError(err)
	}
	if before != nil && before.AdvisoryID != "" && before.AdvisoryID != r.AdvisoryID {
		if relErr := t.store.ReleaseAdvisoryID(before.AdvisoryID, r.ID); relErr != nil {
			t.log.Warn("Could not free a replaced advisory id", "id", before.AdvisoryID, "error", relErr.Error())
		}
	}

	t.changes.after(a.ActorID, r, change)
	return r, nil
}

// checkActionInput checks what the domain cannot: that referenced reports and
// users exist and may take the role given to them.
func (t *Triage) checkActionInput(a Action) error {
	switch a.Action {
	case report.ActionClose:
		if a.Input.Resolution == report.StatusDuplicate && a.Input.DuplicateOf > 0 && a.Input.DuplicateOf != a.ReportID {
			if _, err := t.store.Get(a.Input.DuplicateOf); err != nil {
				return &report.InputError{Field: report.FieldDuplicateOf, Message: report.FormatID(a.Input.DuplicateOf) + " does not exist."}
			}
		}
	case report.ActionReassign:
		if a.Input.Assignee != "" && !t.directory.IsTriager(a.Input.Assignee) {
			return &report.InputError{Field: report.FieldAssignee, Message: "Reports can only be assigned to members of the triage channel."}
		}
	}
	return nil
}
