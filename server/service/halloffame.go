package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// The Hall of Fame use cases. The public list is a maintained aggregate
// (report.HallOfFame in the store): every change that can affect it syncs it
// here, and serving the list reads only the aggregate, never the reports.
//
// Changes that affect it, and where they are synced:
//   - a report becomes disclosed (afterChange, for any actor, the system
//     included): syncHallOfFame;
//   - its reporter turns credit on or off for a disclosed report:
//     SetReportCredit;
//   - a researcher changes their credit profile: SaveCreditProfile and File,
//     through hallProfileChanged;
//   - an admin imports the historical list or links an imported entry to a
//     user: ImportHallOfFame, LinkHallOfFame, UnlinkHallOfFame.
// A disclosed report is final (it cannot be reopened), so no other change can
// take a contribution away.

// ErrNotAdmin refuses Hall of Fame administration to anyone but system admins.
var ErrNotAdmin = errors.New("only system admins can do that")

// maxHallSyncPasses bounds the re-check loops below; each extra pass needs
// another change to the same report or profile in the few milliseconds of the
// previous one.
const maxHallSyncPasses = 16

// HallOfFameView is the public list at one revision of the aggregate.
type HallOfFameView struct {
	Rev     int64
	Entries []report.HallEntry
}

// HallOfFameRevision is the revision of the stored list: one small read, made
// before serving a list rendered earlier.
func (s *Service) HallOfFameRevision() (int64, error) {
	rev, err := s.store.HallOfFameRevision()
	return rev, storeError(err)
}

// HallOfFame loads and ranks the public list. It also repairs a revision key
// left behind by an interrupted update, so every server notices the change.
func (s *Service) HallOfFame() (*HallOfFameView, error) {
	h, err := s.store.HallOfFame()
	if err != nil {
		return nil, storeError(err)
	}
	if rev, err := s.store.HallOfFameRevision(); err != nil || rev < h.Rev {
		if err := s.store.RaiseHallOfFameRevision(h.Rev); err != nil {
			s.log.Warn("Could not repair the Hall of Fame revision", "error", err.Error())
		}
	}
	return &HallOfFameView{Rev: h.Rev, Entries: h.Entries()}, nil
}

// IsSystemAdmin says whether userID may administer the Hall of Fame.
func (s *Service) IsSystemAdmin(userID string) bool { return s.directory.IsSystemAdmin(userID) }

