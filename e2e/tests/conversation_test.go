package tests

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Issue 7: the reporter's DM thread tells the whole story of their report, and
// their replies in it reach the team on the card.

// settle is how long a scenario keeps watching after the awaited post arrived,
// to catch a late duplicate.
const settle = 4 * time.Second

// cardThread returns the replies in a report's card thread as the triager sees them.
func cardThread(t *testing.T, r filed) []*model.Post {
	t.Helper()
	replies, err := harness.Thread(ctxFor(t), env.User("triager"), r.card.Id)
	require.NoError(t, err)
	return replies
}

// waitRelays waits until the card thread holds n copies of the reporter's
// replies starting with heading, and returns them.
func waitRelays(t *testing.T, r filed, heading string, n int, what string) []*model.Post {
	t.Helper()
	replies, err := harness.WaitThread(ctxFor(t), env.User("triager"), r.card.Id, wait, what, func(ps []*model.Post) bool {
		return len(harness.WithPrefix(ps, heading)) >= n
	})
	require.NoError(t, err, "card thread of %s:\n%s", r.key, dumpPosts(replies))
	relayed := harness.WithPrefix(replies, heading)
	require.Len(t, relayed, n, "%s: card thread of %s:\n%s", what, r.key, dumpPosts(replies))
	for _, p := range relayed {
		assert.Equal(t, env.Bot.Id, p.UserId, "the bot relays the reporter's words")
	}
	return relayed
}

// dumpPosts renders posts for a failure message.
func dumpPosts(posts []*model.Post) string {
	var b strings.Builder
	for _, p := range posts {
		fmt.Fprintf(&b, "- [%s by %s, rd_key %q] %q\n", time.UnixMilli(p.CreateAt).Format("15:04:05.000"), p.UserId, harness.FollowupTag(p), p.Message)
	}
	return b.String()
}

// waitConversation waits until the card's Conversation field contains want.
func waitConversation(t *testing.T, r filed, want string) *harness.Card {
	t.Helper()
	var c *harness.Card
	err := harness.Eventually(ctxFor(t), wait, 100*time.Millisecond, fmt.Sprintf("the card of %s to say %q", r.key, want), func(ctx context.Context) (bool, error) {
		var err error
		c, err = harness.GetCard(ctx, env.User("triager"), r.card.Id)
		return err == nil && strings.Contains(c.Fields["Conversation"], want), err
	})
	require.NoError(t, err, "card fields: %v", c)
	return c
}

// secretsNeverReached checks that none of the words reached the reporter: not in
// any post of their DM channel with the bot, not in anything the server pushed
// to their websocket since mark.
func secretsNeverReached(t *testing.T, reporter *harness.User, mark int, secrets ...string) {
	t.Helper()
	posts, err := env.BotDM(ctxFor(t), reporter, 1000)
	require.NoError(t, err)
	for _, p := range posts {
		for _, s := range secrets {
			assert.NotContains(t, p.Message, s, "the reporter's DM channel holds the team's internal words")
		}
	}
	for _, ev := range reporter.Events.Since(mark) {
		raw, err := ev.ToJSON()
		require.NoError(t, err)
		for _, s := range secrets {
			assert.NotContains(t, string(raw), s, "a %s event to the reporter carries the team's internal words", ev.EventType())
		}
	}
}

