package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// HallOfFame is the researchers' public credit: the list itself, each
// researcher's credit profile and their choice of credit per report, and its
// administration by system admins (the imported historical list and links
// between its entries and users). Every change here reaches the list at once
// (see halloffame_sync.go).
type HallOfFame struct {
	store     *store.Store
	directory Directory
	cards     *cards
	public    *publicLists
	audit     Auditor
	now       func() time.Time
	log       Logger
}

// ErrNotAdmin refuses Hall of Fame administration to anyone but system admins.
var ErrNotAdmin = errors.New("only system admins can do that")

// ErrNoCreditName asks for a credit name before credit can be turned on.
var ErrNoCreditName = errors.New("you have no credit name yet: set one with `/security credit edit`, then turn credit on")

// HallOfFameView is the public list at one revision of the aggregate.
type HallOfFameView struct {
	Rev     int64
	Entries []halloffame.Entry
}

// Revision is the revision of the stored list: one small read, made before
// serving a list rendered earlier.
func (h *HallOfFame) Revision() (int64, error) {
	rev, err := h.store.HallOfFameRevision()
	return rev, storeError(err)
}

// List loads and ranks the public list. It also repairs a revision key left
// behind by an interrupted update, so every server notices the change.
func (h *HallOfFame) List() (*HallOfFameView, error) {
	aggregate, err := h.store.HallOfFame()
	if err != nil {
		return nil, storeError(err)
	}
	if rev, err := h.store.HallOfFameRevision(); err != nil || rev < aggregate.Rev {
		if err := h.store.RaiseHallOfFameRevision(aggregate.Rev); err != nil {
			h.log.Warn("Could not repair the Hall of Fame revision", "error", err.Error())
		}
	}
	return &HallOfFameView{Rev: aggregate.Rev, Entries: aggregate.Entries()}, nil
}

// IsSystemAdmin says whether userID may administer the Hall of Fame.
func (h *HallOfFame) IsSystemAdmin(userID string) bool { return h.directory.IsSystemAdmin(userID) }

// CreditProfile returns a researcher's profile (empty when they have none).
func (h *HallOfFame) CreditProfile(userID string) (*report.CreditProfile, error) {
	p, err := h.store.GetCreditProfile(userID)
	if errors.Is(err, store.ErrNotFound) {
		return &report.CreditProfile{UserID: userID}, nil
	}
	return p, storeError(err)
}

// SaveCreditProfile validates and stores a researcher's profile.
func (h *HallOfFame) SaveCreditProfile(userID string, p report.CreditProfile) (FieldErrors, error) {
	p.UserID = userID
	p.Normalize()
	if errs := p.Validate(false); len(errs) > 0 {
		return errs, nil
	}
	p.Updated = h.now().UTC()
	prior, err := h.public.profileOrNil(userID)
	if err != nil {
		return nil, storeError(err)
	}
	if err := h.store.SaveCreditProfile(p); err != nil {
		return nil, storeError(err)
	}
	h.audit.Decided(userID, auditCredit(userID, prior, p))
	h.public.profileChanged(userID) // a new name, or an opt-out, shows at once
	return nil, nil
}

