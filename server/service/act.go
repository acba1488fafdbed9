package service

import (
	"fmt"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

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

// Auditor writes the server's audit record of a state change.
type Auditor interface {
	ReportChanged(actorID string, r *report.Report, e report.Event)
}

// Act performs a triager's action: it checks that the actor is on the team, that
// the report is in the state they saw, and that the transition table allows it;
// stores the change; audits it; updates the card; and tells the reporter what
// they should know.
func (s *Service) Act(a Action) (*report.Report, error) {
	if !s.directory.IsTriager(a.ActorID) {
		return nil, ErrNotTriager
	}
	if err := s.checkActionInput(a); err != nil {
		return nil, err
	}
	a.Input.At = s.now()

	// Advisory ids are unique across reports: reserve the one this change gives
	// before storing it, and free whichever id ends up unused.
	var before *report.Report
	var reserved string
	if a.Action == report.ActionFix || a.Action == report.ActionAdvisory {
		cur, err := s.store.Get(a.ReportID)
		if err != nil {
			return nil, storeError(err)
		}
		if reserved, err = s.claimAdvisoryID(cur, &a); err != nil {
			return nil, err
		}
		a.Input.Note = s.disclosureNote(cur, a.Input)
		before = cur
	}

	var change report.Event
	apply := func(r *report.Report) error {
		e, err := report.Apply(r, a.Action, report.Triager(a.ActorID), a.Input)
		change = e
		return err
	}
	var r *report.Report
	var err error
	if a.Version > 0 {
		r, err = s.store.UpdateIfVersion(a.ReportID, a.Version, apply)
	} else {
		r, err = s.store.Update(a.ReportID, apply)
	}
	if err != nil && reserved != "" {
		if relErr := s.store.ReleaseAdvisoryID(reserved, a.ReportID); relErr != nil {
			s.log.Warn("Could not free an unused advisory id", "id", reserved, "error", relErr.Error())
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
		if relErr := s.store.ReleaseAdvisoryID(before.AdvisoryID, r.ID); relErr != nil {
			s.log.Warn("Could not free a replaced advisory id", "id", before.AdvisoryID, "error", relErr.Error())
		}
	}

	s.afterChange(a.ActorID, r, change)
	return r, nil
}

// checkActionInput checks what the domain cannot: that referenced reports and
// users exist and may take the role given to them.
func (s *Service) checkActionInput(a Action) error {
	switch a.Action {
	case report.ActionClose:
		if a.Input.Resolution == report.StatusDuplicate && a.Input.DuplicateOf > 0 && a.Input.DuplicateOf != a.ReportID {
			if _, err := s.store.Get(a.Input.DuplicateOf); err != nil {
				return &report.InputError{Field: report.FieldDuplicateOf, Message: report.FormatID(a.Input.DuplicateOf) + " does not exist."}
			}
		}
	case report.ActionReassign:
		if a.Input.Assignee != "" && !s.directory.IsTriager(a.Input.Assignee) {
			return &report.InputError{Field: report.FieldAssignee, Message: "Reports can only be assigned to members of the triage channel."}
		}
	}
	return nil
}

// afterChange does what follows a stored change. None of it can undo the change,
// so failures are logged.
func (s *Service) afterChange(actorID string, r *report.Report, e report.Event) {
	if s.audit != nil {
		s.audit.ReportChanged(actorID, r, e)
	}
	r = s.refreshCard(r)
	s.publicChanged(r) // a disclosure joins the public lists
	if err := s.notify.NoteChange(r, e); err != nil {
		s.log.Warn("Could not note a change in the card thread", "report", r.Key(), "error", err.Error())
	}
	if err := s.notify.TellReporter(r, e, s.settings().ShowAssignee); err != nil {
		s.log.Warn("Could not tell the reporter about a change", "report", r.Key(), "error", err.Error())
	}
}

// refreshCard updates the card in place, or posts it again (with the full text)
// when it was deleted, and re-links the report to the new card.
func (s *Service) refreshCard(r *report.Report) *report.Report {
	s.notify.Publish(r)
	if s.notify.CardExists(r) {
		if err := s.notify.UpdateCard(r, s.cardView(r, nil)); err != nil {
			s.log.Warn("Could not update a card", "report", r.Key(), "error", err.Error())
		}
		return r
	}
	return s.repostCard(r)
}

// repostCard posts a fresh card in the current triage channel and links it.
func (s *Service) repostCard(r *report.Report) *report.Report {
	channelID := s.settings().TriageChannelID
	if channelID == "" {
		return r
	}
	moved := *r
	moved.TriageChannelID = channelID
	cardID, err := s.notify.PostCard(&moved, s.cardView(&moved, nil))
	if err != nil {
		s.log.Warn("Could not re-post a deleted card", "report", r.Key(), "error", err.Error())
		return r
	}
	if err := s.notify.PostFullText(&moved, cardID); err != nil {
		s.log.Warn("Could not post a report's full text", "report", r.Key(), "error", err.Error())
	}
	linked, err := s.store.Update(r.ID, func(cur *report.Report) error {
		cur.CardPostID = cardID
		cur.TriageChannelID = channelID
		return nil
	})
	if err != nil {
		s.log.Warn("Could not link a re-posted card", "report", r.Key(), "error", err.Error())
		return r
	}
	// The card shows the version it was rendered from; render it once more so
	// its buttons carry the linked version.
	if err := s.notify.UpdateCard(linked, s.cardView(linked, nil)); err != nil {
		s.log.Warn("Could not update a re-posted card", "report", r.Key(), "error", err.Error())
	}
	return linked
}
