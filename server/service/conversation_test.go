package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

var postSeq int64

func reply(r *report.Report, userID, text string) event.Post {
	postSeq++
	return event.Post{ID: fmt.Sprintf("post%d", postSeq), UserID: userID, ChannelID: "dm-" + userID, RootID: r.ThreadRootID, Message: text, CreateAt: 1000 + postSeq}
}

func TestRelayRules(t *testing.T) {
	tests := []struct {
		name         string
		post         func(r, other *report.Report) event.Post
		relayedTo    string // "r", "other" or "" for nothing
		wantAnswer   bool
		wantTimeline bool
	}{
		{"reporter replies in the report's thread", func(r, _ *report.Report) event.Post { return reply(r, "alice", "It is 11.4.0") }, "r", false, true},
		{"reply with files", func(r, _ *report.Report) event.Post {
			p := reply(r, "alice", "")
			p.FileIDs = []string{"file1"}
			return p
		}, "r", false, true},
		{"edit of a reply", func(r, _ *report.Report) event.Post {
			p := reply(r, "alice", "fixed typo")
			p.Edited = true
			return p
		}, "r", false, false},
		{"triager replies in the card thread: internal", func(r, _ *report.Report) event.Post {
			p := reply(r, "triager", "internal note")
			p.RootID, p.ChannelID = r.CardPostID, "triage-channel"
			return p
		}, "", false, false},
		{"someone else in the reporter's thread", func(r, _ *report.Report) event.Post { return reply(r, "bob", "hi") }, "", false, false},
		{"reporter in another report's thread", func(_, other *report.Report) event.Post { return reply(other, "alice", "wrong thread") }, "", false, false},
		{"unknown thread outside a bot DM", func(r, _ *report.Report) event.Post {
			p := reply(r, "alice", "hi")
			p.RootID, p.ChannelID = "some-other-thread", "town-square"
			return p
		}, "", false, false},
		{"top-level message to the bot with one open report", func(r, _ *report.Report) event.Post {
			p := reply(r, "alice", "forgot to add")
			p.RootID = ""
			return p
		}, "r", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.file(t, "alice")
			other := h.file(t, "carol")
			h.conv.BotDMs["dm-alice"] = true
			before := len(r.Timeline)

			require.NoError(t, h.svc.Conversation.HandlePost(tt.post(r, other)))

			after, _ := h.store.Get(r.ID)
			switch tt.relayedTo {
			case "r":
				assert.Len(t, h.conv.Relayed[r.ID], 1)
			case "":
				assert.Empty(t, h.conv.Relayed[r.ID])
				assert.Empty(t, h.conv.Relayed[other.ID])
			}
			assert.Equal(t, tt.wantAnswer, h.conv.Answers["dm-alice"] != "")
			if tt.wantTimeline {
				assert.Len(t, after.Timeline, before+1)
				assert.Equal(t, report.ActionReply, after.Timeline[before].Action)
			} else {
				assert.Len(t, after.Timeline, before)
			}
		})
	}
}

func TestReplyReturnsNeedsInfoToTriaging(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	_, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	_, err = act(h, "triager", r.ID, report.ActionAsk, report.Input{Note: "Which version?"})
	require.NoError(t, err)

	require.NoError(t, h.svc.Conversation.HandlePost(reply(r, "alice", "11.4.0")))
	got, _ := h.store.Get(r.ID)
	assert.Equal(t, report.StatusTriaging, got.Status)
	assert.Equal(t, report.StatusTriaging, h.notify.Cards[got.CardPostID].Status, "the card shows it")
}

func TestMessageOutsideThreadWithSeveralOpenReportsGetsHelp(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	h.file(t, "alice")
	h.conv.BotDMs["dm-alice"] = true
	p := reply(r, "alice", "hello?")
	p.RootID = ""
	require.NoError(t, h.svc.Conversation.HandlePost(p))
	assert.Contains(t, h.conv.Answers["dm-alice"], "reply **in the report's thread**")
	assert.Contains(t, h.conv.Answers["dm-alice"], "SEC-1")
	assert.Contains(t, h.conv.Answers["dm-alice"], "SEC-2")
	assert.Empty(t, h.conv.Relayed)
}

func TestSameReplySeenTwiceIsRelayedOnce(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	p := reply(r, "alice", "once")
	require.NoError(t, h.svc.Conversation.HandlePost(p))
	require.NoError(t, h.svc.Conversation.HandlePost(p))
	assert.Len(t, h.conv.Relayed[r.ID], 1)
}

