package service

import (
	"sort"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// ReportForTeam returns any report to a triager, re-posting its card when it was
// deleted. Others get ErrNotFound, as for an unknown id.
func (t *Triage) ReportForTeam(userID string, id int) (*report.Report, error) {
	if !t.directory.IsTriager(userID) {
		return nil, ErrNotFound
	}
	r, err := t.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	return t.cards.ensure(r), nil
}

// Queue lists the open reports for triagers, oldest first.
func (t *Triage) Queue(userID string) ([]*report.Report, error) {
	if !t.directory.IsTriager(userID) {
		return nil, ErrNotTriager
	}
	reports, err := t.store.ListOpen()
	if err != nil {
		return nil, storeError(err)
	}
	sort.Slice(reports, func(i, j int) bool { return reports[i].ID < reports[j].ID })
	return reports, nil
}

// QueuePage pages through the open reports for triagers.
func (t *Triage) QueuePage(userID string, f QueueFilter) (*ViewPage, error) {
	if !t.directory.IsTriager(userID) {
		return nil, ErrNotTriager
	}
	keep := func(r *report.Report) bool {
		switch {
		case f.Status != "" && r.Status != f.Status:
			return false
		case f.Assignee == "none" && r.Assignee != "":
			return false
		case f.Assignee != "" && f.Assignee != "none" && r.Assignee != f.Assignee:
			return false
		case f.Rating != "" && r.Severity().Rating != f.Rating:
			return false
		}
		return true
	}
	p, err := t.store.OpenPage(store.PageQuery{After: f.After, Limit: pageSize(f.Limit), Newest: f.Newest, Keep: keep})
	if err != nil {
		return nil, storeError(err)
	}
	out := &ViewPage{Next: p.Next, Reports: []ReportView{}}
	for _, r := range p.Reports {
		out.Reports = append(out.Reports, TeamView(r))
	}
	return out, nil
}

// ViewFor returns a report as userID may see it: triagers see everything, the
// reporter sees the reporter-visible part, anyone else gets ErrNotFound. The
// webapp asks it for both sides.
func (t *Triage) ViewFor(userID string, id int) (*ReportView, error) {
	r, err := t.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	switch {
	case t.directory.IsTriager(userID):
		v := TeamView(r)
		return &v, nil
	case r.ReporterID == userID:
		v := ReporterView(r)
		return &v, nil
	}
	return nil, ErrNotFound
}
