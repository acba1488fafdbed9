package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
)

// While the triage channel is unsafe, a team action is refused with the
// reason to those who would be on the team (an admin also learns how to fix
// it), and with the usual words to anyone else, who learns nothing of it.
func TestTeamActionsWhileOnHoldSayWhy(t *testing.T) {
	const reason = "the triage channel is no longer private"
	kv := &pluginapi.MemoryStore{}
	filer := servicetest.New(servicetest.Options{KV: kv})
	r, errs, err := filer.Intake.File("alice", validFiling("XSS"))
	require.NoError(t, err)
	require.Empty(t, errs)
	held := servicetest.New(servicetest.Options{KV: kv, Directory: servicetest.Held{
		Directory: servicetest.Directory{"triager": true, "admin": true}, Reason: reason}})

	take := func(user string) error {
		_, err := held.Triage.Act(service.Action{ActorID: user, ReportID: r.ID, Version: r.Version, Action: report.ActionTake})
		return err
	}
	view := func(user string) error { _, err := held.Triage.ViewFor(user, r.ID); return err }
	queue := func(user string) error { _, err := held.Triage.Queue(user); return err }
	tell := func(user string) error { _, err := held.Conversation.Tell(user, r.ID, "hello"); return err }
	stats := func(user string) error { _, err := held.Clocks.Stats(user); return err }

	for _, tc := range []struct {
		name, user string
		call       func(string) error
		admin      bool
		otherwise  error // for a user who would not be on the team
	}{
		{"a triager takes", "triager", take, false, nil},
		{"an admin takes", "admin", take, true, nil},
		{"a triager views", "triager", view, false, nil},
		{"a triager lists the queue", "triager", queue, false, nil},
		{"a triager messages the reporter", "triager", tell, false, nil},
		{"an admin reads the stats", "admin", stats, true, nil},
		{"a stranger takes", "mallory", take, false, service.ErrNotTriager},
		{"a stranger views", "mallory", view, false, service.ErrNotFound},
		{"a stranger messages the reporter", "mallory", tell, false, service.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(tc.user)
			if tc.otherwise != nil {
				assert.ErrorIs(t, err, tc.otherwise)
				assert.NotContains(t, service.Message(err), "on hold", "someone off the team learns nothing of the channel")
				return
			}
			var onHold *service.OnHoldError
			require.True(t, errors.As(err, &onHold), "refused with the reason: %v", err)
			msg := service.Message(err)
			assert.Contains(t, msg, reason)
			assert.Equal(t, tc.admin, strings.Contains(msg, "Convert it back to private"), "only an admin is told how to fix it: %q", msg)
			assert.Equal(t, !tc.admin, strings.Contains(msg, "The system admins have been told"), "%q", msg)
		})
	}
	got, err := held.Store.Get(r.ID)
	require.NoError(t, err)
	assert.Equal(t, r.Version, got.Version, "nothing changed")
}
