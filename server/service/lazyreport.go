package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// lazyReport is an open report as the follow-up job sees it: the summary it
// decides by, and the full record read at most once, only when a message
// about the report is sent or its card refreshed. Most open reports need
// neither in a given run, so a run costs a few reads, not one per report.
// The follow-up record is read at most once too, and only for a report the
// summary says may be due a message: one read tells which of its messages
// went out already, before any claim is tried.
type lazyReport struct {
	store    *store.Store
	sum      report.Summary
	full     *report.Report
	followup *sla.Record
}

// load reads the record the first time it is needed.
func (l *lazyReport) load() (*report.Report, error) {
	if l.full != nil {
		return l.full, nil
	}
	r, err := l.store.Get(l.sum.ID)
	if err != nil {
		return nil, err
	}
	l.full = r
	return r, nil
}

// claims reads the follow-up record the first time it is needed.
func (l *lazyReport) claims() (*sla.Record, error) {
	if l.followup != nil {
		return l.followup, nil
	}
	rec, err := l.store.Followup(l.sum.ID)
	if err != nil {
		return nil, err
	}
	l.followup = rec
	return rec, nil
}

// held says whether the message key was sent, or is being sent, as the
// follow-up record read in this run says. A claim held a moment ago stays
// held for staleClaim, so skipping it loses nothing; an unreadable record
// answers false and leaves the decision to the claim itself.
func (l *lazyReport) held(key string, now time.Time) bool {
	rec, err := l.claims()
	return err == nil && rec.StateOf(key, now, staleClaim) == sla.Held
}
