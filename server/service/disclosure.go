package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Disclosure is the way from a fix to a public advisory: unique advisory ids,
// the disclosure date (the embargo after the earliest fix release, moved
// earlier or later by the team), disclosing on that date, and the public
// Security Updates that list the disclosed advisories.
type Disclosure struct {
	store   *store.Store
	notify  DisclosureNotifier
	changes *changes
	// triageChannelID is where disclosures are noted; empty until the plugin is set up.
	triageChannelID func() string
	settings        func() config.Disclosure
	// updatesURL is the public Security Updates page the notes link.
	updatesURL func() string
	now        func() time.Time
	log        Logger
}

// AdvisoryPrefix starts every generated advisory id: MMSA-2026-7.
const AdvisoryPrefix = "MMSA"

// claimAdvisoryID gives the report the advisory id a fix or an advisory edit
// names, or a new one for a first fix without one. It returns the id it
// reserved for this change ("" when none), for release if the change fails.
func (d *Disclosure) claimAdvisoryID(cur *report.Report, a *Action) (string, error) {
	want := report.NormalizeAdvisoryID(a.Input.AdvisoryID)
	if want == "" && (cur.AdvisoryID != "" || a.Action != report.ActionFix) {
		return "", nil
	}
	if want != "" {
		if want == cur.AdvisoryID {
			return "", nil
		}
		held, err := d.store.ReserveAdvisoryID(want, cur.ID)
		if err != nil {
			return "", storeError(err)
		}
		if !held {
			return "", &report.InputError{Field: report.FieldAdvisoryID, Message: want + " is already the id of another advisory."}
		}
		a.Input.AdvisoryID = want
		return want, nil
	}
	year := d.now().UTC().Year()
	for attempt := 0; attempt < 100; attempt++ {
		n, err := d.store.NextAdvisoryNumber(year)
		if err != nil {
			return "", storeError(err)
		}
		id := report.NextAdvisoryID(AdvisoryPrefix, year, n)
		held, err := d.store.ReserveAdvisoryID(id, cur.ID)
		if err != nil {
			return "", storeError(err)
		}
		if held {
			a.Input.AdvisoryID = id
			return id, nil
		}
		// Someone typed that id by hand; take the next number.
	}
	return "", ErrBusy
}

// dateNote says how a change moves the disclosure date, for the timeline:
// publishing early or postponing.
func (d *Disclosure) dateNote(cur *report.Report, in report.Input) string {
	if in.DiscloseOn == "" || in.DiscloseOn == cur.DiscloseOn {
		return in.Note
	}
	delay := d.settings().DelayDays
	newDate, _ := time.Parse(report.DateLayout, in.DiscloseOn)
	oldDate, known := cur.DisclosureDate(delay)
	switch {
	case !known:
		return notify.DisclosureSetNote(in.DiscloseOn)
	case newDate.Before(oldDate):
		return notify.DisclosureEarlierNote(oldDate, in.DiscloseOn)
	case newDate.After(oldDate):
		return notify.DisclosurePostponedNote(oldDate, in.DiscloseOn)
	}
	return in.Note
}

// PublicAdvisories returns the public advisories as they are now: how many,
// and a reader of their pages.
func (d *Disclosure) PublicAdvisories() (*store.Advisories, error) {
	a, err := d.store.Advisories()
	return a, storeError(err)
}

// PublicAdvisory returns the public advisory with an id (any case); ok is
// false for any id that is not public.
func (d *Disclosure) PublicAdvisory(id string) (report.PublicAdvisory, bool, error) {
	a, ok, err := d.store.AdvisoryByID(id)
	return a, ok, storeError(err)
}

// SecurityUpdatesRevision is the revision of the public advisories.
func (d *Disclosure) SecurityUpdatesRevision() (int64, error) {
	return d.store.SecurityUpdatesRevision()
}

// discloseDue discloses the fixed reports whose disclosure date has come,
// judged from their summaries, so only a report that is due is read. The
// transition table lets only a fixed report be disclosed, so when two servers
// race, one discloses and the other is refused.
func (d *Disclosure) discloseDue(now time.Time) {
	fixed, err := d.store.FixedSummaries()
	if err != nil {
		d.log.Warn("Could not list the reports awaiting disclosure", "error", err.Error())
		return
	}
	delay := d.settings().DelayDays
	for i := range fixed {
		r := &fixed[i]
		date, ok := r.DisclosureDate(delay)
		if !ok || now.Before(date) {
			continue
		}
		disclosed := d.changes.bySystem(r.ID, report.ActionDisclose, report.Input{At: now, Note: notify.DisclosedOnDateNote(date)})
		if disclosed == nil {
			continue // disclosed or changed meanwhile, or not stored
		}
		if channelID := d.triageChannelID(); channelID != "" {
			e := event.Disclosed{Report: disclosed, UpdatesURL: d.updatesURL()}
			if err := d.notify.NoteDisclosure(channelID, e); err != nil {
				d.log.Warn("Could not note a disclosure", "report", disclosed.Key(), "error", err.Error())
			}
		}
	}
}
