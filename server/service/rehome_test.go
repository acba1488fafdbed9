package service_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
)

// homeOf says where a report's card is: its channel, and whether that card
// is a live card in the fake (posted, not deleted, not marked moved).
func homeOf(t *testing.T, h *harness, id int) (channel, card string) {
	t.Helper()
	r, err := h.store.Get(id)
	require.NoError(t, err)
	return r.TriageChannelID, r.CardPostID
}

// After the triage channel setting changes, the open and fixed reports'
// cards move to the new channel in background steps, with their full text;
// the old cards say where they went and keep no report text; a final report
// stays where it is until something happens to it; and from then on
// everything about a report goes to the new channel.
func TestCardsFollowTheTriageChannel(t *testing.T) {
	h := newHarness(t)
	open := h.file(t, "alice")
	fixed := fileAs(t, h, "bob", "Bob B.", true)
	driveTo(t, h, fixed.ID, report.StatusFixed)
	closed := h.file(t, "carol")
	_, err := act(h, "triager", closed.ID, report.ActionClose, report.Input{Resolution: report.StatusInformative})
	require.NoError(t, err)
	h.conv.BotDMs["dm-carol"] = true
	_, oldOpenCard := homeOf(t, h, open.ID)
	_, oldClosedCard := homeOf(t, h, closed.ID)
	// The first step records the channel: nothing to move yet.
	done, err := h.svc.Recovery.RehomeStep()
	require.NoError(t, err)
	require.True(t, done)

	h.triageChannelID = "new-channel"
	done, err = h.svc.Recovery.RehomeStep()
	require.NoError(t, err)
	assert.True(t, done, "two reports: one step")

	for _, id := range []int{open.ID, fixed.ID} {
		channel, card := homeOf(t, h, id)
		assert.Equal(t, "new-channel", channel, "SEC-%d", id)
		require.Contains(t, h.notify.Cards, card)
		assert.Equal(t, "new-channel", h.notify.Cards[card].TriageChannelID)
		assert.NotEmpty(t, h.notify.Threads[card], "the full text is in the new card's thread")
		assert.NotEmpty(t, h.notify.Buttons[card], "the new card has the buttons")
	}
	_, newOpenCard := homeOf(t, h, open.ID)
	assert.Equal(t, newOpenCard, h.notify.Moved[oldOpenCard], "the old card points to the new one")
	assert.Empty(t, h.notify.Buttons[oldOpenCard], "the old card keeps no action buttons")

	channel, card := homeOf(t, h, closed.ID)
	assert.Equal(t, "triage-channel", channel, "a final report is not moved by the steps")
	assert.Equal(t, oldClosedCard, card)

	// A reply to the closed report: its card moves first, and the reply
	// follows it.
	latest, err := h.store.Get(closed.ID)
	require.NoError(t, err)
	require.NoError(t, h.svc.Conversation.HandlePost(reply(latest, "carol", "one more detail")))
	channel, card = homeOf(t, h, closed.ID)
	assert.Equal(t, "new-channel", channel)
	assert.Equal(t, []string{"new-channel/" + card}, h.conv.RelayedIn[closed.ID])
	assert.Equal(t, card, h.notify.Moved[oldClosedCard])

	// The button of a moved card answers with the link to the new one.
	answer, err := h.svc.Triage.WhereIsCard("triager", closed.ID)
	require.NoError(t, err)
	assert.Contains(t, answer, "/_redirect/pl/"+card)
	assert.Contains(t, answer, closed.Key())
	_, err = h.svc.Triage.WhereIsCard("alice", closed.ID)
	assert.Error(t, err, "only the team learns where a card is")

	// The steps are done: a further step moves nothing and posts nothing.
	cards := len(h.notify.Cards)
	done, err = h.svc.Recovery.RehomeStep()
	require.NoError(t, err)
	assert.True(t, done)
	assert.Len(t, h.notify.Cards, cards)
}

// Moving many cards takes several steps, each resuming where the last one
// stopped; two servers stepping at once never give a report two cards.
func TestRehomingResumesAndPostsEachCardOnce(t *testing.T) {
	c := newCluster()
	channel := "triage-channel"
	current := func() string { return channel }
	a := c.server(servicetest.Options{TriageChannelID: current})
	b := c.server(servicetest.Options{TriageChannelID: current})
	const reports = 120
	for i := range reports {
		_, errs, err := a.Intake.File(userName(i), validFiling("XSS"))
		require.NoError(t, err)
		require.Empty(t, errs)
	}
	done, err := a.Recovery.RehomeStep()
	require.NoError(t, err)
	require.True(t, done)

	channel = "new-channel"
	var wg sync.WaitGroup
	for _, srv := range []*servicetest.Env{a, b} {
		wg.Go(func() {
			for range 10 {
				if _, err := srv.Recovery.RehomeStep(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	live := map[int]int{} // report id → its cards in the new channel not deleted
	for id, r := range c.bot.Notifier.Cards {
		if r.TriageChannelID == "new-channel" && !c.bot.Notifier.Deleted[id] && c.bot.Moved[id] == "" {
			live[r.ID]++
		}
	}
	for id := 1; id <= reports; id++ {
		r, err := a.Store.Get(id)
		require.NoError(t, err)
		assert.Equal(t, "new-channel", r.TriageChannelID, "SEC-%d moved", id)
		assert.Equal(t, 1, live[id], "SEC-%d has one card in the new channel", id)
	}
}

func userName(i int) string { return "researcher" + string(rune('a'+i%26)) + string(rune('a'+i/26)) }
