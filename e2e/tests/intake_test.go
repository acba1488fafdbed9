package tests

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Issue 5: a researcher files a report through `/security report`, the dialog
// the server pushes over the websocket and the server's dialog submit route.

func TestFilingEndToEnd(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager := env.User("researcher"), env.User("triager")
	townSquare := env.DefaultChannel
	tag := uniqueTag("Filing")
	form := reportForm(tag)

	// The command answers by opening the form in the researcher's client.
	d, err := researcher.CommandDialog(ctx, env.Team.Id, townSquare.Id, harness.ReportCommand, wait)
	require.NoError(t, err)
	assert.Equal(t, "/plugins/"+env.Bundle.ID+"/dialog/report", d.URL)
	assert.NotEmpty(t, d.Dialog.State, "the form carries a signed state")
	assertReportDialog(t, &d.Dialog)

	mark := researcher.Events.Mark()
	resp, err := researcher.SubmitDialog(ctx, d, env.Team.Id, townSquare.Id, form)
	require.NoError(t, err)
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)

	// The confirmation names the id, only for the researcher, where the command ran.
	confirmation, err := researcher.Events.WaitEphemeral(ctx, mark, wait, townSquare.Id)
	require.NoError(t, err)
	key := harness.ReportKeyPattern.FindString(confirmation.Message)
	require.NotEmpty(t, key, "the confirmation names the report id: %q", confirmation.Message)

	// The card is in the private triage channel, posted by the bot.
	post, err := harness.FindCard(ctx, triager, env.TriageChannel.Id, key, wait)
	require.NoError(t, err)
	assert.Equal(t, env.Bot.Id, post.UserId, "the bot posts the card")
	c, err := harness.ParseCard(post)
	require.NoError(t, err)
	assert.Equal(t, key+" · Submitted", c.Title)
	assert.Contains(t, c.Text, tag, "the card shows the title")
	for field, want := range map[string]string{
		"Status":            "Submitted",
		"Assignee":          "Nobody yet",
		"Product":           "Server",
		"Severity":          "High (estimated)",
		"Reporter":          "@researcher",
		"Where tested":      "My own installation",
		"Affected versions": "11.4.0 and earlier " + tag,
		"Public credit":     "Ada Lovelace from Example Labs",
	} {
		assert.Contains(t, c.Fields[field], want, "card field %s", field)
	}
	assert.Contains(t, c.Fields, "Last update")
	assert.Equal(t, buttonsSubmitted, c.Actions, "buttons of a submitted report")

	// The full text is in the card's thread, each researcher text in a fence.
	thread, err := harness.WaitFullText(ctx, triager, post.Id, wait)
	require.NoError(t, err)
	var full strings.Builder
	for _, p := range thread {
		assert.Equal(t, env.Bot.Id, p.UserId, "the bot posts the full text")
		full.WriteString(p.Message + "\n")
	}
	for _, field := range []string{"title", "affected_versions", "description", "steps", "impact"} {
		text := form[field].(string)
		lastLine := text[strings.LastIndex(text, "\n")+1:]
		assert.True(t, insideFence(full.String(), lastLine), "the %s is in the card's thread, inside a code fence:\n%s", field, full.String())
	}

	// Only the security team reads the card.
	_, getResp, err := researcher.Client.GetPost(ctx, post.Id, "")
	require.Error(t, err, "the researcher can read the triage card")
	assert.Equal(t, http.StatusForbidden, harness.StatusCode(getResp, err))

	// The receipt is in the researcher's DM with the bot.
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, key, wait)
	require.NoError(t, err)
	assert.Contains(t, receipt.Message, "/security status "+key, "the receipt says how to follow the report")

	// The researcher follows it with their commands.
	mine := reply(t, researcher, "/security mine")
	assert.Contains(t, mine, key)
	assert.Contains(t, mine, "Submitted")
	status := reply(t, researcher, "/security status "+key)
	assert.Contains(t, status, key+" · Submitted")
	assert.Contains(t, status, tag)

	// Anyone else's view of the id reads exactly like an unknown id.
	for _, tc := range []struct{ user, command string }{
		{"researcher2", "/security status"},
		{"triager", "/security status"},
		{"outsider", "/security show"},
		{"researcher2", "/security show"},
	} {
		u := env.User(tc.user)
		unknown := reply(t, u, tc.command+" SEC-99999")
		got := reply(t, u, tc.command+" "+key)
		assert.Equal(t, unknown, got, "%s: %s %s reads like an unknown id", tc.user, tc.command, key)
		assert.NotContains(t, got, tag)
	}
	assert.NotContains(t, reply(t, env.User("researcher2"), "/security mine"), key, "the report is not listed as researcher2's")
}

