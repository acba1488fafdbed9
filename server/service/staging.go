package service

import (
	"fmt"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Staging is the researchers' requests for a private staging server, for
// tests that might be disruptive: filing one, the team's decision, and the end
// of a granted window, when the DM with the access details is deleted.
type Staging struct {
	store     *store.Store
	notify    StagingNotifier
	directory Directory
	audit     Auditor
	// triageChannelID is where request cards go; empty until the plugin is set up.
	triageChannelID func() string
	settings        func() config.Staging
	now             func() time.Time
	log             Logger
}

// ErrTooManyStaging refuses a request beyond the open limit.
type ErrTooManyStaging struct{ Max int }

func (e *ErrTooManyStaging) Error() string {
	return fmt.Sprintf("you already have %d open staging requests; wait for a decision or for a window to end before asking again", e.Max)
}

// ErrStagingChanged refuses a decision on a request someone else decided meanwhile.
var ErrStagingChanged = errors.New("this request was already decided; look at its card for the decision")

// Request files a researcher's request and posts its card for the team.
func (s *Staging) Request(userID string, d staging.Draft) (*staging.Request, staging.FieldErrors, error) {
	channelID := s.triageChannelID()
	if channelID == "" {
		return nil, nil, ErrNotSetUp
	}
	settings := s.settings()
	now := s.now()
	draft, errs := staging.ParseDraft(d, settings.MaxDays, now)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	draft.RequesterID = userID
	draft.ChannelID = channelID
	r, err := s.store.CreateStaging(*draft, settings.MaxOpen, now)
	if errors.Is(err, store.ErrTooManyOpen) {
		return nil, nil, &ErrTooManyStaging{Max: settings.MaxOpen}
	}
	if err != nil {
		return nil, nil, storeError(err)
	}
	cardID, err := s.notify.PostStagingCard(r)
	if err != nil {
		s.log.Warn("Could not post a staging request card", "request", r.Key(), "error", err.Error())
		return r, nil, nil
	}
	if r, err = s.store.UpdateStaging(r.ID, func(cur *staging.Request) error { cur.CardPostID = cardID; return nil }); err != nil {
		s.log.Warn("Could not link a staging request card", "error", err.Error())
	}
	s.refreshCard(r)
	return r, nil, nil
}

func (s *Staging) refreshCard(r *staging.Request) {
	if r.CardPostID == "" {
		return
	}
	if err := s.notify.UpdateStagingCard(r); err != nil {
		s.log.Warn("Could not update a staging request card", "request", r.Key(), "error", err.Error())
	}
}

// ForTeam returns a request to a triager deciding on it.
func (s *Staging) ForTeam(userID string, id int) (*staging.Request, error) {
	if !s.directory.IsTriager(userID) {
		return nil, refuseTeam(s.directory, userID, ErrNotTriager)
	}
	r, err := s.store.GetStaging(id)
	return r, storeError(err)
}

// decide moves a pending request, as the version the triager saw, to its
// decision; anyone else's decision in between wins and this one is refused.
func (s *Staging) decide(id, version int, fn func(*staging.Request)) (*staging.Request, error) {
	r, err := s.store.UpdateStaging(id, func(cur *staging.Request) error {
		if cur.Status != staging.StatusPending || cur.Version != version {
			return ErrStagingChanged
		}
		fn(cur)
		return nil
	})
	return r, storeError(err)
}

// Approve grants a window: the access details reach the researcher by DM and
// are not stored; the card shows the grant, never the details. The DM is
// deleted when the window ends.
func (s *Staging) Approve(actorID string, id, version int, url, credentials, start, end string) (staging.FieldErrors, error) {
	if !s.directory.IsTriager(actorID) {
		return nil, refuseTeam(s.directory, actorID, ErrNotTriager)
	}
	now := s.now()
	details, errs := staging.ParseDetails(url, credentials)
	grantStart, grantEnd, windowErrs := staging.ParseGrant(start, end, s.settings().MaxDays, now)
	for k, v := range windowErrs {
		errs[k] = v
	}
	if len(errs) > 0 {
		return errs, nil
	}
	r, err := s.decide(id, version, func(cur *staging.Request) {
		cur.Status, cur.DeciderID, cur.DecidedAt = staging.StatusApproved, actorID, now.UTC()
		cur.GrantStart, cur.GrantEnd, cur.Updated = grantStart, grantEnd.UTC(), now.UTC()
	})
	if err != nil {
		return nil, err
	}
	s.audit.Decided(actorID, auditStaging(staging.DecisionApprove, r, staging.StatusPending))
	postID, err := s.notify.SendStagingAccess(r, details)
	if err != nil {
		s.log.Warn("Could not send staging access details", "request", r.Key(), "error", err.Error())
	} else if r, err = s.store.UpdateStaging(r.ID, func(cur *staging.Request) error { cur.DetailsPostID = postID; return nil }); err != nil {
		s.log.Warn("Could not remember the details DM", "error", err.Error())
	}
	s.refreshCard(r)
	if err := s.notify.NoteStagingApproved(r); err != nil {
		s.log.Warn("Could not note a staging decision", "error", err.Error())
	}
	return nil, nil
}

// Deny refuses a request with a reason the researcher receives.
func (s *Staging) Deny(actorID string, id, version int, reason string) (staging.FieldErrors, error) {
	if !s.directory.IsTriager(actorID) {
		return nil, refuseTeam(s.directory, actorID, ErrNotTriager)
	}
	if len([]rune(reason)) == 0 || len([]rune(reason)) > staging.MaxTextRunes {
		return staging.FieldErrors{staging.FieldReason: "Give the researcher a reason (at most 4000 characters)."}, nil
	}
	now := s.now()
	r, err := s.decide(id, version, func(cur *staging.Request) {
		cur.Status, cur.DeciderID, cur.DecidedAt, cur.Reason, cur.Updated = staging.StatusDenied, actorID, now.UTC(), reason, now.UTC()
	})
	if err != nil {
		return nil, err
	}
	s.audit.Decided(actorID, auditStaging(staging.DecisionDeny, r, staging.StatusPending))
	if err := s.notify.TellStagingDenied(r); err != nil {
		s.log.Warn("Could not tell a researcher about a denial", "request", r.Key(), "error", err.Error())
	}
	s.refreshCard(r)
	return nil, nil
}

// List returns the requests a user may see: triagers all (newest first),
// researchers their own.
func (s *Staging) List(userID string) ([]*staging.Request, bool, error) {
	if s.directory.IsTriager(userID) {
		all, err := s.store.AllStaging(50)
		return all, true, storeError(err)
	}
	mine, err := s.store.StagingByRequester(userID)
	return mine, false, storeError(err)
}

// purgeBudget is how many staging ids one run of the job visits to delete
// the access-details copies earlier versions kept.
const purgeBudget = 200

// expire ends the grants whose window is over: once, whichever server's
// job gets there first (the approved → expired change is a compare-and-set).
// It also takes the next step of deleting the details copies of earlier
// versions.
func (s *Staging) expire(now time.Time) {
	if _, err := s.store.PurgeStagingDetails(purgeBudget); err != nil {
		s.log.Warn("Could not delete stored staging access details", "error", err.Error())
	}
	open, err := s.store.OpenStaging()
	if err != nil {
		s.log.Warn("Could not list open staging requests", "error", err.Error())
		return
	}
	for _, r := range open {
		if r.Status != staging.StatusApproved || now.Before(r.GrantEnd) {
			continue
		}
		expired, err := s.store.UpdateStaging(r.ID, func(cur *staging.Request) error {
			if cur.Status != staging.StatusApproved {
				return errNoChange
			}
			cur.Status, cur.ExpiredAt, cur.Updated = staging.StatusExpired, now.UTC(), now.UTC()
			return nil
		})
		if errors.Is(err, errNoChange) {
			continue
		}
		if err != nil {
			s.log.Warn("Could not expire a staging grant", "request", r.Key(), "error", err.Error())
			continue
		}
		s.audit.Decided("", auditStaging("expire", expired, staging.StatusApproved))
		if err := s.store.DeleteStagingDetails(expired.ID); err != nil {
			s.log.Warn("Could not delete staging access details", "request", expired.Key(), "error", err.Error())
		}
		if expired.DetailsPostID != "" {
			if err := s.notify.DeletePost(expired.DetailsPostID); err != nil {
				s.log.Warn("Could not delete the access details DM", "request", expired.Key(), "error", err.Error())
			}
		}
		if err := s.notify.TellStagingEnded(expired); err != nil {
			s.log.Warn("Could not tell a researcher their window ended", "request", expired.Key(), "error", err.Error())
		}
		s.refreshCard(expired)
		if err := s.notify.NoteStagingEnded(expired); err != nil {
			s.log.Warn("Could not note an expiry", "request", expired.Key(), "error", err.Error())
		}
	}
}