// SetReportCredit turns public credit for one report on or off. Only its
// reporter may; anyone else gets ErrNotFound, as for an id that does not exist.
// Turning it on needs a credit name. On a disclosed report the public list
// changes at once.
func (h *HallOfFame) SetReportCredit(userID string, id int, on bool) (*report.Report, error) {
	if _, err := reportOf(h.store, userID, id); err != nil {
		return nil, err
	}
	if on {
		profile, err := h.CreditProfile(userID)
		if err != nil {
			return nil, err
		}
		if profile.DisplayName == "" {
			return nil, ErrNoCreditName
		}
	}
	var prior bool
	r, err := h.store.Update(id, func(cur *report.Report) error {
		if cur.ReporterID != userID {
			return ErrNotFound
		}
		prior, cur.WantsCredit = cur.WantsCredit, on
		return nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	h.audit.Decided(userID, auditReportCredit(r, prior))
	// The card shows the credit choice, and its buttons must carry the new
	// version or the next press would be refused as stale.
	r = h.cards.refresh(r)
	h.public.changed(r)
	return r, nil
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported int
	// DroppedLinks are the imported names whose links were removed because
	// the new list no longer has them.
	DroppedLinks []string
}

// Import replaces the imported historical entries. System admins only.
func (h *HallOfFame) Import(userID string, entries []halloffame.ImportedEntry) (*ImportResult, error) {
	if !h.directory.IsSystemAdmin(userID) {
		return nil, ErrNotAdmin
	}
	res := &ImportResult{Imported: len(entries)}
	_, _, err := h.store.UpdateHallOfFame(func(hall *halloffame.Aggregate) (bool, error) {
		res.DroppedLinks = hall.Import(entries)
		return true, nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	h.audit.Decided(userID, auditImport(res))
	return res, nil
}

// Link joins the imported entry named name to linkedUserID, so their
// earned contributions add to it. System admins only.
func (h *HallOfFame) Link(adminID, name, linkedUserID string) (string, error) {
	if !h.directory.IsSystemAdmin(adminID) {
		return "", ErrNotAdmin
	}
	profile, err := h.public.profileOrNil(linkedUserID)
	if err != nil {
		return "", storeError(err)
	}
	var linked string
	_, _, err = h.store.UpdateHallOfFame(func(hall *halloffame.Aggregate) (bool, error) {
		entry, _ := hall.ImportedNamed(name)
		linked = entry.Name
		return hall.Link(name, linkedUserID, profile)
	})
	if err != nil {
		return "", storeError(err)
	}
	h.audit.Decided(adminID, auditLink("link", linked, linkedUserID))
	// The profile may have changed between the read and the link.
	h.public.profileChanged(linkedUserID)
	return linked, nil
}

// Unlink removes the link of the imported entry named name, or with
// name empty, the link of linkedUserID. System admins only. It returns the
// imported name unlinked.
func (h *HallOfFame) Unlink(adminID, name, linkedUserID string) (string, error) {
	if !h.directory.IsSystemAdmin(adminID) {
		return "", ErrNotAdmin
	}
	// The user whose link goes, for the audit record: given, or found
	// through the imported name.
	var unlinked, unlinkedUser string
	_, _, err := h.store.UpdateHallOfFame(func(hall *halloffame.Aggregate) (bool, error) {
		unlinkedUser = linkedUserID
		if entry, ok := hall.ImportedNamed(name); ok && name != "" {
			unlinkedUser = hall.Links[halloffame.NameKey(entry.Name)]
		}
		n, err := hall.Unlink(name, linkedUserID)
		unlinked = n
		return err == nil, err
	})
	if err != nil {
		return "", storeError(err)
	}
	h.audit.Decided(adminID, auditLink("unlink", unlinked, unlinkedUser))
	return unlinked, nil
}

// checkRange makes the aggregate agree with the reports with ids from..to:
// every disclosed report counts for its reporter exactly when they asked for
// credit, and nothing else does. The background check runs it behind each of
// its steps, over the summaries that step just made agree with the records, so
// a crash between a change and the aggregate (which the intent replay does
// not cover once the store's writes are done), or a record restored by hand,
// is repaired within a pass of the check, a step's range at a time; requests
// and activation never scan reports. It returns how many reports it
// corrected.
func (h *HallOfFame) checkRange(from, to int) (int, error) {
	if from > to {
		return 0, nil
	}
	sums, err := h.store.Summaries(from, to)
	if err != nil {
		return 0, storeError(err)
	}
	aggregate, err := h.store.HallOfFame()
	if err != nil {
		return 0, storeError(err)
	}
	counted := func(userID string, id int) bool {
		researcher := aggregate.Researchers[userID]
		if researcher == nil {
			return false
		}
		_, ok := researcher.Credited[id]
		return ok
	}
	seen := map[int]bool{}
	var repair []int
	for _, sum := range sums {
		if sum.Status != report.StatusDisclosed {
			continue
		}
		seen[sum.ID] = true
		if counted(sum.Reporter, sum.ID) != sum.WantsCredit {
			repair = append(repair, sum.ID)
		}
	}
	// Contributions in the range whose report is gone or no longer disclosed
	// (a record deleted or restored by hand) are removed.
	stubs := map[int]string{}
	for userID, researcher := range aggregate.Researchers {
		for id := range researcher.Credited {
			if id >= from && id <= to && !seen[id] {
				repair = append(repair, id)
				stubs[id] = userID
			}
		}
	}
	for _, id := range repair {
		r, err := h.store.Get(id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			r = &report.Report{ID: id, ReporterID: stubs[id]}
		case err != nil:
			return 0, storeError(err)
		}
		h.public.syncHallRecord(r)
	}
	return len(repair), nil
}
