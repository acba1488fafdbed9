package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
)

// On servers that ask (11.7+, 11.9+), the triage channel cannot be made
// public, shared or archived, nor take a guest; other channels are not
// the plugin's business.
func TestNewerServersAskBeforeTheTriageChannelBecomesUnsafe(t *testing.T) {
	api := &plugintest.API{}
	api.On("GetUser", "guest").Return(&model.User{Id: "guest", Roles: model.SystemGuestRoleId}, nil)
	api.On("GetUser", "member").Return(&model.User{Id: "member", Roles: model.SystemUserRoleId}, nil)
	api.On("GetUser", "gone").Return(nil, model.NewAppError("GetUser", "not_found", nil, "", 404))
	api.On("LogWarn", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
	api.On("LogWarn", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
	p := &Plugin{client: pluginapi.NewClient(api, nil), triage: &setup.TriageChannel{ChannelID: "triage"}}

	private := &model.Channel{Id: "triage", Type: model.ChannelTypePrivate}
	public := &model.Channel{Id: "triage", Type: model.ChannelTypeOpen}
	shared := &model.Channel{Id: "triage", Type: model.ChannelTypePrivate, Shared: model.NewPointer(true)}
	renamed := &model.Channel{Id: "triage", Type: model.ChannelTypePrivate, DisplayName: "Security"}
	other := &model.Channel{Id: "other", Type: model.ChannelTypePrivate}
	otherPublic := &model.Channel{Id: "other", Type: model.ChannelTypeOpen}

	updates := []struct {
		name         string
		updated, old *model.Channel
		refused      string
	}{
		{"made public", public, private, "it stays private"},
		{"shared", shared, private, "cannot be shared"},
		{"renamed", renamed, private, ""},
		{"another channel made public", otherPublic, other, ""},
	}
	for _, tt := range updates {
		changed, reason := p.ChannelWillBeUpdated(nil, tt.updated, tt.old)
		assert.Nil(t, changed, tt.name)
		if tt.refused == "" {
			assert.Empty(t, reason, tt.name)
		} else {
			assert.Contains(t, reason, tt.refused, tt.name)
		}
	}

	assert.Equal(t, setup.RefuseArchive, p.ChannelWillBeArchived(nil, private))
	assert.Empty(t, p.ChannelWillBeArchived(nil, other))

	members := []struct {
		channel, user string
		refused       bool
	}{
		{"triage", "guest", true},
		{"triage", "member", false},
		{"triage", "gone", false},
		{"other", "guest", false},
	}
	for _, tt := range members {
		changed, reason := p.ChannelMemberWillBeAdded(nil, &model.ChannelMember{ChannelId: tt.channel, UserId: tt.user})
		assert.Nil(t, changed)
		assert.Equal(t, tt.refused, reason != "", "%s joining %s: %q", tt.user, tt.channel, reason)
	}

	// Before the plugin is set up there is no triage channel to keep.
	p.triage = nil
	_, reason := p.ChannelWillBeUpdated(nil, public, private)
	assert.Empty(t, reason)
}
