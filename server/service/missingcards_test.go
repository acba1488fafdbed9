package service_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func TestPostMissingCardsPostsTheCardsOfFilingsMadeWhileTheChannelWasUnsafe(t *testing.T) {
	h := newHarness(t)
	carded := h.file(t, "alice")
	h.notify.FailCard = true // the notifier refuses the unsafe channel
	cardless := h.file(t, "bob")
	require.Empty(t, cardless.CardPostID, "stored without a card")
	h.notify.FailCard = false

	tests := []struct {
		name   string
		posted int
	}{
		{"the cardless filing gets its card", 1},
		{"once only", 0},
	}
	for _, tt := range tests {
		posted, err := h.svc.Triage.PostMissingCards()
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.posted, posted, tt.name)
	}
	r, err := h.store.Get(cardless.ID)
	require.NoError(t, err)
	require.NotEmpty(t, r.CardPostID)
	assert.Equal(t, report.StatusSubmitted, h.notify.Cards[r.CardPostID].Status)
	assert.NotEmpty(t, h.notify.Threads[r.CardPostID], "with the full text")
	kept, err := h.store.Get(carded.ID)
	require.NoError(t, err)
	assert.Equal(t, carded.CardPostID, kept.CardPostID, "a report with a card keeps it")
}
