package tests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Helpers shared by the report scenarios: filing through the real dialog,
// finding and reading the triage card, pressing its buttons.

// wait bounds every single asynchronous step (a websocket event, a card update,
// an audit line). The server answers in milliseconds; the bound is for a slow CI.
const wait = 20 * time.Second

// Button sets the card shows in each state (the plugin's transition table for a
// triager, in its order).
var (
	buttonsSubmitted = []string{"take", "close", "reassign", "message"}
	buttonsTriaging  = []string{"take", "ask", "confirm", "close", "reassign", "message"}
	buttonsNeedsInfo = []string{"take", "close", "reassign", "message"}
	buttonsConfirmed = []string{"ask", "confirm", "fix", "close", "reassign", "message"}
	buttonsFixed     = []string{"fix", "disclose", "reassign", "message", "advisory"}
	buttonsDisclosed = []string{"message", "advisory"}
	buttonsClosed    = []string{"reopen", "message"}
)

// uniqueTag is a word no other report contains, so a scenario finds its own text
// (and only its own) in posts, notifications and logs.
func uniqueTag(prefix string) string {
	return prefix + strings.ToUpper(model.NewId()[:10])
}

// reportForm is a valid report submission; tag is part of every text field.
func reportForm(tag string) map[string]any {
	return map[string]any{
		"title":             "Stored XSS in the channel header " + tag,
		"product":           "Server",
		"cvss":              "",
		"estimate":          "high",
		"affected_versions": "11.4.0 and earlier " + tag,
		"tested_on":         "own_installation",
		"description":       "The channel header renders raw HTML. " + tag,
		"steps":             "1. Set a channel header.\n2. Open the channel. " + tag,
		"impact":            "Any member's session can be taken over. " + tag,
		"credit":            true,
		"display_name":      "Ada Lovelace",
		"affiliation":       "from Example Labs",
		"policy":            true,
	}
}

// with returns a copy of form with some fields replaced (a nil value removes one).
func with(form map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range form {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// filed is a report a scenario filed: its id and its card in the triage channel.
type filed struct {
	key  string
	card *model.Post
}

// fileReport files form as u from town-square through the real dialog, and
// returns the report with its card as the triager sees it.
func fileReport(t *testing.T, u *harness.User, form map[string]any) filed {
	t.Helper()
	ctx := ctxFor(t)
	key, err := harness.FileReport(ctx, u, env.Team.Id, env.DefaultChannel.Id, form, wait)
	require.NoError(t, err, "%s filing a report", u.Username)
	card, err := harness.FindCard(ctx, env.User("triager"), env.TriageChannel.Id, key, wait)
	require.NoError(t, err, "the card of %s in the triage channel", key)
	// Threads are counted from here on: the full text comes first.
	_, err = harness.WaitFullText(ctx, env.User("triager"), card.Id, wait)
	require.NoError(t, err, "the full text of %s in its card's thread", key)
	return filed{key: key, card: card}
}

// card reads a card's current version as the triager sees it.
func card(t *testing.T, postID string) *harness.Card {
	t.Helper()
	c, err := harness.GetCard(ctxFor(t), env.User("triager"), postID)
	require.NoError(t, err)
	return c
}

// press presses a button that applies at once and returns the card once it
// shows wantStatus.
func press(t *testing.T, u *harness.User, r filed, action, wantStatus string) *harness.Card {
	t.Helper()
	ctx := ctxFor(t)
	_, err := u.PressButton(ctx, r.card.Id, action)
	require.NoError(t, err)
	c, err := harness.WaitCardStatus(ctx, env.User("triager"), r.card.Id, wantStatus, wait)
	require.NoError(t, err, "%s pressed %s on %s", u.Username, action, r.key)
	return c
}

// openActionDialog presses a button that opens a dialog and checks it is the
// plugin's form for that action.
func openActionDialog(t *testing.T, u *harness.User, r filed, action string) *model.OpenDialogRequest {
	t.Helper()
	d, err := u.PressButtonForDialog(ctxFor(t), r.card, action, wait)
	require.NoError(t, err)
	require.Equal(t, "/plugins/"+env.Bundle.ID+"/dialog/action", d.URL, "the %s dialog posts to the plugin", action)
	require.Equal(t, "action:"+action, d.Dialog.CallbackId)
	require.NotEmpty(t, d.Dialog.State, "the %s dialog carries a signed state", action)
	return d
}

// pressWithDialog presses a button, submits its dialog and returns the card once
// it shows wantStatus.
func pressWithDialog(t *testing.T, u *harness.User, r filed, action string, submission map[string]any, wantStatus string) *harness.Card {
	t.Helper()
	ctx := ctxFor(t)
	d := openActionDialog(t, u, r, action)
	resp, err := u.SubmitDialog(ctx, d, env.Team.Id, r.card.ChannelId, submission)
	require.NoError(t, err)
	require.Empty(t, resp.Error, "%s submitting %s on %s", u.Username, action, r.key)
	require.Empty(t, resp.Errors, "%s submitting %s on %s", u.Username, action, r.key)
	c, err := harness.WaitCardStatus(ctx, env.User("triager"), r.card.Id, wantStatus, wait)
	require.NoError(t, err, "%s submitted %s on %s", u.Username, action, r.key)
	return c
}

// buttonContext is what a card button sends to the plugin (report id, version,
// action), as the server stored the card.
func buttonContext(t *testing.T, postID, action string) map[string]any {
	t.Helper()
	c, err := harness.StoredButtonContext(ctxFor(t), env.PG, postID, action)
	require.NoError(t, err)
	return c
}

// reply runs a command as u in town-square and returns the answer only u sees.
func reply(t *testing.T, u *harness.User, command string) string {
	t.Helper()
	text, err := u.CommandReply(ctxFor(t), env.Team.Id, env.DefaultChannel.Id, command, wait)
	require.NoError(t, err)
	return text
}

// receiptThread returns the replies the bot sent the reporter in the report's
// DM thread, oldest first.
func receiptThread(ctx context.Context, t *testing.T, reporter *harness.User, key string) (*model.Post, []*model.Post) {
	t.Helper()
	receipt, err := harness.FindReceipt(ctx, reporter, env.Bot.Id, key, wait)
	require.NoError(t, err)
	replies, err := harness.Thread(ctx, reporter, receipt.Id)
	require.NoError(t, err)
	return receipt, replies
}

// insideFence says whether every line of text holding needle sits inside a
// fenced code block of message, where Mattermost interprets nothing.
func insideFence(message, needle string) bool {
	found := false
	fence := ""
	for _, line := range strings.Split(message, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence == "" {
			if strings.HasPrefix(trimmed, "```") {
				fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
				continue
			}
			if strings.Contains(line, needle) {
				return false
			}
			continue
		}
		if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, "`") == "" {
			fence = ""
			continue
		}
		if strings.Contains(line, needle) {
			found = true
		}
	}
	return found
}