// assertReportDialog checks the form against the server's dialog limits and the
// fields the issue asks for.
func assertReportDialog(t *testing.T, d *model.Dialog) {
	t.Helper()
	assert.Equal(t, "report", d.CallbackId)
	assert.LessOrEqual(t, utf8.RuneCountInString(d.Title), 24, "dialog title %q", d.Title)
	elements := map[string]model.DialogElement{}
	for _, e := range d.Elements {
		elements[e.Name] = e
		assert.LessOrEqual(t, utf8.RuneCountInString(e.DisplayName), 24, "display name of %s", e.Name)
		assert.LessOrEqual(t, utf8.RuneCountInString(e.HelpText), 150, "help text of %s", e.Name)
	}
	for _, name := range []string{"title", "product", "cvss", "estimate", "affected_versions", "tested_on",
		"description", "steps", "impact", "credit", "display_name", "affiliation", "policy"} {
		assert.Contains(t, elements, name, "the form has a %s element", name)
	}
	for _, name := range []string{"description", "steps"} {
		assert.GreaterOrEqual(t, elements[name].MaxLength, 10000, "%s takes at least 10,000 characters", name)
	}
	assert.Equal(t, "bool", elements["policy"].Type)
	assert.False(t, elements["policy"].Optional, "the policy box is required")
	assert.Contains(t, d.IntroductionText, "/plugins/"+env.Bundle.ID+"/policy", "the introduction links to the policy")
}

func TestFilingRefusesInvalidSubmissions(t *testing.T) {
	ctx := ctxFor(t)
	researcher, researcher2 := env.User("researcher"), env.User("researcher2")
	townSquare := env.DefaultChannel
	tag := uniqueTag("Refused")
	valid := reportForm(tag)
	mineBefore := reply(t, researcher, "/security mine")
	mine2Before := reply(t, researcher2, "/security mine")
	t.Cleanup(func() {
		// Nothing was filed, by either researcher, whatever was refused.
		assert.Equal(t, mineBefore, reply(t, researcher, "/security mine"), "researcher's reports changed")
		assert.Equal(t, mine2Before, reply(t, researcher2, "/security mine"), "researcher2's reports changed")
		posts, err := env.User("triager").ChannelPosts(ctxFor(t), env.TriageChannel.Id, 200)
		require.NoError(t, err)
		for _, p := range posts {
			assert.NotContains(t, p.Message, tag, "a refused submission reached the triage channel")
			for _, a := range p.Attachments() {
				assert.NotContains(t, a.Text, tag, "a refused submission has a card")
			}
		}
	})

	// Field errors come back inline, next to the field.
	fieldCases := []struct {
		name    string
		changes map[string]any
		field   string
	}{
		{"policy box unchecked", map[string]any{"policy": false}, "policy"},
		{"policy box missing", map[string]any{"policy": nil}, "policy"},
		{"policy box as text false", map[string]any{"policy": "false"}, "policy"},
		{"empty title", map[string]any{"title": "  "}, "title"},
		{"title on two lines", map[string]any{"title": "one\ntwo"}, "title"},
		{"title with a right-to-left override", map[string]any{"title": "Stored XSS \u202etxt.exe"}, "title"},
		{"credit name with a zero width space", map[string]any{"display_name": "Ada\u200bLovelace"}, "display_name"},
		{"unknown product", map[string]any{"product": "Toaster"}, "product"},
		{"invalid CVSS vector", map[string]any{"cvss": "CVSS:3.1/AV:X"}, "cvss"},
		{"no vector and no estimate", map[string]any{"estimate": ""}, "estimate"},
		{"unknown estimate", map[string]any{"estimate": "apocalyptic"}, "estimate"},
		{"unknown test place", map[string]any{"tested_on": "customer_production"}, "tested_on"},
		{"empty description", map[string]any{"description": ""}, "description"},
		{"oversized description", map[string]any{"description": strings.Repeat("a", 20001)}, "description"},
		{"credit without a name", map[string]any{"display_name": ""}, "display_name"},
	}
	for _, tc := range fieldCases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := researcher.CommandDialog(ctx, env.Team.Id, townSquare.Id, harness.ReportCommand, wait)
			require.NoError(t, err)
			resp, err := researcher.SubmitDialog(ctx, d, env.Team.Id, townSquare.Id, with(valid, tc.changes))
			require.NoError(t, err)
			assert.Contains(t, resp.Errors, tc.field, "an inline error on %s (errors: %v, error: %q)", tc.field, resp.Errors, resp.Error)
			assert.NotEmpty(t, resp.Errors[tc.field])
		})
	}

	// A state that was not issued to the submitter, for this form, by this
	// plugin is refused as a whole, before any field is read.
	d, err := researcher.CommandDialog(ctx, env.Team.Id, townSquare.Id, harness.ReportCommand, wait)
	require.NoError(t, err)
	creditForm, err := researcher.CommandDialog(ctx, env.Team.Id, townSquare.Id, "/security credit edit", wait)
	require.NoError(t, err)
	stateCases := []struct {
		name  string
		as    *harness.User
		state string
	}{
		{"another researcher's state", researcher2, d.Dialog.State},
		{"a state forged to name the submitter", researcher2, forgeState(t, d.Dialog.State, researcher.Id, researcher2.Id)},
		{"a state with a broken signature", researcher, breakSignature(d.Dialog.State)},
		{"no state", researcher, ""},
		{"the state of another form", researcher, creditForm.Dialog.State},
	}
	for _, tc := range stateCases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.as.SubmitDialogRaw(ctx, model.SubmitDialogRequest{
				URL:        d.URL,
				CallbackId: d.Dialog.CallbackId,
				State:      tc.state,
				ChannelId:  townSquare.Id,
				TeamId:     env.Team.Id,
				Submission: valid,
			})
			require.NoError(t, err)
			assert.NotEmpty(t, resp.Error, "the submission is refused")
			assert.Empty(t, resp.Errors, "no field is judged")
		})
	}

	// Straight to the plugin's route, naming someone else as the submitter.
	t.Run("a body naming another user", func(t *testing.T) {
		code, body, err := researcher2.PluginRequest(ctx, http.MethodPost, env.Bundle.ID, "/dialog/report", model.SubmitDialogRequest{
			CallbackId: d.Dialog.CallbackId,
			State:      d.Dialog.State,
			UserId:     researcher.Id,
			ChannelId:  townSquare.Id,
			TeamId:     env.Team.Id,
			Submission: valid,
		})
		require.NoError(t, err)
		assert.Equal(t, http.StatusForbidden, code, "body: %s", body)
	})
}