func TestReporterThreadTellsTheWholeStory(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager := env.User("researcher"), env.User("triager")
	tag := uniqueTag("Story")
	mark := researcher.Events.Mark()
	r := fileReport(t, researcher, reportForm(tag))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)
	admin := "@" + env.Admin.Username

	runSteps(t, r, researcher, []triageStep{
		{action: "take", status: "Triaging", assignee: "@triager", buttons: buttonsTriaging, dm: "The security team is looking at your report."},
		// Reassigning is internal: the reporter hears nothing (checked below).
		{action: "reassign", form: map[string]any{"assignee": env.Admin.Id}, status: "Triaging", assignee: admin, buttons: buttonsTriaging},
	})

	// The team talks in the card's thread; that stays in the team.
	internal := []string{"InternalNoteOne" + tag, "InternalNoteTwo" + tag}
	_, _, err = triager.Client.CreatePost(ctx, &model.Post{ChannelId: r.card.ChannelId, RootId: r.card.Id,
		Message: "Looks like a dup of the header bug, checking. " + internal[0]})
	require.NoError(t, err)

	question := "Which browser did you use? " + tag
	runSteps(t, r, researcher, []triageStep{
		{action: "ask", form: map[string]any{"note": question}, status: "Needs information", assignee: admin, buttons: buttonsNeedsInfo, dm: question},
	})
	waitConversation(t, r, "Waiting for the reporter")

	// The reporter answers in the thread; the team reads it on the card, and the
	// report is back in triage.
	answer := "Firefox 140 and Chrome 138. " + tag
	_, err = researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, answer)
	require.NoError(t, err)
	relayed := waitRelays(t, r, harness.RelayHeading(r.key), 1, "the reporter's answer on the card")
	assert.True(t, insideFence(relayed[0].Message, answer), "the answer sits in a code fence: %q", relayed[0].Message)
	c, err := harness.WaitCardStatus(ctx, triager, r.card.Id, "Triaging", wait)
	require.NoError(t, err)
	assert.Equal(t, buttonsTriaging, c.Actions)
	waitConversation(t, r, "Reporter replied")

	_, _, err = triager.Client.CreatePost(ctx, &model.Post{ChannelId: r.card.ChannelId, RootId: r.card.Id,
		Message: "Reproduced on Firefox. " + internal[1]})
	require.NoError(t, err)

	message := "Thanks, we are preparing the advisory. " + tag
	runSteps(t, r, researcher, []triageStep{
		{action: "confirm", form: map[string]any{"estimate": "high"}, status: "Confirmed", assignee: admin, buttons: buttonsConfirmed, dm: "Severity: **High"},
		{action: "fix", form: map[string]any{"fixed_in": "11.5.2, 11.4.4"}, status: "Fixed", assignee: admin, buttons: buttonsFixed, dm: "11.5.2"},
		{action: "disclose", status: "Disclosed", assignee: admin, buttons: buttonsDisclosed, dm: "publicly disclosed"},
		{action: "message", form: map[string]any{"note": message}, status: "Disclosed", assignee: admin, buttons: buttonsDisclosed, dm: message},
	})

	// The whole thread, in order: one update per step the reporter should know
	// about, their own answer where they wrote it, nothing else.
	time.Sleep(settle / 2)
	thread, err := harness.Thread(ctx, researcher, receipt.Id)
	require.NoError(t, err)
	want := []struct {
		from     string
		prefix   string
		contains string
	}{
		{env.Bot.Id, "**" + r.key + "** · Triaging", "looking at your report"},
		{env.Bot.Id, "**" + r.key + "** · Needs information", question},
		{researcher.Id, answer, ""},
		{env.Bot.Id, "**" + r.key + "** · Confirmed", "Severity"},
		{env.Bot.Id, "**" + r.key + "** · Fixed", "11.4.4"},
		{env.Bot.Id, "**" + r.key + "** · Disclosed", "publicly disclosed"},
		{env.Bot.Id, "**" + r.key + "** · Disclosed", message},
	}
	require.Len(t, thread, len(want), "the reporter's thread:\n%s", dumpPosts(thread))
	for i, w := range want {
		p := thread[i]
		assert.Equal(t, w.from, p.UserId, "post %d of the thread", i+1)
		assert.True(t, strings.HasPrefix(p.Message, w.prefix), "post %d starts with %q: %q", i+1, w.prefix, p.Message)
		assert.Contains(t, p.Message, w.contains, "post %d", i+1)
		// Who in the team works on it is not the reporter's business.
		if p.UserId == env.Bot.Id {
			assert.NotContains(t, p.Message, "@triager", "post %d names the triager", i+1)
			assert.NotContains(t, p.Message, admin, "post %d names the assignee", i+1)
		}
	}
	secretsNeverReached(t, researcher, mark, internal...)

	// The reporter's own view of the report agrees.
	status := reply(t, researcher, "/security status "+r.key)
	assert.Contains(t, status, r.key+" · Disclosed")
	for _, s := range internal {
		assert.NotContains(t, status, s)
	}
}

