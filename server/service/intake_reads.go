package service

import (
	"sort"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Mine lists the reports a researcher filed, newest first.
func (i *Intake) Mine(userID string) ([]*report.Report, error) {
	return reportsOf(i.store, userID)
}

// ReportFor returns a report to its reporter. Anyone else gets ErrNotFound, the
// same answer as for an id that does not exist.
func (i *Intake) ReportFor(userID string, id int) (*report.Report, error) {
	return reportOf(i.store, userID, id)
}

// MinePage pages through a researcher's own reports, newest first.
func (i *Intake) MinePage(userID string, after, limit int) (*ViewPage, error) {
	p, err := i.store.ReporterPage(userID, store.PageQuery{After: after, Limit: pageSize(limit), Newest: true})
	if err != nil {
		return nil, storeError(err)
	}
	out := &ViewPage{Next: p.Next, Reports: []ReportView{}}
	for _, r := range p.Reports {
		out.Reports = append(out.Reports, ReporterView(r))
	}
	return out, nil
}

// reportsOf lists the reports userID filed, newest first.
func reportsOf(st *store.Store, userID string) ([]*report.Report, error) {
	reports, err := st.ListByReporter(userID)
	if err != nil {
		return nil, storeError(err)
	}
	sort.Slice(reports, func(i, j int) bool { return reports[i].ID > reports[j].ID })
	return reports, nil
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
