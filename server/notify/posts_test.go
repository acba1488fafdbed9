package notify

import (
	"fmt"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// postingNotifier is a notifier whose posts are kept in order instead of sent.
func postingNotifier(t *testing.T) (*Notifier, *[]*model.Post) {
	t.Helper()
	api := &plugintest.API{}
	api.On("GetUser", "u1").Return(&model.User{Id: "u1", Username: "alice"}, nil).Maybe()
	api.On("GetUser", mock.Anything).Return(nil, model.NewAppError("GetUser", "not_found", nil, "", 404)).Maybe()
	var posts []*model.Post
	api.On("CreatePost", mock.AnythingOfType("*model.Post")).Return(func(p *model.Post) (*model.Post, *model.AppError) {
		posts = append(posts, p)
		created := p.Clone()
		created.Id = fmt.Sprintf("post%d", len(posts))
		return created, nil
	})
	return New(pluginapi.NewClient(api, nil), "bot", "plugin", func() string { return "https://chat.example.com" }), &posts
}

func TestCardsCarryTheirButtonsToThePluginRoutes(t *testing.T) {
	n, posts := postingNotifier(t)
	r := &report.Report{ID: 4, Version: 9, Status: report.StatusSubmitted, TriageChannelID: "triage", ReporterID: "u1"}
	_, err := n.PostCard(r, event.CardView{Clocks: []event.ClockState{{Clock: event.ClockTriage, State: sla.OnTrack, Due: due}}})
	require.NoError(t, err)
	_, err = n.PostStagingCard(&staging.Request{ID: 3, Version: 2, Status: staging.StatusPending, ChannelID: "triage", RequesterID: "u1"})
	require.NoError(t, err)
	require.Len(t, *posts, 2)

	card := (*posts)[0].Attachments()[0]
	var ids []string
	for _, a := range card.Actions {
		ids = append(ids, a.Id)
		assert.Equal(t, "/plugins/plugin/action", a.Integration.URL)
	}
	assert.Equal(t, []string{"take", "close", "reassign", "message"}, ids)
	targets := ""
	for _, f := range card.Fields {
		if f.Title == "Targets" {
			targets = f.Value.(string)
		}
	}
	assert.Equal(t, "🟢 Triage on track · due 2026-03-02 10:01 UTC", targets)

	stagingCard := (*posts)[1].Attachments()[0]
	require.Len(t, stagingCard.Actions, 2)
	assert.Equal(t, "/plugins/plugin/staging/action", stagingCard.Actions[0].Integration.URL)
}

func TestJobMessagesAreTaggedAndPingTheOwners(t *testing.T) {
	n, posts := postingNotifier(t)
	r := &report.Report{ID: 1, Status: report.StatusTriaging, TriageChannelID: "triage", CardPostID: "card"}
	reminder := event.Reminder{Report: r, Clock: event.ClockTriage, Target: mustTarget("90s"), Level: sla.Breached, Due: due}

	reminder.Owners = event.Owners{Assignee: "u1"}
	_, err := n.Remind(reminder, "triage:breached")
	require.NoError(t, err)
	reminder.Owners = event.Owners{Assignee: "gone"}
	_, err = n.Remind(reminder, "triage:breached")
	require.NoError(t, err)
	_, err = n.PostNudge(event.Nudge{Report: r, Missed: event.ClockTriage, Owners: event.Owners{Responders: []string{"oncall"}}}, "nudge:1")
	require.NoError(t, err)

	require.Len(t, *posts, 3)
	first := (*posts)[0]
	assert.Equal(t, "card", first.RootId, "in the card thread")
	assert.Equal(t, "triage", first.ChannelId)
	assert.Equal(t, "triage:breached", first.GetProp(tagProp), "tagged with its claim")
	assert.Equal(t, "@alice 🚨 **SEC-1**: the triage target (90 seconds) is overdue — due 2026-03-02 10:01 UTC.", first.Message)
	assert.Equal(t, "🚨 **SEC-1**: the triage target (90 seconds) is overdue — due 2026-03-02 10:01 UTC.", (*posts)[1].Message, "an unknown assignee is not pinged")
	assert.Equal(t, "@oncall 📣 The reporter of **SEC-1** asks for an update: the Triage target was missed.", (*posts)[2].Message)
}
