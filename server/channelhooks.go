package main

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
)

// The hooks newer servers call before a channel changes (setup.RefuseUpdate):
// for the triage channel the plugin refuses what would make it unsafe.

// isTriageChannel says whether channelID is the triage channel now.
func (p *Plugin) isTriageChannel(channelID string) bool {
	triage := p.triageChannel()
	return triage != nil && channelID == triage.ChannelID
}

// ChannelWillBeUpdated refuses making the triage channel public or shared
// (servers 11.9 and later).
func (p *Plugin) ChannelWillBeUpdated(_ *plugin.Context, updated, old *model.Channel) (*model.Channel, string) {
	if updated == nil || old == nil || !p.isTriageChannel(old.Id) {
		return nil, ""
	}
	if reason := setup.RefuseUpdate(old, updated); reason != "" {
		p.client.Log.Warn("Refused a change that would make the triage channel unsafe", "channel_id", old.Id, "type", string(updated.Type))
		return nil, reason
	}
	return nil, ""
}

// ChannelWillBeArchived refuses archiving the triage channel (servers 11.7
// and later).
func (p *Plugin) ChannelWillBeArchived(_ *plugin.Context, channel *model.Channel) string {
	if channel == nil || !p.isTriageChannel(channel.Id) {
		return ""
	}
	p.client.Log.Warn("Refused archiving the triage channel", "channel_id", channel.Id)
	return setup.RefuseArchive
}

// ChannelMemberWillBeAdded refuses a guest in the triage channel (servers
// 11.7 and later). A user who cannot be read is let through: the check at
// use never counts a guest on the team anyway.
func (p *Plugin) ChannelMemberWillBeAdded(_ *plugin.Context, member *model.ChannelMember) (*model.ChannelMember, string) {
	if member == nil || !p.isTriageChannel(member.ChannelId) {
		return nil, ""
	}
	user, err := p.client.User.Get(member.UserId)
	if err != nil {
		p.client.Log.Warn("Could not read a user joining the triage channel", "user_id", member.UserId, "error", err.Error())
		return nil, ""
	}
	if reason := setup.RefuseMember(user); reason != "" {
		p.client.Log.Warn("Refused a guest in the triage channel", "user_id", member.UserId)
		return nil, reason
	}
	return nil, ""
}