func TestReporterReplyWithAFileReachesTheCard(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager := env.User("researcher"), env.User("triager")
	tag := uniqueTag("File")
	r := fileReport(t, researcher, reportForm(tag))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "ask", map[string]any{"note": "Can you send a proof of concept? " + tag}, "Needs information")

	// The researcher attaches a file to their answer, as the web client does:
	// upload into the DM channel, then post with the file's id.
	name := "poc-" + strings.ToLower(tag) + ".html"
	content := []byte("<script>alert('" + tag + "')</script>\n")
	info, err := researcher.UploadToBotDM(ctx, env.Bot.Id, name, content)
	require.NoError(t, err)
	// Words that would notify people or fetch previews anywhere but in a fence.
	text := "PoC attached @channel @triager https://example.com/x.png\nSecond line " + tag
	answer, err := researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, text, info.Id)
	require.NoError(t, err)
	require.Equal(t, []string{info.Id}, []string(answer.FileIds))

	relayed := waitRelays(t, r, harness.RelayHeading(r.key), 1, "the answer with its file on the card")[0]
	assert.Equal(t, r.card.ChannelId, relayed.ChannelId)
	assert.True(t, insideFence(relayed.Message, "Second line "+tag), "the text sits in a code fence: %q", relayed.Message)
	assert.True(t, insideFence(relayed.Message, "@channel"), "the mentions sit in a code fence: %q", relayed.Message)

	// The file is a copy owned by the bot, with the same name and content.
	require.Len(t, relayed.FileIds, 1, "the relayed answer carries the file")
	copyID := relayed.FileIds[0]
	assert.NotEqual(t, info.Id, copyID, "the card thread gets a copy, not the reporter's file")
	copied, _, err := triager.Client.GetFileInfo(ctx, copyID)
	require.NoError(t, err)
	assert.Equal(t, name, copied.Name)
	assert.Equal(t, env.Bot.Id, copied.CreatorId, "the bot owns the copy")
	assert.Equal(t, relayed.Id, copied.PostId, "the copy belongs to the relayed post")
	data, _, err := triager.Client.GetFile(ctx, copyID)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(content, data), "the copy has the same content")
	_, resp, err := researcher.Client.GetFileInfo(ctx, copyID)
	require.Error(t, err, "the reporter can read the copy in the private triage channel")
	assert.Equal(t, http.StatusForbidden, harness.StatusCode(resp, err))
	// The reporter's own file is untouched and still theirs.
	original, _, err := researcher.Client.GetFileInfo(ctx, info.Id)
	require.NoError(t, err)
	assert.Equal(t, answer.Id, original.PostId)

	// The report is back in triage, and the card says the reporter answered.
	c, err := harness.WaitCardStatus(ctx, triager, r.card.Id, "Triaging", wait)
	require.NoError(t, err)
	assert.Equal(t, buttonsTriaging, c.Actions)
	waitConversation(t, r, "Reporter replied")
	show := reply(t, triager, "/security show "+r.key)
	assert.Contains(t, show, "reply by the reporter", "the timeline records the answer:\n%s", show)

	// An edit is relayed as an edit; the first copy stays as it was, and the
	// state does not change again.
	edited := "PoC attached, now minimised\nEdited line " + tag
	_, err = researcher.EditPost(ctx, answer.Id, edited)
	require.NoError(t, err)
	edit := waitRelays(t, r, harness.RelayEditHeading(r.key), 1, "the edit on the card")[0]
	assert.Contains(t, edit.Message, "edited:")
	assert.True(t, insideFence(edit.Message, "Edited line "+tag), "the edit sits in a code fence: %q", edit.Message)
	time.Sleep(settle)
	thread := cardThread(t, r)
	assert.Len(t, harness.WithPrefix(thread, harness.RelayHeading(r.key)), 1, "the answer was relayed again:\n%s", dumpPosts(thread))
	assert.Len(t, harness.WithPrefix(thread, harness.RelayEditHeading(r.key)), 1, "the edit was relayed more than once:\n%s", dumpPosts(thread))
	assert.Equal(t, "Triaging", card(t, r.card.Id).Status)
}