func TestCatchUpRelaysMissedRepliesOnce(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	live := reply(r, "alice", "seen live")
	require.NoError(t, h.svc.Conversation.HandlePost(live))

	// The plugin was disabled: two replies and a stranger's post reached the
	// thread without the hook.
	missed1, missed2 := reply(r, "alice", "missed one"), reply(r, "alice", "missed two")
	h.conv.Threads[r.ThreadRootID] = []event.Post{live, missed1, reply(r, "bob", "not the reporter"), missed2}

	n, err := h.svc.Conversation.CatchUp(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = h.svc.Conversation.CatchUp(context.Background(), 2)
	require.NoError(t, err)
	assert.Zero(t, n, "a second catch-up relays nothing")

	var texts []string
	for _, p := range h.conv.Relayed[r.ID] {
		texts = append(texts, p.Message)
	}
	assert.Equal(t, []string{"seen live", "missed one", "missed two"}, texts)
}

func TestReplyCommand(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	_, err := h.svc.Conversation.Reply("bob", r.ID, "hi", "cmd1", 1)
	assert.ErrorIs(t, err, service.ErrNotFound, "only the reporter may reply")
	_, err = h.svc.Conversation.Reply("alice", r.ID, "  ", "cmd2", 2)
	assert.Error(t, err)
	got, err := h.svc.Conversation.Reply("alice", r.ID, "more details", "cmd3", 3)
	require.NoError(t, err)
	assert.Equal(t, report.ActionReply, got.Timeline[len(got.Timeline)-1].Action)
	assert.Len(t, h.conv.Relayed[r.ID], 1)
}

// A reply pasted from a terminal, or carrying a direction override, reaches
// the team whole, its hidden characters shown as escapes on the timeline.
func TestRepliesWithHiddenCharactersAreRelayedVisibly(t *testing.T) {
	tests := []struct{ name, text, note string }{
		{"ESC sequences", "output: \x1b[31mFAIL\x1b[0m", `output: \x1b[31mFAIL\x1b[0m`},
		{"a right-to-left override", "file \u202etxt.exe", `file \u202etxt.exe`},
		{"invalid UTF-8", "bytes \xff\xfe", "bytes \uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.file(t, "alice")
			require.NoError(t, h.svc.Conversation.HandlePost(reply(r, "alice", tt.text)))
			assert.Len(t, h.conv.Relayed[r.ID], 1, "relayed to the card thread")
			got, err := h.store.Get(r.ID)
			require.NoError(t, err)
			last := got.Timeline[len(got.Timeline)-1]
			assert.Equal(t, report.ActionReply, last.Action)
			assert.Equal(t, tt.note, last.Note)
		})
	}
}

// TestRepliesOverTheHourlyLimitAreRefusedVisibly: a flood of replies is
// taken up to the limit; the rest are refused, the reporter told once in the
// thread (the sentence covers every reply until then), and neither relayed
// nor retried by a catch-up; the record stays bounded; an hour later the
// report takes replies again.
func TestRepliesOverTheHourlyLimitAreRefusedVisibly(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	long := strings.Repeat("pasted terminal output ", 400) // 9,200 characters
	var flood []event.Post
	for range report.RepliesPerHour + 10 {
		h.now = h.now.Add(time.Second)
		p := reply(r, "alice", long)
		flood = append(flood, p)
		require.NoError(t, h.svc.Conversation.HandlePost(p))
	}
	assert.Len(t, h.conv.Relayed[r.ID], report.RepliesPerHour)
	assert.Len(t, h.conv.Refused[r.ID], 1, "told once")
	assert.Contains(t, h.conv.Answers["dm-alice"], "not passed on")

	h.conv.Threads[r.ThreadRootID] = flood
	n, err := h.svc.Conversation.CatchUp(context.Background(), 2)
	require.NoError(t, err)
	assert.Zero(t, n, "a refused reply is handled, not missed")
	assert.Len(t, h.conv.Refused[r.ID], 1)

	_, err = h.svc.Conversation.Reply("alice", r.ID, "by command", "command:1", h.now.UnixMilli())
	var limit *report.ReplyLimitError
	require.ErrorAs(t, err, &limit, "the command says why")
	assert.Contains(t, service.Message(err), "not passed on")

	h.now = h.now.Add(time.Hour)
	require.NoError(t, h.svc.Conversation.HandlePost(reply(r, "alice", "an hour later")))
	assert.Len(t, h.conv.Relayed[r.ID], report.RepliesPerHour+1)

	got, err := h.store.Get(r.ID)
	require.NoError(t, err)
	data, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Less(t, len(data), 64<<10, "the record stays bounded")
	assert.Equal(t, report.RepliesPerHour+1, countReplies(got)+got.EarlierConversation)
	assert.Len(t, got.RelayedPosts, report.RepliesPerHour+1,
		"refused replies are known by their time: they push no relayed one out of the remembered window")
	assert.Equal(t, report.RepliesPerHour+1+1, got.Version-r.Version,
		"each reply passed on wrote the record once, the refusals once in all")
}

