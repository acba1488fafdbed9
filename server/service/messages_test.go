package service_test

import (
	"fmt"
	"testing"

	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

func TestMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"sentinel", service.ErrNotFound, "No report with that id was found among yours."},
		{"wrapped sentinel", errors.Wrap(service.ErrBusy, "store: v1/r/3"), "The plugin is busy; nothing was saved, please try again."},
		{"refusal", &report.RefusedError{Reason: "A triager cannot reply to SEC-1."}, "A triager cannot reply to SEC-1."},
		{"input", &report.InputError{Field: "note", Message: "Write the message."}, "Write the message."},
		{"too soon", &service.NudgeTooSoonError{}, "You nudged the team about this report recently; you can nudge again after 0001-01-01 00:00 UTC."},
		{"too many staging requests", &service.ErrTooManyStaging{Max: 2}, "You already have 2 open staging requests; wait for a decision or for a window to end before asking again."},
		{"internal detail never shown", fmt.Errorf("pq: relation pluginkeyvaluestore does not exist"), "Something went wrong and nothing was saved. Please try again; if it keeps failing, tell a system admin."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, service.Message(tt.err))
		})
	}
}