// forgeState rewrites the user id inside a signed state and keeps its signature,
// as an attacker who can read the state would. When the state's layout is not
// "payload.signature" in base64, it only breaks the signature.
func forgeState(t *testing.T, state, fromID, toID string) string {
	t.Helper()
	payload, sig, ok := strings.Cut(state, ".")
	if ok {
		if data, err := base64.RawURLEncoding.DecodeString(payload); err == nil && strings.Contains(string(data), fromID) {
			forged := strings.ReplaceAll(string(data), fromID, toID)
			return base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + sig
		}
	}
	t.Logf("the state has no readable payload naming the user; sending it with a broken signature instead")
	return breakSignature(state)
}

// breakSignature changes the state's last character.
func breakSignature(state string) string {
	if state == "" {
		return "x"
	}
	last := state[len(state)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return state[:len(state)-1] + string(repl)
}

func TestReportTextMentionsNobody(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager, outsider := env.User("researcher"), env.User("triager"), env.User("outsider")

	// The triager's first name is a mention keyword, and both are online (a
	// connected websocket), so @here would reach them.
	const firstName = "Trixiebelle"
	original, _, err := env.Admin.Client.GetUser(ctx, triager.Id, "")
	require.NoError(t, err)
	props := model.StringMap{}
	for k, v := range original.NotifyProps {
		props[k] = v
	}
	props[model.FirstNameNotifyProp] = "true"
	props[model.ChannelMentionsNotifyProp] = "true"
	name := firstName
	_, _, err = env.Admin.Client.PatchUser(ctx, triager.Id, &model.UserPatch{FirstName: &name, NotifyProps: props})
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _, _ = env.Admin.Client.PatchUser(ctxFor(t), triager.Id, &model.UserPatch{FirstName: &original.FirstName, NotifyProps: original.NotifyProps})
	})
	for _, u := range []*harness.User{triager, outsider, researcher} {
		require.NoError(t, u.SetStatus(ctx, model.StatusOnline))
	}

	// A control post proves the keyword and @here do notify the triager, so the
	// check below can fail: the admin writes them in a channel both share.
	ch := mentionControlChannel(t)
	before, err := triager.MentionCount(ctx, env.Team.Id)
	require.NoError(t, err)
	_, _, err = env.Admin.Client.CreatePost(ctx, &model.Post{ChannelId: ch.Id, Message: "Hello " + firstName + " and @here"})
	require.NoError(t, err)
	require.NoError(t, harness.Eventually(ctx, wait, 100*time.Millisecond, "the control mention to count", func(ctx context.Context) (bool, error) {
		n, err := triager.MentionCount(ctx, env.Team.Id)
		return n > before, err
	}))

	counts := func() map[string]int64 {
		out := map[string]int64{}
		for _, u := range []*harness.User{researcher, triager, outsider} {
			n, err := u.MentionCount(ctx, env.Team.Id)
			require.NoError(t, err)
			out[u.Username] = n
		}
		return out
	}
	start := counts()
	threadsBefore, _, err := triager.Client.GetUserThreads(ctx, triager.Id, env.Team.Id, model.GetUserThreadsOpts{TotalsOnly: true})
	require.NoError(t, err)

	mentions := "@channel @all @here @triager @outsider " + firstName
	tag := uniqueTag("Mentions")
	form := with(reportForm(tag), map[string]any{
		"title":             "XSS " + mentions + " " + tag,
		"affected_versions": "11.4 " + mentions,
		"description":       "Ping " + mentions + "\n" + mentions + " https://example.com/x.png ![img](https://example.com/i.png)",
		"steps":             mentions,
		"impact":            mentions,
		"display_name":      firstName + " @all",
		"affiliation":       "@here",
	})
	r := fileReport(t, researcher, form)
	_, err = harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)

	// The reporter's count rises by the receipt DM, and by nothing else.
	require.NoError(t, harness.Eventually(ctx, wait, 100*time.Millisecond, "the receipt DM to count as the reporter's mention", func(ctx context.Context) (bool, error) {
		n, err := researcher.MentionCount(ctx, env.Team.Id)
		return n >= start["researcher"]+1, err
	}))
	end := counts()
	assert.Equal(t, start["researcher"]+1, end["researcher"], "the reporter's mentions rise by the receipt only")
	assert.Equal(t, start["triager"], end["triager"], "the report mentioned the triager")
	assert.Equal(t, start["outsider"], end["outsider"], "the report mentioned the outsider")

	// And no thread of the triager counts a mention either.
	threadsAfter, _, err := triager.Client.GetUserThreads(ctx, triager.Id, env.Team.Id, model.GetUserThreadsOpts{TotalsOnly: true})
	require.NoError(t, err)
	assert.Equal(t, threadsBefore.TotalUnreadMentions, threadsAfter.TotalUnreadMentions, "thread mentions of the triager")
}

