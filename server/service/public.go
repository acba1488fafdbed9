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

// syncSecurityUpdates publishes a disclosed report's advisory, or refreshes it,
// and reports whether it changed the list. The credit line comes from the
// reporter's profile; if the profile changed while the advisory was written,
// it is written again (see profileChanged).
func (p *publicLists) syncSecurityUpdates(r *report.Report) bool {
	if r == nil || r.Status != report.StatusDisclosed || r.AdvisoryID == "" {
		return false
	}
	changed := false
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
			return changed
		}
		credit := ""
		if r.WantsCredit && profile != nil {
			credit = profile.Credit()
		}
		adv := r.PublicAdvisory(credit, published, p.now())
		wrote, err := p.store.PutAdvisory(adv)
		if err != nil {
			p.log.Warn("Could not publish an advisory", "report", r.Key(), "error", err.Error())
			return changed
		}
		changed = changed || wrote
		after, err := p.profileOrNil(r.ReporterID)
		if err != nil || sameProfile(profile, after) {
			return changed
		}
	}
	return changed
}

// checkAdvisories makes the Security Updates agree with the disclosed
// reports with ids from..to: the background check runs it behind each of its
// steps, as the Hall of Fame's (HallOfFame.checkRange), so an advisory a
// crash left out or stale, or a record restored by hand, is repaired within
// a pass of the check. It reads only the disclosed reports of the range, and
// returns how many advisories it corrected.
func (p *publicLists) checkAdvisories(from, to int) (int, error) {
	if from > to {
		return 0, nil
	}
	sums, err := p.store.Summaries(from, to)
	if err != nil {
		return 0, storeError(err)
	}
	repaired := 0
	for _, sum := range sums {
		if sum.Status != report.StatusDisclosed || sum.AdvisoryID == "" {
			continue
		}
		r, err := p.store.Get(sum.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return repaired, storeError(err)
		}
		if p.syncSecurityUpdates(r) {
			repaired++
		}
	}
	return repaired, nil
}

// profileOrNil returns userID's credit profile, or nil when they never saved one.
func (p *publicLists) profileOrNil(userID string) (*report.CreditProfile, error) {
	profile, err := p.store.GetCreditProfile(userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return profile, err
}