func countReplies(r *report.Report) int {
	n := 0
	for _, e := range r.Timeline {
		if e.Action == report.ActionReply {
			n++
		}
	}
	return n
}

// A reply that cannot be posted for the team (the card thread unreachable,
// the triage channel unsafe) is on the record, and the reporter is told at
// once to send it again: by the bot in their thread, or in the command's
// answer. It still counts as the reporter's answer, never as silence.
func TestAReplyThatCannotReachTheTeamIsToldToTheReporter(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	h.conv.FailRelay = true

	first, second := reply(r, "alice", "the PoC, again"), reply(r, "alice", "and the logs")
	for _, p := range []event.Post{first, second} {
		h.conv.Threads[r.ThreadRootID] = append(h.conv.Threads[r.ThreadRootID], p)
		require.NoError(t, h.svc.Conversation.HandlePost(p), "handled, not failed")
	}
	require.Len(t, h.conv.Refused[r.ID], 2, "the reporter is told of each")
	assert.Contains(t, h.conv.Refused[r.ID][0], "passed on as soon as it can be: there is no need to send it again")
	assert.Contains(t, h.conv.Refused[r.ID][0], r.Key())

	// A reply by command is only on the timeline, which keeps an excerpt:
	// that one the reporter sends again.
	_, err := h.svc.Conversation.Reply("alice", r.ID, "by command", "command:1", h.now.UnixMilli())
	var failed *service.RelayFailedError
	require.ErrorAs(t, err, &failed, "the command says so")
	assert.Contains(t, service.Message(err), "Please send it again")

	got, err := h.store.Get(r.ID)
	require.NoError(t, err)
	assert.Equal(t, 3, countReplies(got), "all are on the timeline: the reporter answered")
	assert.Empty(t, h.conv.Relayed[r.ID])

	// Still failing: the job keeps them.
	assert.Zero(t, h.svc.Conversation.RetryPendingRelays())
	pending, err := h.store.PendingRelayReports()
	require.NoError(t, err)
	assert.Equal(t, []int{r.ID}, pending)

	// Once it can, the job posts them for the team, in order, once.
	h.conv.FailRelay = false
	assert.Equal(t, 2, h.svc.Conversation.RetryPendingRelays())
	require.Len(t, h.conv.Relayed[r.ID], 2)
	assert.Equal(t, []string{first.ID, second.ID}, []string{h.conv.Relayed[r.ID][0].ID, h.conv.Relayed[r.ID][1].ID})
	assert.Zero(t, h.svc.Conversation.RetryPendingRelays())
	pending, err = h.store.PendingRelayReports()
	require.NoError(t, err)
	assert.Empty(t, pending)
}

// A reply that arrives while earlier ones wait goes after them; a kept reply
// the reporter deleted meanwhile is dropped.
func TestRepliesKeptForLaterStayInOrder(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")
	h.conv.FailRelay = true
	deleted, kept := reply(r, "alice", "deleted later"), reply(r, "alice", "kept")
	h.conv.Threads[r.ThreadRootID] = append(h.conv.Threads[r.ThreadRootID], kept) // deleted is gone from the thread
	require.NoError(t, h.svc.Conversation.HandlePost(deleted))
	require.NoError(t, h.svc.Conversation.HandlePost(kept))

	h.conv.FailRelay = false
	latest := reply(r, "alice", "a new one")
	require.NoError(t, h.svc.Conversation.HandlePost(latest))
	var order []string
	for _, p := range h.conv.Relayed[r.ID] {
		order = append(order, p.Message)
	}
	assert.Equal(t, []string{"kept", "a new one"}, order)
	pending, err := h.store.PendingRelays(r.ID)
	require.NoError(t, err)
	assert.Empty(t, pending)
}