// SetReportCredit turns public credit for one report on or off. Only its
// reporter may; anyone else gets ErrNotFound, as for an id that does not exist.
// Turning it on needs a credit name. On a disclosed report the public list
// changes at once.
func (s *Service) SetReportCredit(userID string, id int, on bool) (*report.Report, error) {
	if _, err := s.ReportFor(userID, id); err != nil {
		return nil, err
	}
	if on {
		profile, err := s.CreditProfile(userID)
		if err != nil {
			return nil, err
		}
		if profile.DisplayName == "" {
			return nil, ErrNoCreditName
		}
	}
	r, err := s.store.Update(id, func(cur *report.Report) error {
		if cur.ReporterID != userID {
			return ErrNotFound
		}
		cur.WantsCredit = on
		return nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	// The card shows the credit choice, and its buttons must carry the new
	// version or the next press would be refused as stale.
	r = s.refreshCard(r)
	s.publicChanged(r)
	return r, nil
}

// ErrNoCreditName asks for a credit name before credit can be turned on.
var ErrNoCreditName = errors.New("you have no credit name yet: set one with `/security credit edit`, then turn credit on")

// syncHallOfFame makes the aggregate agree with a disclosed report: it counts
// when the reporter asked for credit, and not otherwise. Reports that are not
// disclosed are never in the aggregate, so they cost nothing here.
//
// Two changes of one report (credit on, then off) can sync in the opposite
// order, and a profile can change while a sync runs. So, like the store's index
// sync, each pass writes from the record and profile as read, then checks they
// did not change meanwhile; if they did, it runs again. The last pass is based
// on what was current after its write, and any later change brings its own sync.
func (s *Service) syncHallOfFame(r *report.Report) {
	if r == nil || r.Status != report.StatusDisclosed {
		return
	}
	s.syncHallRecord(r)
}

// syncHallRecord is syncHallOfFame for any record, disclosed or not (or a stub
// for a record that is gone): what is not a credited disclosure is removed.
func (s *Service) syncHallRecord(r *report.Report) {
	id, userID := r.ID, r.ReporterID
	for pass := 1; pass <= maxHallSyncPasses; pass++ {
		profile, err := s.profileOrNil(userID)
		if err != nil {
			s.log.Warn("Could not read a credit profile for the Hall of Fame", "report", r.Key(), "error", err.Error())
			return
		}
		disclosed := disclosedAt(r)
		credited := r.Status == report.StatusDisclosed && r.WantsCredit
		if _, _, err := s.store.UpdateHallOfFame(func(h *report.HallOfFame) (bool, error) {
			return h.SetContribution(userID, id, disclosed, credited, profile), nil
		}); err != nil {
			s.log.Warn("Could not update the Hall of Fame", "report", r.Key(), "error", err.Error())
			return
		}
		current, err := s.store.Get(id)
		if errors.Is(err, store.ErrNotFound) {
			return // no record to follow; its contribution was removed
		}
		if err != nil {
			s.log.Warn("Could not re-read a report after updating the Hall of Fame", "report", r.Key(), "error", err.Error())
			return
		}
		after, err := s.profileOrNil(userID)
		if err != nil {
			return
		}
		if current.Version == r.Version && sameProfile(profile, after) {
			return
		}
		r = current
	}
	s.log.Warn("The Hall of Fame kept changing while a report was synced; the next change or activation repairs it", "report", r.Key())
}

// hallProfileChanged copies a saved profile into the aggregate, when the
// researcher is in it (otherwise nothing is written), re-checking like
// syncHallOfFame in case the profile changed again meanwhile.
func (s *Service) hallProfileChanged(userID string) {
	var last *report.CreditProfile
	for pass := 1; pass <= maxHallSyncPasses; pass++ {
		profile, err := s.profileOrNil(userID)
		if err != nil {
			s.log.Warn("Could not read a credit profile for the Hall of Fame", "user_id", userID, "error", err.Error())
			return
		}
		if pass > 1 && sameProfile(profile, last) {
			return
		}
		if _, _, err := s.store.UpdateHallOfFame(func(h *report.HallOfFame) (bool, error) {
			return h.SetProfile(userID, profile), nil
		}); err != nil {
			s.log.Warn("Could not update the Hall of Fame after a profile change", "user_id", userID, "error", err.Error())
			return
		}
		last = profile
	}
}

// profileOrNil returns userID's credit profile, or nil when they never saved one.
func (s *Service) profileOrNil(userID string) (*report.CreditProfile, error) {
	p, err := s.store.GetCreditProfile(userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return p, err
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

// ImportResult says what an import did.
type ImportResult struct {
	Imported int
	// DroppedLinks are the imported names whose links were removed because
	// the new list no longer has them.
	DroppedLinks []string
}

// ImportHallOfFame replaces the imported historical entries. System admins only.
func (s *Service) ImportHallOfFame(userID string, entries []report.ImportedEntry) (*ImportResult, error) {
	if !s.directory.IsSystemAdmin(userID) {
		return nil, ErrNotAdmin
	}
	res := &ImportResult{Imported: len(entries)}
	_, _, err := s.store.UpdateHallOfFame(func(h *report.HallOfFame) (bool, error) {
		res.DroppedLinks = h.Import(entries)
		return true, nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	return res, nil
}

// LinkHallOfFame joins the imported entry named name to linkedUserID, so their
// earned contributions add to it. System admins only.
func (s *Service) LinkHallOfFame(adminID, name, linkedUserID string) (string, error) {
	if !s.directory.IsSystemAdmin(adminID) {
		return "", ErrNotAdmin
	}
	profile, err := s.profileOrNil(linkedUserID)
	if err != nil {
		return "", storeError(err)
	}
	var linked string
	_, _, err = s.store.UpdateHallOfFame(func(h *report.HallOfFame) (bool, error) {
		entry, _ := h.ImportedNamed(name)
		linked = entry.Name
		return h.Link(name, linkedUserID, profile)
	})
	if err != nil {
		return "", storeError(err)
	}
	// The profile may have changed between the read and the link.
	s.hallProfileChanged(linkedUserID)
	return linked, nil
}

// UnlinkHallOfFame removes the link of the imported entry named name, or with
// name empty, the link of linkedUserID. System admins only. It returns the
// imported name unlinked.
func (s *Service) UnlinkHallOfFame(adminID, name, linkedUserID string) (string, error) {
	if !s.directory.IsSystemAdmin(adminID) {
		return "", ErrNotAdmin
	}
	var unlinked string
	_, _, err := s.store.UpdateHallOfFame(func(h *report.HallOfFame) (bool, error) {
		n, err := h.Unlink(name, linkedUserID)
		unlinked = n
		return err == nil, err
	})
	if err != nil {
		return "", storeError(err)
	}
	return unlinked, nil
}

// ReconcileHallOfFame makes the aggregate agree with the reports: every
// disclosed report counts for its reporter exactly when they asked for credit.
// The plugin runs it at activation, which is when a crash between a report's
// write and the aggregate's would otherwise stay unrepaired; requests never
// scan reports. It returns how many reports it had to correct.
func (s *Service) ReconcileHallOfFame() (int, error) {
	highest, err := s.store.HighestID()
	if err != nil {
		return 0, storeError(err)
	}
	h, err := s.store.HallOfFame()
	if err != nil {
		return 0, storeError(err)
	}
	seen := map[int]bool{}
	var repair []*report.Report
	for id := 1; id <= highest; id++ {
		r, err := s.store.Get(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return 0, storeError(err)
		}
		if r.Status != report.StatusDisclosed {
			continue
		}
		seen[id] = true
		counted := false
		if researcher := h.Researchers[r.ReporterID]; researcher != nil {
			_, counted = researcher.Credited[id]
		}
		if counted != r.WantsCredit {
			repair = append(repair, r)
		}
	}
	// Contributions whose report is gone or no longer disclosed (a record
	// deleted or restored by hand) are removed.
	for userID, researcher := range h.Researchers {
		for id := range researcher.Credited {
			if seen[id] {
				continue
			}
			r, err := s.store.Get(id)
			switch {
			case errors.Is(err, store.ErrNotFound):
				r = &report.Report{ID: id, ReporterID: userID}
			case err != nil:
				return 0, storeError(err)
			}
			repair = append(repair, r)
		}
	}
	for _, r := range repair {
		s.syncHallRecord(r)
	}
	return len(repair), nil
}
