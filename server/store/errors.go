package store

import (
	"errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Sentinel errors. Their messages are fit to show users; wrapped errors add the
// key or id for logs, and errors.Is still matches.
var (
	// ErrBusy: a compare-and-set lost to other writers more times than the retry
	// bound allows. Nothing was written by the failed step.
	ErrBusy = errors.New("the store is busy, please try again")
	// ErrRateLimited: the researcher already filed the day's allowance.
	ErrRateLimited = errors.New("you have reached today's limit of new reports, please try again tomorrow")
	// ErrNotFound: no such report, profile or post link.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the report changed since the caller read it. Returned as a
	// *ConflictError carrying the current report.
	ErrConflict = errors.New("the report changed since you opened it")
)

// ConflictError is returned by UpdateIfVersion when the stored report is not at
// the expected version. Current is the report as it is now, so the caller can
// show the second triager what changed.
type ConflictError struct {
	Expected int
	Current  *report.Report
}

func (e *ConflictError) Error() string { return ErrConflict.Error() }

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }
