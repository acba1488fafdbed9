package main

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// unsafeNotice is what the bot tells the system admins when the triage
// channel became unsafe (setup.Unsafe gives the reason): what an admin's team
// action is refused with.
func unsafeNotice(reason string) string {
	return (&service.OnHoldError{Reason: reason, Admin: true}).Error()
}

// triageSafetyChanged hears each change of the triage channel's safety
// verdict (setup.SafetyCache): it logs it; when the channel became unsafe it
// tells the system admins once, from whichever server noticed first, and when
// it is safe again it posts the cards held back meanwhile. It runs on a
// request path, so that work runs after the request.
func (p *Plugin) triageSafetyChanged(channelID, reason string) {
	if reason == "" {
		p.client.Log.Info("The triage channel is safe again: team actions are allowed", "channel_id", channelID)
		p.afterRequests.Go(p.resumeAfterUnsafe)
		return
	}
	p.client.Log.Warn("Team actions are refused: "+reason, "channel_id", channelID)
	p.afterRequests.Go(func() { p.tellAdminsUnsafe(channelID, reason) })
}

// tellAdminsUnsafe DMs every active system admin, unless another server (or
// an earlier check) already told them of this verdict.
func (p *Plugin) tellAdminsUnsafe(channelID, reason string) {
	verdict := channelID + " " + reason
	told, err := p.client.KV.Set(store.KeyTriageUnsafe, verdict, pluginapi.SetAtomic(nil))
	if err != nil || !told {
		return // told before, or the next change tries again
	}
	admins, err := p.client.User.List(&model.UserGetOptions{Role: model.SystemAdminRoleId, Active: true, PerPage: 200})
	if err != nil {
		p.client.Log.Warn("Could not list the system admins to tell them the triage channel is unsafe", "error", err.Error())
		return
	}
	p.setupLock.Lock()
	botID := p.botID
	p.setupLock.Unlock()
	for _, admin := range admins {
		if admin.IsBot {
			continue
		}
		if err := p.client.Post.DM(botID, admin.Id, &model.Post{Message: unsafeNotice(reason)}); err != nil {
			p.client.Log.Warn("Could not tell a system admin the triage channel is unsafe", "user_id", admin.Id, "error", err.Error())
		}
	}
}

// resumeAfterUnsafe ends an unsafe period the admins were told of: it clears
// the flag (by compare-and-delete, so that of all servers noticing only one
// goes on) and posts the cards of the filings made meanwhile, and the
// replies taken meanwhile.
func (p *Plugin) resumeAfterUnsafe() {
	var held []byte
	if err := p.client.KV.Get(store.KeyTriageUnsafe, &held); err != nil || held == nil {
		return
	}
	if cleared, err := p.client.KV.Set(store.KeyTriageUnsafe, nil, pluginapi.SetAtomic(held)); err != nil || !cleared {
		return
	}
	posted, err := p.service.Triage.PostMissingCards()
	if err != nil {
		p.client.Log.Warn("Could not post the cards of the reports filed while the triage channel was unsafe", "error", err.Error())
		return
	}
	replies := p.service.Conversation.RetryPendingRelays()
	p.client.Log.Info("Posted the cards of the reports filed, and the replies sent, while the triage channel was unsafe", "cards", posted, "replies", replies)
}

// triageChannelUnsafe is the notifier's guard (notify.GuardChannels): why the
// bot must not post in channelID now, "" when it may.
func (p *Plugin) triageChannelUnsafe(channelID string) string {
	triage := p.triageChannel()
	if triage == nil || channelID != triage.ChannelID {
		return ""
	}
	return p.safety.Reason(channelID)
}
