package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Keeping the Hall of Fame aggregate (halloffame.Aggregate in the store) in line.
// Changes that affect it, and where they are synced:
//   - a report becomes disclosed (changes.after, for any actor, the system
//     included): syncHallOfFame;
//   - its reporter turns credit on or off for a disclosed report:
//     HallOfFame.SetReportCredit;
//   - a researcher changes their credit profile: HallOfFame.SaveCreditProfile
//     and Intake.File, through profileChanged, which also rewrites the credit
//     line of their advisories on the Security Updates;
//   - an admin imports the historical list or links an imported entry to a
//     user: HallOfFame.Import, Link and Unlink.
// A disclosed report is final (it cannot be reopened), so no other change can
// take a contribution away.

// maxHallSyncPasses bounds the re-check loops below; each extra pass needs
// another change to the same report or profile in the few milliseconds of the
// previous one.
const maxHallSyncPasses = 16

// syncHallOfFame makes the aggregate agree with a disclosed report: it counts
// when the reporter asked for credit, and not otherwise. Reports that are not
// disclosed are never in the aggregate, so they cost nothing here.
//
// Two changes of one report (credit on, then off) can sync in the opposite
// order, and a profile can change while a sync runs. So, like the store's index
// sync, each pass writes from the record and profile as read, then checks they
// did not change meanwhile; if they did, it runs again. The last pass is based
// on what was current after its write, and any later change brings its own sync.
func (p *publicLists) syncHallOfFame(r *report.Report) {
	if r == nil || r.Status != report.StatusDisclosed {
		return
	}
	p.syncHallRecord(r)
}

// syncHallRecord is syncHallOfFame for any record, disclosed or not (or a stub
// for a record that is gone): what is not a credited disclosure is removed.
func (p *publicLists) syncHallRecord(r *report.Report) {
	id, userID := r.ID, r.ReporterID
	for pass := 1; pass <= maxHallSyncPasses; pass++ {
		profile, err := p.profileOrNil(userID)
		if err != nil {
			p.log.Warn("Could not read a credit profile for the Hall of Fame", "report", r.Key(), "error", err.Error())
			return
		}
		disclosed := disclosedAt(r)
		credited := r.Status == report.StatusDisclosed && r.WantsCredit
		if _, _, err := p.store.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
			return h.SetContribution(userID, id, disclosed, credited, profile), nil
		}); err != nil {
			p.log.Warn("Could not update the Hall of Fame", "report", r.Key(), "error", err.Error())
			return
		}
		current, err := p.store.Get(id)
		if errors.Is(err, store.ErrNotFound) {
			return // no record to follow; its contribution was removed
		}
		if err != nil {
			p.log.Warn("Could not re-read a report after updating the Hall of Fame", "report", r.Key(), "error", err.Error())
			return
		}
		after, err := p.profileOrNil(userID)
		if err != nil {
			return
		}
		if current.Version == r.Version && sameProfile(profile, after) {
			return
		}
		r = current
	}
	p.log.Warn("The Hall of Fame kept changing while a report was synced; the next change or activation repairs it", "report", r.Key())
}

// profileChanged brings every public list in line with a saved profile at
// once: the Hall of Fame (when the researcher is in it; otherwise nothing is
// written) and the credit line of each advisory credited to them, which the
// Security Updates pages, their JSON and the OSV export all read. It re-checks
// like syncHallOfFame in case the profile changed again meanwhile.
//
// The advisories to rewrite are the researcher's credited disclosures as the
// Hall of Fame records them: a disclosure syncs the Hall of Fame before its
// advisory (changed), and its advisory sync re-reads the profile after writing
// (syncSecurityUpdates), so a profile saved during a disclosure is not missed
// by both.
func (p *publicLists) profileChanged(userID string) {
	var last *report.CreditProfile
	for pass := 1; pass <= maxHallSyncPasses; pass++ {
		profile, err := p.profileOrNil(userID)
		if err != nil {
			p.log.Warn("Could not read a credit profile for the Hall of Fame", "user_id", userID, "error", err.Error())
			return
		}
		if pass > 1 && sameProfile(profile, last) {
			return
		}
		hall, _, err := p.store.UpdateHallOfFame(func(h *halloffame.Aggregate) (bool, error) {
			return h.SetProfile(userID, profile), nil
		})
		if err != nil {
			p.log.Warn("Could not update the Hall of Fame after a profile change", "user_id", userID, "error", err.Error())
			return
		}
		if ids := hall.CreditedReports(userID); len(ids) > 0 {
			credit := ""
			if profile != nil {
				credit = profile.Credit()
			}
			if _, err := p.store.SetAdvisoryCredit(ids, credit); err != nil {
				p.log.Warn("Could not update the advisories' credit after a profile change", "user_id", userID, "error", err.Error())
				return
			}
		}
		last = profile
	}
}

func sameProfile(a, b *report.CreditProfile) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.DisplayName == b.DisplayName && a.Affiliation == b.Affiliation
}

// disclosedAt is when r became disclosed: the latest event that moved it there.
// The contribution's date is the disclosure's, whenever credit is turned on.
func disclosedAt(r *report.Report) time.Time {
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		if e := r.Timeline[i]; e.To == report.StatusDisclosed && e.From != report.StatusDisclosed {
			return e.At
		}
	}
	return r.Updated
}