// mentionControlChannel is a public channel of the admin and the triager.
func mentionControlChannel(t *testing.T) *model.Channel {
	t.Helper()
	ctx := ctxFor(t)
	name := "mention-control"
	ch, _, err := env.Admin.Client.GetChannelByName(ctx, name, env.Team.Id, "")
	if err != nil {
		ch, _, err = env.Admin.Client.CreateChannel(ctx, &model.Channel{TeamId: env.Team.Id, Name: name, DisplayName: "Mention control", Type: model.ChannelTypeOpen})
		require.NoError(t, err)
	}
	_, _, err = env.Admin.Client.AddChannelMember(ctx, ch.Id, env.User("triager").Id)
	require.NoError(t, err)
	// Read it, so its earlier mentions do not linger on the triager's count.
	_, _, err = env.User("triager").Client.ViewChannel(ctx, env.User("triager").Id, &model.ChannelView{ChannelId: ch.Id})
	require.NoError(t, err)
	return ch
}

// A researcher who encrypts their report to the team key files it with a
// plain title and the armored message alone: the form requires nothing else,
// and the team gets the block whole, marked encrypted, to copy.
func TestAnEncryptedReportNeedsOnlyTheArmoredMessage(t *testing.T) {
	ctx := ctxFor(t)
	tag := uniqueTag("Sealed")
	armored := "-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/" + tag + "\n=AbCd\n-----END PGP MESSAGE-----"
	r := fileReport(t, env.User("researcher"), with(reportForm(tag), map[string]any{"description": armored, "steps": nil, "impact": nil}))

	c := card(t, r.card.Id)
	assert.Contains(t, c.Text, "Encrypted with the team key")
	thread, err := harness.WaitFullText(ctx, env.User("triager"), r.card.Id, wait)
	require.NoError(t, err)
	found := false
	for _, p := range thread {
		if strings.Contains(p.Message, "encrypted with the team key") {
			found = true
			assert.Contains(t, p.Message, "```\n"+armored+"\n```", "the block whole, to copy")
		}
	}
	assert.True(t, found, "the armored description in the card thread:\n%s", dumpPosts(thread))
}