func TestRepliesWhileThePluginIsDisabledAreRelayedOnce(t *testing.T) {
	ctx := ctxFor(t)
	adminClient, id := env.Admin.Client, env.Bundle.ID
	researcher, triager := env.User("researcher"), env.User("triager")
	tag := uniqueTag("Outage")
	r := fileReport(t, researcher, reportForm(tag))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "ask", map[string]any{"note": "Does it need a logged-in user? " + tag}, "Needs information")

	t.Cleanup(func() {
		_ = env.MM.EnablePlugin(context.Background(), id)
		_ = env.MM.WaitPluginState(context.Background(), adminClient, id, model.PluginStateRunning, time.Minute)
	})
	outage := func(t *testing.T, during func()) {
		t.Helper()
		require.NoError(t, env.MM.DisablePlugin(ctx, id))
		require.NoError(t, env.MM.WaitPluginState(ctx, adminClient, id, model.PluginStateNotRunning, time.Minute))
		during()
		require.NoError(t, env.MM.EnablePlugin(ctx, id))
		require.NoError(t, env.MM.WaitPluginState(ctx, adminClient, id, model.PluginStateRunning, time.Minute))
	}
	count := func(text string) int {
		n := 0
		for _, p := range harness.WithPrefix(cardThread(t, r), harness.RelayHeading(r.key)) {
			if strings.Contains(p.Message, text) {
				n++
			}
		}
		return n
	}

	// First outage: the reporter answers while nobody listens.
	first := "Yes, any logged-in user. " + tag
	outage(t, func() {
		_, err := researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, first)
		require.NoError(t, err)
	})
	waitRelays(t, r, harness.RelayHeading(r.key), 1, "the answer given during the outage, after enabling")
	_, err = harness.WaitCardStatus(ctx, triager, r.card.Id, "Triaging", wait)
	require.NoError(t, err, "the missed answer moves the report back to triage")
	time.Sleep(settle)
	assert.Equal(t, 1, count(first), "the missed answer reached the card once:\n%s", dumpPosts(cardThread(t, r)))

	// Second outage with another answer: once the catch-up relayed it, it has
	// judged the first one again too; neither is doubled.
	second := "Also any guest account. " + tag
	outage(t, func() {
		_, err := researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, second)
		require.NoError(t, err)
	})
	relayed := waitRelays(t, r, harness.RelayHeading(r.key), 2, "the second missed answer, after enabling again")
	time.Sleep(settle)
	thread := cardThread(t, r)
	assert.Equal(t, 1, count(first), "the first answer after a second restart:\n%s", dumpPosts(thread))
	assert.Equal(t, 1, count(second), "the second answer:\n%s", dumpPosts(thread))
	assert.True(t, insideFence(relayed[0].Message, first) && insideFence(relayed[1].Message, second), "the answers arrive in the order written:\n%s", dumpPosts(relayed))

	// A third restart with nothing new relays nothing.
	outage(t, func() {})
	time.Sleep(settle)
	thread = cardThread(t, r)
	assert.Len(t, harness.WithPrefix(thread, harness.RelayHeading(r.key)), 2, "a restart relayed an answer again:\n%s", dumpPosts(thread))
}

// newResearcher creates a user of the team with no reports, with a websocket.
func newResearcher(t *testing.T) *harness.User {
	t.Helper()
	ctx := ctxFor(t)
	name := strings.ToLower(uniqueTag("fresh"))
	_, _, err := env.Admin.Client.CreateUser(ctx, &model.User{Username: name, Email: name + "@example.com", Password: harness.Password(name)})
	require.NoError(t, err)
	u, err := harness.LoginUser(ctx, env.MM.URL, name, harness.Password(name))
	require.NoError(t, err)
	_, _, err = env.Admin.Client.AddTeamMember(ctx, env.Team.Id, u.Id)
	require.NoError(t, err)
	require.NoError(t, u.ConnectEvents(ctx))
	t.Cleanup(u.Close)
	return u
}

// botAnswer waits for the bot's answer to a message the user sent it.
func botAnswer(t *testing.T, u *harness.User, to *model.Post) *model.Post {
	t.Helper()
	replies, err := harness.WaitThread(ctxFor(t), u, to.Id, wait, "the bot's answer to "+to.Id, func(ps []*model.Post) bool {
		return len(ps) > 0
	})
	require.NoError(t, err)
	require.Len(t, replies, 1, "one answer:\n%s", dumpPosts(replies))
	assert.Equal(t, env.Bot.Id, replies[0].UserId)
	return replies[0]
}

