package service

import (
	"strings"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// userErrors are the sentinel errors whose text is meant for people. They are
// written as Go errors are (lower case, no period); Message makes sentences.
var userErrors = []error{
	ErrNotFound, ErrNotSetUp, ErrRateLimited, ErrBusy, ErrNotTriager, ErrNotAdmin,
	ErrNoBreach, ErrNoCreditName, ErrStagingChanged,
}

// Message is what a person sees for an error from the use cases: the sentence of
// a known error, or a generic one for anything else (whose cause belongs in the
// log, never in front of a researcher).
func Message(err error) string {
	for _, known := range userErrors {
		if errors.Is(err, known) {
			return sentence(known.Error())
		}
	}
	var refused *report.RefusedError
	var input *report.InputError
	var conflict *ConflictError
	var importErr *halloffame.ImportError
	var replyLimit *report.ReplyLimitError
	var onHold *OnHoldError
	var relayFailed *RelayFailedError
	var relayDelayed *RelayDelayedError
	if errors.As(err, &refused) || errors.As(err, &input) || errors.As(err, &conflict) || errors.As(err, &importErr) ||
		errors.As(err, &replyLimit) || errors.As(err, &onHold) || errors.As(err, &relayFailed) || errors.As(err, &relayDelayed) {
		return err.Error() // already sentences
	}
	var tooSoon *NudgeTooSoonError
	var tooMany *ErrTooManyStaging
	switch {
	case errors.As(err, &tooSoon):
		return sentence(tooSoon.Error())
	case errors.As(err, &tooMany):
		return sentence(tooMany.Error())
	}
	return "Something went wrong and nothing was saved. Please try again; if it keeps failing, tell a system admin."
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
