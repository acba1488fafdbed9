package notify

import (
	"errors"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// While the triage channel is unsafe the bot posts and edits nothing there;
// other channels (the reporter's DM) are not affected.
func TestGuardedChannelsGetNoPostsAndNoEdits(t *testing.T) {
	api := &plugintest.API{}
	var postedTo []string
	api.On("CreatePost", mock.AnythingOfType("*model.Post")).Return(func(p *model.Post) (*model.Post, *model.AppError) {
		postedTo = append(postedTo, p.ChannelId)
		created := p.Clone()
		created.Id = "post-" + p.ChannelId
		return created, nil
	})
	api.On("GetUser", mock.Anything).Return(&model.User{Username: "someone"}, nil)
	n := New(pluginapi.NewClient(api, nil), "bot", "plugin", func() string { return "" })
	n.GuardChannels(func(channelID string) string {
		if channelID == "triage" {
			return "the triage channel is no longer private"
		}
		return ""
	})
	r := &report.Report{ID: 7, TriageChannelID: "triage", CardPostID: "card", Title: "XSS", Status: report.StatusSubmitted}

	tests := []struct {
		name string
		do   func() error
	}{
		{"a new card", func() error { _, err := n.PostCard(r, event.CardView{}); return err }},
		{"the full text", func() error { return n.PostFullText(r, "card") }},
		{"a card edit", func() error { return n.UpdateCard(r, event.CardView{}) }},
	}
	for _, tt := range tests {
		err := tt.do()
		assert.True(t, errors.Is(err, ErrChannelUnsafe), "%s: %v", tt.name, err)
	}
	assert.Empty(t, postedTo, "nothing reached the unsafe channel")
	api.AssertNotCalled(t, "UpdatePost", mock.Anything)

	// The webapps' live update reaches the reporter, not the channel.
	var broadcasts []string
	api.On("PublishWebSocketEvent", EventReportChanged, mock.Anything, mock.AnythingOfType("*model.WebsocketBroadcast")).
		Run(func(args mock.Arguments) {
			b := args.Get(2).(*model.WebsocketBroadcast)
			broadcasts = append(broadcasts, b.ChannelId+b.UserId)
		}).Return()
	r.ReporterID = "alice"
	n.Publish(r)
	assert.Equal(t, []string{"alice"}, broadcasts, "no live update to the unsafe channel")

	_, err := n.create(&model.Post{ChannelId: "dm", Message: "hello"})
	assert.NoError(t, err, "other channels are not guarded")
	assert.Equal(t, []string{"dm"}, postedTo)
}
