package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// publicLists keeps the two public lists, the Hall of Fame and the Security
// Updates, in line with the reports and the researchers' consent. Both are
// maintained aggregates in the store: every change that can affect them
// syncs them here, and serving a list reads only its aggregate, never the
// reports.
type publicLists struct {
	store *store.Store
	now   func() time.Time
	log   Logger
}

// changed brings both lists in line with a report that changed. Reports that
// are not disclosed are in neither.
func (p *publicLists) changed(r *report.Report) {
	p.syncHallOfFame(r)
	p.syncSecurityUpdates(r)
}

// syncSecurityUpdates publishes a disclosed report's advisory, or refreshes it.
// The credit line comes from the reporter's profile; if the profile changed
// while the advisory was written, it is written again (see profileChanged).
func (p *publicLists) syncSecurityUpdates(r *report.Report) {
	if r == nil || r.Status != report.StatusDisclosed || r.AdvisoryID == "" {
		return
	}
	published := r.Updated
	for _, e := range r.Timeline {
		if e.To == report.StatusDisclosed && e.From != e.To {
			published = e.At
			break
		}
	}
	for pass := 1; pass <= maxHallSyncPasses; pass++ {
		profile, err := p.profileOrNil(r.ReporterID)
		if err != nil {
			p.log.Warn("Could not read a credit profile for an advisory", "report", r.Key(), "error", err.Error())
			return
		}
		credit := ""
		if r.WantsCredit && profile != nil {
			credit = profile.Credit()
		}
		adv := r.PublicAdvisory(credit, published, p.now())
		if _, err := p.store.UpdateSecurityUpdates(func(u *report.SecurityUpdates) bool { return u.Put(adv) }); err != nil {
			p.log.Warn("Could not publish an advisory", "report", r.Key(), "error", err.Error())
			return
		}
		after, err := p.profileOrNil(r.ReporterID)
		if err != nil || sameProfile(profile, after) {
			return
		}
	}
}

// profileOrNil returns userID's credit profile, or nil when they never saved one.
func (p *publicLists) profileOrNil(userID string) (*report.CreditProfile, error) {
	profile, err := p.store.GetCreditProfile(userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return profile, err
}