func TestReporterAndTeamTalkFromAnywhere(t *testing.T) {
	ctx := ctxFor(t)
	researcher, triager := env.User("researcher"), env.User("triager")
	tag := uniqueTag("Commands")
	r := fileReport(t, researcher, reportForm(tag))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "ask", map[string]any{"note": "Which version? " + tag}, "Needs information")

	t.Run("reply from town-square", func(t *testing.T) {
		// Someone else's reply to the report is refused like an unknown id.
		intruder := "Not mine " + tag
		unknown := reply(t, env.User("researcher2"), "/security reply SEC-99999 "+intruder)
		assert.Equal(t, unknown, reply(t, env.User("researcher2"), "/security reply "+r.key+" "+intruder))

		text := "Version 11.4.1 " + tag
		answer := reply(t, researcher, "/security reply "+r.key+" "+text)
		assert.Contains(t, answer, "Your reply was added to **"+r.key+"**")
		relayed := waitRelays(t, r, harness.RelayHeading(r.key), 1, "the /security reply on the card")[0]
		assert.True(t, insideFence(relayed.Message, text), "%q", relayed.Message)
		_, err := harness.WaitCardStatus(ctx, triager, r.card.Id, "Triaging", wait)
		require.NoError(t, err)
		for _, p := range cardThread(t, r) {
			assert.NotContains(t, p.Message, intruder, "the intruder's reply reached the card")
		}
	})

	t.Run("tell from town-square", func(t *testing.T) {
		_, before := receiptThread(ctx, t, researcher, r.key)
		// Only the team can tell; for anyone else the command does not exist.
		refused := "Outsider says hi " + tag
		assert.NotContains(t, reply(t, env.User("outsider"), "/security tell "+r.key+" "+refused), "Sent to the reporter")
		assert.NotContains(t, reply(t, researcher, "/security tell "+r.key+" "+refused), "Sent to the reporter")

		text := "We reproduced it on 11.4.1, thanks. " + tag
		assert.Contains(t, reply(t, triager, "/security tell "+r.key+" "+text), "Sent to the reporter of **"+r.key+"**")
		updates := waitReplies(t, researcher, receipt.Id, len(before)+1, "the told message in the reporter's thread")
		last := updates[len(updates)-1]
		assert.Equal(t, env.Bot.Id, last.UserId)
		assert.True(t, strings.HasPrefix(last.Message, "**"+r.key+"** · Triaging"), "%q", last.Message)
		assert.Contains(t, last.Message, text)
		for _, p := range updates {
			assert.NotContains(t, p.Message, refused)
		}
		// The team's thread records that it was sent.
		notes, err := harness.WaitThread(ctx, triager, r.card.Id, wait, "the note of the told message", func(ps []*model.Post) bool {
			for _, p := range ps {
				if strings.Contains(p.Message, "messaged the reporter") && strings.Contains(p.Message, text) {
					return true
				}
			}
			return false
		})
		require.NoError(t, err, "%s", dumpPosts(notes))
	})

	t.Run("a message to the bot outside any thread", func(t *testing.T) {
		fresh := newResearcher(t)
		one := fileReport(t, fresh, reportForm(uniqueTag("Single")))

		// With exactly one open report, the message goes to it and the bot says so.
		text := "One more detail, sent outside the thread. " + tag
		msg, err := fresh.PostToBot(ctx, env.Bot.Id, "", text)
		require.NoError(t, err)
		relayed := waitRelays(t, one, harness.RelayHeading(one.key), 1, "the top-level message on the only open report")[0]
		assert.True(t, insideFence(relayed.Message, text), "%q", relayed.Message)
		answer := botAnswer(t, fresh, msg)
		assert.Contains(t, answer.Message, "**"+one.key+"**")
		assert.Contains(t, answer.Message, "reply in the report's thread")

		// With two, it explains how to reply and relays nothing.
		two := fileReport(t, fresh, reportForm(uniqueTag("Second")))
		ambiguous := "Which report is this for? " + tag
		msg, err = fresh.PostToBot(ctx, env.Bot.Id, "", ambiguous)
		require.NoError(t, err)
		answer = botAnswer(t, fresh, msg)
		assert.Contains(t, answer.Message, "in the report's thread")
		assert.Contains(t, answer.Message, "/security reply SEC-n")
		assert.Contains(t, answer.Message, one.key)
		assert.Contains(t, answer.Message, two.key)
		time.Sleep(settle)
		for _, rep := range []filed{one, two} {
			for _, p := range cardThread(t, rep) {
				assert.NotContains(t, p.Message, ambiguous, "the ambiguous message was relayed to %s", rep.key)
			}
		}
	})

	// The researcher can read none of the card thread's copies.
	for _, p := range harness.WithPrefix(cardThread(t, r), harness.RelayHeading(r.key)) {
		_, resp, err := researcher.Client.GetPost(ctx, p.Id, "")
		require.Error(t, err)
		assert.Equal(t, http.StatusForbidden, harness.StatusCode(resp, err))
	}
}

