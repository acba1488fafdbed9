package service

import (
	"slices"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Mine lists the summaries of the reports a researcher filed, newest first:
// the researcher's summary records, a few reads however many they filed.
func (i *Intake) Mine(userID string) ([]report.Summary, error) {
	sums, err := i.store.ReporterSummaries(userID)
	if err != nil {
		return nil, storeError(err)
	}
	slices.Reverse(sums) // the store lists oldest first
	return sums, nil
}

// ReportFor returns a report to its reporter. Anyone else gets ErrNotFound, the
// same answer as for an id that does not exist.
func (i *Intake) ReportFor(userID string, id int) (*report.Report, error) {
	return reportOf(i.store, userID, id)
}

// MinePage pages through a researcher's own reports, newest first. The page
// is chosen from the researcher's summaries; the rows are the page's records,
// since a row carries the report's text and timeline.
func (i *Intake) MinePage(userID string, after, limit int) (*ViewPage, error) {
	p, err := i.store.ReporterSummaryPage(userID, store.SummaryQuery{After: after, Limit: pageSize(limit), Newest: true})
	if err != nil {
		return nil, storeError(err)
	}
	rows, err := recordsOf(i.store, p.Summaries, func(r *report.Report) bool { return r.ReporterID == userID })
	if err != nil {
		return nil, err
	}
	out := &ViewPage{Next: p.Next, Reports: []ReportView{}}
	for _, r := range rows {
		out.Reports = append(out.Reports, ReporterView(r))
	}
	return out, nil
}

// reportOf returns report id when userID filed it, and ErrNotFound otherwise:
// the same answer as for an id that does not exist. Every use case acting for
// a reporter reads their report through it.
func reportOf(st *store.Store, userID string, id int) (*report.Report, error) {
	r, err := st.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	if r.ReporterID != userID {
		return nil, ErrNotFound
	}
	return r, nil
}

// reportsOf lists the reports userID filed, newest first, found through the
// researcher's summaries (not the layout-1 id list) and read one by one: the
// reply path needs whole reports.
func reportsOf(st *store.Store, userID string) ([]*report.Report, error) {
	sums, err := st.ReporterSummaries(userID)
	if err != nil {
		return nil, storeError(err)
	}
	slices.Reverse(sums)
	return recordsOf(st, sums, func(r *report.Report) bool { return r.ReporterID == userID })
}
