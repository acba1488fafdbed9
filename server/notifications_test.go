package main

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/setup"
)

// pluginWithService is a plugin whose use cases run on an in-memory store.
func pluginWithService(t *testing.T, batching bool) (*Plugin, *report.Report) {
	t.Helper()
	// No GetConfig is expected: email batching is read at configuration
	// change, never per notification (a call would fail the test).
	api := &plugintest.API{}
	// Posts not yet linked to a report: the card of SEC-1 just posted, and others.
	fresh := &model.Post{Id: "fresh-card"}
	fresh.AddProp(notify.ReportIDProp, float64(1))
	api.On("GetPost", "fresh-card").Return(fresh, nil).Maybe()
	api.On("GetPost", mock.Anything).Return(&model.Post{}, nil).Maybe()

	p := &Plugin{botID: testBotID, triage: &setup.TriageChannel{ChannelID: testChannelID},
		active: &activeConfig{settings: config.Defaults(), good: true, emailBatching: batching}}
	p.SetAPI(api)
	p.client = pluginapi.NewClient(api, nil)
	p.service = servicetest.New(servicetest.Options{
		TriageChannelID: servicetest.Fixed(testChannelID),
	}).Services
	r, errs, err := p.service.Intake.File("alice", service.Filing{Report: report.Report{Title: "Secret title", Product: "Server", Estimate: report.RatingHigh,
		AffectedVersions: "1", TestedOn: report.TestedOnOwnInstallation, Description: "secret", Steps: "s", Impact: "i"}})
	require.NoError(t, err)
	require.Empty(t, errs)
	return p, r
}

func TestPushNotificationsCarryOnlyTheReportID(t *testing.T) {
	p, r := pluginWithService(t, false)
	tests := []struct {
		name    string
		pn      model.PushNotification
		want    string
		changed bool
	}{
		{"reply in the card thread", model.PushNotification{ChannelId: testChannelID, RootId: r.CardPostID, PostId: "p1", SenderId: "triager", Message: "Secret title"}, "New activity on SEC-1", true},
		{"the card itself", model.PushNotification{ChannelId: testChannelID, PostId: r.CardPostID, SenderId: testBotID, Message: "Secret title"}, "New activity on SEC-1", true},
		{"bot DM in the report thread", model.PushNotification{ChannelId: "dm", RootId: r.ThreadRootID, PostId: "p2", SenderId: testBotID, Message: "secret"}, "New activity on SEC-1", true},
		{"a card not yet linked", model.PushNotification{ChannelId: testChannelID, PostId: "fresh-card", SenderId: testBotID, Message: "Secret title"}, "New activity on SEC-1", true},
		{"other post in the triage channel", model.PushNotification{ChannelId: testChannelID, PostId: "p3", SenderId: "triager", Message: "secret"}, genericActivity, true},
		{"other bot DM", model.PushNotification{ChannelId: "dm", PostId: "p4", SenderId: testBotID, Message: "secret"}, genericActivity, true},
		{"unrelated post", model.PushNotification{ChannelId: "town", PostId: "p5", SenderId: "bob", Message: "hello"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pn := tt.pn
			out, reason := p.NotificationWillBePushed(&pn, "someone")
			assert.Empty(t, reason)
			if !tt.changed {
				assert.Nil(t, out)
				return
			}
			require.NotNil(t, out)
			assert.Equal(t, tt.want, out.Message)
			assert.Equal(t, tt.pn.Message, pn.Message, "the original is not modified")
		})
	}
}

func TestEmailNotificationsCarryOnlyTheReportID(t *testing.T) {
	p, r := pluginWithService(t, false)
	en := &model.EmailNotification{ChannelId: testChannelID, RootId: r.CardPostID, PostId: "p", SenderId: "triager",
		EmailNotificationContent: model.EmailNotificationContent{Subject: "Secret title", MessageHTML: "<p>secret</p>", MessageText: "secret"}}
	content, reason := p.EmailNotificationWillBeSent(en)
	assert.Empty(t, reason)
	require.NotNil(t, content)
	assert.Equal(t, "New activity on SEC-1", content.Subject)
	for _, s := range []string{content.Subject, content.Title, content.SubTitle, content.MessageHTML, content.MessageText} {
		assert.NotContains(t, s, "ecret")
	}

	unrelated, reason := p.EmailNotificationWillBeSent(&model.EmailNotification{ChannelId: "town", PostId: "x", SenderId: "bob"})
	assert.Nil(t, unrelated)
	assert.Empty(t, reason)

	batching, _ := pluginWithService(t, true)
	content, reason = batching.EmailNotificationWillBeSent(en)
	assert.Nil(t, content)
	assert.NotEmpty(t, reason, "batched emails would carry the post: they are not sent")
}

func TestRelayQueueIgnoresTheBotAndSystemPosts(t *testing.T) {
	p, _ := pluginWithService(t, false)
	p.relay = &relayWorker{queue: make(chan event.Post, 10)}
	p.MessageHasBeenPosted(nil, &model.Post{Id: "1", UserId: testBotID, ChannelId: "dm", RootId: "r"})
	p.MessageHasBeenPosted(nil, &model.Post{Id: "2", UserId: "alice", ChannelId: "dm", Type: model.PostTypeJoinChannel})
	p.MessageHasBeenPosted(nil, &model.Post{Id: "3", UserId: "alice", ChannelId: "dm", RootId: "r", Message: "hi"})
	p.MessageHasBeenUpdated(nil, &model.Post{Id: "3", UserId: "alice", ChannelId: "dm", RootId: "r", Message: "hi!"}, nil)
	require.Len(t, p.relay.queue, 2)
	first, second := <-p.relay.queue, <-p.relay.queue
	assert.Equal(t, "3", first.ID)
	assert.False(t, first.Edited)
	assert.True(t, second.Edited)
}