// Terminal output pasted into a reply carries ESC sequences: the reply reaches
// the card thread whole, the escapes shown as text.
func TestAReplyWithAnEscapeCharacterReachesTheTeam(t *testing.T) {
	ctx := ctxFor(t)
	researcher := env.User("researcher")
	r := fileReport(t, researcher, reportForm(uniqueTag("Escape")))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)
	_, err = researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, "$ ./exploit\n\x1b[31mroot shell\x1b[0m")
	require.NoError(t, err)
	relayed := waitRelays(t, r, harness.RelayHeading(r.key), 1, "the reply with ESC")
	assert.Contains(t, relayed[0].Message, `\x1b[31mroot shell\x1b[0m`, "the escapes are shown")
	assert.NotContains(t, relayed[0].Message, "\x1b", "no raw ESC reaches the team's clients")
}

// A long conversation does not grow a record without bound: 300 replies of
// 9,000 characters leave the record of a report with short text under 64 KB,
// replies over the hourly limit are not passed on, and the reporter is told so
// in their thread, once, with the time they can send again.
func TestManyLongRepliesKeepTheRecordBoundedAndTheReporterIsToldTheLimit(t *testing.T) {
	ctx := ctxFor(t)
	researcher := newResearcher(t)
	r := fileReport(t, researcher, reportForm(uniqueTag("Bounded")))
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)

	const replies, limit = 300, 30
	for i := range replies {
		text := fmt.Sprintf("Reply %d: ", i) + strings.Repeat("long log line ", 9000/14)
		_, err := researcher.PostToBot(ctx, env.Bot.Id, receipt.Id, text)
		require.NoError(t, err, "reply %d", i)
	}

	// A reply this long is relayed in two parts; each part names the reply.
	firsts := func(ps []*model.Post) []int {
		var got []int
		for _, p := range harness.WithPrefix(ps, harness.RelayHeading(r.key)) {
			var i int
			if _, rest, ok := strings.Cut(p.Message, "```\nReply "); ok {
				if _, err := fmt.Sscanf(rest, "%d:", &i); err == nil {
					got = append(got, i)
				}
			}
		}
		return got
	}
	_, err = harness.WaitThread(ctx, env.User("triager"), r.card.Id, wait, "the replies within the hourly limit", func(ps []*model.Post) bool {
		return len(firsts(ps)) >= limit
	})
	require.NoError(t, err)
	const refusal = "This reply was not passed on to the security team: a report takes at most 30 replies an hour."
	_, err = harness.WaitThread(ctx, researcher, receipt.Id, wait, "the reporter told about the limit", func(ps []*model.Post) bool {
		return len(harness.WithPrefix(ps, refusal)) > 0
	})
	require.NoError(t, err)
	time.Sleep(settle)
	thread, err := harness.Thread(ctx, researcher, receipt.Id)
	require.NoError(t, err)
	told := harness.WithPrefix(thread, refusal)
	require.Len(t, told, 1, "the reporter is told once per limit, not once per reply:\n%s", dumpPosts(told))
	assert.Equal(t, env.Bot.Id, told[0].UserId)
	assert.Contains(t, told[0].Message, "Send it again from ", "the reporter learns when they can send again")
	want := make([]int, limit)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, firsts(cardThread(t, r)), "the first 30 replies are passed on, in order, and none over the limit")

	n := strings.TrimPrefix(r.key, "SEC-")
	size, err := env.PG.Query(ctx, fmt.Sprintf("SELECT octet_length(pvalue) FROM pluginkeyvaluestore WHERE pluginid = '%s' AND pkey = 'v1/r/%s'", env.Bundle.ID, n))
	require.NoError(t, err)
	stored, err := strconv.Atoi(strings.TrimSpace(size))
	require.NoError(t, err, "the record's size: %q", size)
	t.Logf("record of %s after %d replies of 9,000 characters: %d bytes", r.key, replies, stored)
	assert.Less(t, stored, 64<<10, "the record of a report with short text stays under 64 KB")
}
