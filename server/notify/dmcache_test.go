package notify

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

// A user's DM channel with the bot is looked up once; when posting to the
// remembered channel fails (an admin deleted it), it is looked up again and
// the post goes to the new one.
func TestDirectMessagesLookUpTheChannelOncePerUser(t *testing.T) {
	api := &plugintest.API{}
	channel := "dm1"
	api.On("GetDirectChannel", "bot", "alice").Return(func(string, string) (*model.Channel, *model.AppError) {
		return &model.Channel{Id: channel, Type: model.ChannelTypeDirect}, nil
	})
	var postedTo []string
	api.On("CreatePost", mock.AnythingOfType("*model.Post")).Return(func(p *model.Post) (*model.Post, *model.AppError) {
		postedTo = append(postedTo, p.ChannelId)
		if p.ChannelId == "gone" {
			return nil, model.NewAppError("CreatePost", "channel_deleted", nil, "", 400)
		}
		created := p.Clone()
		created.Id = "post-" + p.ChannelId
		return created, nil
	})
	n := New(pluginapi.NewClient(api, nil), "bot", "plugin", func() string { return "" })

	for range 3 {
		id, err := n.dm("alice", &model.Post{Message: "hello"})
		require.NoError(t, err)
		assert.Equal(t, "post-dm1", id)
	}
	api.AssertNumberOfCalls(t, "GetDirectChannel", 1)
	assert.True(t, n.IsBotDM("dm1"), "a channel the bot DMs through is known as a DM")

	n.dms.remember("alice", "gone")
	channel = "dm2"
	id, err := n.dm("alice", &model.Post{Message: "hello again"})
	require.NoError(t, err)
	assert.Equal(t, "post-dm2", id)
	assert.Equal(t, []string{"dm1", "dm1", "dm1", "gone", "dm2"}, postedTo)
	api.AssertNumberOfCalls(t, "GetDirectChannel", 2)
}
