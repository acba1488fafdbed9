package notify

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// A card that moved keeps no report text, and its one button asks where it
// went.
func TestAMovedCardSaysWhereItWent(t *testing.T) {
	n, api := updatingNotifier(t)
	r := &report.Report{ID: 7, Title: "Secret title", CardPostID: "newcard", TriageChannelID: "new"}
	require.NoError(t, n.MarkCardMoved("old", "oldcard", r))
	updated := api.updated
	require.NotNil(t, updated)
	assert.Equal(t, "oldcard", updated.Id)
	assert.Equal(t, "old", updated.ChannelId)
	attachment := updated.Attachments()[0]
	text := updated.Message + attachment.Title + attachment.Text
	assert.Contains(t, text, "https://chat.example.com/_redirect/pl/newcard")
	assert.NotContains(t, text, "Secret title")
	assert.Nil(t, updated.GetProp(ReportIDProp), "no longer a card")
	actions := attachment.Actions
	require.Len(t, actions, 1)
	assert.Equal(t, ActionWhereNow, actions[0].Integration.Context["action"])
}

// recordedUpdate keeps the last post an update wrote.
type recordedUpdate struct{ updated *model.Post }

func updatingNotifier(t *testing.T) (*Notifier, *recordedUpdate) {
	t.Helper()
	api := &plugintest.API{}
	rec := &recordedUpdate{}
	api.On("UpdatePost", mock.AnythingOfType("*model.Post")).Return(func(p *model.Post) (*model.Post, *model.AppError) {
		rec.updated = p
		return p.Clone(), nil
	})
	return New(pluginapi.NewClient(api, nil), "bot", "plugin", func() string { return "https://chat.example.com" }), rec
}
