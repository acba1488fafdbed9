package service

import "github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"

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

// keeps says whether the filter lets an open report's summary through.
func (f QueueFilter) keeps(s *report.Summary) bool {
	switch {
	case f.Status != "" && s.Status != f.Status:
		return false
	case f.Assignee == "none" && s.Assignee != "":
		return false
	case f.Assignee != "" && f.Assignee != "none" && s.Assignee != f.Assignee:
		return false
	case f.Rating != "" && s.Rating != f.Rating:
		return false
	}
	return true
}
