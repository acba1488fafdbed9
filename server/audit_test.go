package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
)

// A decision reaches the server's audit log as one record: the event named
// after the action, the actor, the object type and the three maps.
func TestDecidedWritesOneAuditRecord(t *testing.T) {
	tests := []struct {
		name     string
		actor    string
		decision event.Audited
	}{
		{"a triager's staging decision", "triager-id", event.Audited{
			Action: "staging.approve", Object: "staging_request",
			Params: map[string]any{"request": "STG-1", "requester": "alice-id"},
			Prior:  map[string]any{"status": "pending"},
			Result: map[string]any{"status": "approved", "grant_end": "2026-03-02T10:05:00Z"},
		}},
		{"the plugin on its own, without prior state", "", event.Audited{
			Action: "halloffame.import", Object: "hall_of_fame",
			Params: map[string]any{"entries": 17},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &plugintest.API{}
			var got *model.AuditRecord
			api.On("LogAuditRec", mock.AnythingOfType("*model.AuditRecord")).Run(func(args mock.Arguments) {
				got = args.Get(0).(*model.AuditRecord)
			}).Once()
			p := &Plugin{client: pluginapi.NewClient(api, nil)}

			p.Decided(tt.actor, tt.decision)

			api.AssertExpectations(t)
			require.NotNil(t, got)
			assert.Equal(t, "responsibleDisclosure."+tt.decision.Action, got.EventName)
			assert.Equal(t, model.AuditStatusSuccess, got.Status)
			assert.Equal(t, tt.actor, got.Actor.UserId)
			assert.Equal(t, tt.decision.Object, got.EventData.ObjectType)
			for k, v := range tt.decision.Params {
				assert.Equal(t, v, got.EventData.Parameters[k], k)
			}
			assert.Len(t, got.EventData.PriorState, len(tt.decision.Prior))
			for k, v := range tt.decision.Prior {
				assert.Equal(t, v, got.EventData.PriorState[k], k)
			}
			assert.Len(t, got.EventData.ResultState, len(tt.decision.Result))
			for k, v := range tt.decision.Result {
				assert.Equal(t, v, got.EventData.ResultState[k], k)
			}
		})
	}
}
