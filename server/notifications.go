package main

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// genericActivity is what a notification says when it concerns the security
// channel or the bot but no report could be named.
const genericActivity = "New activity in Security reports"

// redaction decides whether a notification concerns reports, and what it may say
// instead: only the report's id, never its content.
func (p *Plugin) redaction(channelID, senderID string, postIDs ...string) (string, bool) {
	if p.service == nil {
		return "", false
	}
	if key := p.service.Conversation.ReportKeyForPost(postIDs...); key != "" {
		return "New activity on " + key, true
	}
	p.setupLock.Lock()
	botID, triage := p.botID, p.triage
	p.setupLock.Unlock()
	if senderID != botID && (triage == nil || channelID != triage.ChannelID) {
		return "", false
	}
	// A card or receipt is notified before the report is linked to it; the
	// post's own prop names the report.
	for _, id := range postIDs {
		if id == "" {
			continue
		}
		if post, err := p.client.Post.GetPost(id); err == nil {
			if n := notify.ReportIDOf(post); n > 0 {
				return "New activity on " + report.FormatID(n), true
			}
		}
	}
	return genericActivity, true
}

// NotificationWillBePushed keeps report content out of push notifications, which
// leave the server through the push proxy and show on lock screens.
func (p *Plugin) NotificationWillBePushed(pn *model.PushNotification, _ string) (*model.PushNotification, string) {
	text, redact := p.redaction(pn.ChannelId, pn.SenderId, pn.RootId, pn.PostId)
	if !redact {
		return nil, ""
	}
	out := pn.DeepCopy()
	out.Message = text
	out.ChannelName = "Security reports"
	return out, ""
}

// EmailNotificationWillBeSent keeps report content out of notification emails.
// Batched emails are built from the posts themselves, past this hook, so when
// batching is on the email is not sent at all rather than sent with content.
// Batching is read at configuration change, not per notification.
func (p *Plugin) EmailNotificationWillBeSent(en *model.EmailNotification) (*model.EmailNotificationContent, string) {
	text, redact := p.redaction(en.ChannelId, en.SenderId, en.RootId, en.PostId)
	if !redact {
		return nil, ""
	}
	if p.emailBatching() {
		return nil, "security report notifications are never sent in batched emails"
	}
	content := en.EmailNotificationContent
	content.Subject = text
	content.Title = text
	content.SubTitle = ""
	content.MessageHTML = ""
	content.MessageText = text + ". Open Mattermost to read it."
	return &content, ""
}
