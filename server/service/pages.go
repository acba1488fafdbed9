package service

import (
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// MaxPageSize bounds one page of reports.
const MaxPageSize = 100

// QueueFilter selects open reports for the team's queue.
type QueueFilter struct {
	Status   report.Status
	Assignee string // a user id, or "none" for unassigned
	Rating   report.Rating
	Newest   bool // newest first; oldest (longest waiting) first by default
	After    int  // cursor
	Limit    int
}

// ViewPage is one page of report views and the cursor of the next (0: end).
type ViewPage struct {
	Reports []ReportView `json:"reports"`
	Next    int          `json:"next_cursor"`
}

func pageSize(n int) int {
	if n <= 0 || n > MaxPageSize {
		return MaxPageSize
	}
	return n
}

// MinePage pages through a researcher's own reports, newest first.
func (s *Service) MinePage(userID string, after, limit int) (*ViewPage, error) {
	p, err := s.store.ReporterPage(userID, store.PageQuery{After: after, Limit: pageSize(limit), Newest: true})
	if err != nil {
		return nil, storeError(err)
	}
	out := &ViewPage{Next: p.Next, Reports: []ReportView{}}
	for _, r := range p.Reports {
		out.Reports = append(out.Reports, ReporterView(r))
	}
	return out, nil
}

// QueuePage pages through the open reports for triagers.
func (s *Service) QueuePage(userID string, f QueueFilter) (*ViewPage, error) {
	if !s.directory.IsTriager(userID) {
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
	p, err := s.store.OpenPage(store.PageQuery{After: f.After, Limit: pageSize(f.Limit), Newest: f.Newest, Keep: keep})
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
// reporter sees the reporter-visible part, anyone else gets ErrNotFound.
func (s *Service) ViewFor(userID string, id int) (*ReportView, error) {
	r, err := s.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	switch {
	case s.directory.IsTriager(userID):
		v := TeamView(r)
		return &v, nil
	case r.ReporterID == userID:
		v := ReporterView(r)
		return &v, nil
	}
	return nil, ErrNotFound
}
