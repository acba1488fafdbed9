package service

import (
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// lazyReport is an open report as the follow-up job sees it: the summary it
// decides by, and the full record read at most once, only when a message
// about the report is sent or its card refreshed. Most open reports need
// neither in a given run, so a run costs a few reads, not one per report.
type lazyReport struct {
	store *store.Store
	sum   report.Summary
	full  *report.Report
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
