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
