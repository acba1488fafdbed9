package service_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// minuteClocks are the e2e scenario's targets: about a minute each, a
// two-minute progress interval.
func minuteClocks() config.Clocks {
	m := mustTarget
	return config.Clocks{
		FirstResponse: m("60s"), Triage: m("90s"),
		Resolution: map[string]sla.Target{"critical": m("120s"), "high": m("120s"), "medium": m("120s"), "low": m("120s")},
		Progress:   m("120s"), QuestionReminder: m("60s"), AutoClose: m("300s"),
		Zone: time.UTC, Responders: []string{"oncall"},
	}
}

// runEvery runs the job every step from the harness clock until end.
func runEvery(h *harness, step time.Duration, end time.Time) {
	for ; !h.now.After(end); h.now = h.now.Add(step) {
		h.svc.Clocks.RunJob()
	}
}

func TestJobRemindsOnceAtTheRightMoment(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	r := h.file(t, "alice")

	// 10 s steps over 3 minutes, as the e2e scenario runs it.
	runEvery(h, 10*time.Second, t0.Add(3*time.Minute))

	tags := h.follow.Tags()
	for _, want := range []string{"first_response:due_soon", "first_response:breached", "triage:due_soon", "triage:breached", "resolution:due_soon", "resolution:breached"} {
		n := 0
		for _, tag := range tags {
			if tag == want {
				n++
			}
		}
		assert.Equal(t, 1, n, "%s sent exactly once", want)
	}
	progress := 0
	for _, s := range h.follow.Sent {
		if s.Where == "reporter" && strings.HasPrefix(s.Tag, "progress:") {
			progress++
			assert.Contains(t, s.Message, r.Key())
			assert.Contains(t, s.Message, "Submitted")
		}
	}
	assert.Equal(t, 1, progress, "one progress DM in the first 3 minutes")

	// Timing: the first due-soon reminder goes out at 80% of 60 s, not before.
	h2 := newHarness(t)
	h2.clocks = minuteClocks()
	h2.file(t, "alice")
	h2.now = t0.Add(47 * time.Second)
	h2.svc.Clocks.RunJob()
	assert.NotContains(t, h2.follow.Tags(), "first_response:due_soon")
	h2.now = t0.Add(48 * time.Second)
	h2.svc.Clocks.RunJob()
	assert.Contains(t, h2.follow.Tags(), "first_response:due_soon")
	assert.NotContains(t, h2.follow.Tags(), "first_response:breached")
	assert.Contains(t, h2.follow.Sent[0].Message, "@oncall", "unassigned: the responders are pinged")
}

func TestJobStopsRemindingWhenTheTeamResponds(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	r := h.file(t, "alice")
	h.now = t0.Add(10 * time.Second)
	_, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	runEvery(h, 10*time.Second, t0.Add(70*time.Second))
	assert.NotContains(t, h.follow.Tags(), "first_response:due_soon")
	for _, s := range h.follow.Sent {
		if s.Tag == "triage:due_soon" {
			assert.Contains(t, s.Message, "@triager", "the assignee is pinged")
		}
	}
}

func TestTwoServersSendEachReminderOnce(t *testing.T) {
	c := newCluster()
	follow := c.bot.Followups
	settings := servicetest.Options{TriageChannelID: servicetest.Fixed("c"), Clocks: servicetest.Fixed(minuteClocks())}
	a, b := c.server(settings), c.server(settings)
	_, _, err := a.Intake.File("alice", validFiling("x"))
	require.NoError(t, err)

	for ; c.clock.Before(t0.Add(3 * time.Minute)); c.clock = c.clock.Add(10 * time.Second) {
		var wg sync.WaitGroup
		for _, srv := range []*servicetest.Env{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				srv.Clocks.RunJob()
			}()
		}
		wg.Wait()
	}
	counts := map[string]int{}
	for _, tag := range follow.Tags() {
		counts[tag]++
	}
	for tag, n := range counts {
		assert.Equal(t, 1, n, "%s", tag)
	}
	assert.Contains(t, counts, "triage:breached")
}

func TestStaleClaimIsRetriedOnceAndNotDoubled(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	h.file(t, "alice")

	// The server dies while posting: the claim stays unconfirmed.
	h.now = t0.Add(48 * time.Second)
	h.follow.FailNext = true
	h.svc.Clocks.RunJob()
	assert.NotContains(t, h.follow.Tags(), "first_response:due_soon")

	// Within the stale bound nobody retries: the claim may still be live.
	h.now = t0.Add(48*time.Second + service.StaleClaim - time.Second)
	h.svc.Clocks.RunJob()
	assert.NotContains(t, h.follow.Tags(), "first_response:due_soon")

	// After it, the reminder comes late, once.
	h.now = t0.Add(48*time.Second + service.StaleClaim)
	h.svc.Clocks.RunJob()
	h.svc.Clocks.RunJob()
	n := 0
	for _, tag := range h.follow.Tags() {
		if tag == "first_response:due_soon" {
			n++
		}
	}
	assert.Equal(t, 1, n)
}

func TestStaleClaimWhosePostWentOutIsOnlyConfirmed(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	r := h.file(t, "alice")
	// A server posted the reminder and died before confirming it.
	_, err := h.store.UpdateFollowup(r.ID, func(rec *sla.Record) bool { rec.Claim("first_response:due_soon", t0.Add(48*time.Second)); return true })
	require.NoError(t, err)
	_, err = h.follow.PostInCardThread(r, "already sent", "first_response:due_soon")
	require.NoError(t, err)

	h.now = t0.Add(48*time.Second + service.StaleClaim)
	h.svc.Clocks.RunJob()
	n := 0
	for _, tag := range h.follow.Tags() {
		if tag == "first_response:due_soon" {
			n++
		}
	}
	assert.Equal(t, 1, n, "the retry found the post and did not send it again")
	rec, _ := h.store.Followup(r.ID)
	assert.True(t, rec.Claims["first_response:due_soon"].Done)
}

func TestUnansweredQuestionIsRemindedThenAutoClosed(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	r := h.file(t, "alice")
	_, err := act(h, "triager", r.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	_, err = act(h, "triager", r.ID, report.ActionAsk, report.Input{Note: "Which version?"})
	require.NoError(t, err)

	runEvery(h, 10*time.Second, t0.Add(4*time.Minute))
	got, _ := h.store.Get(r.ID)
	assert.Equal(t, report.StatusNeedsInfo, got.Status, "not closed before the auto-close interval")
	reminders := 0
	for _, s := range h.follow.Sent {
		if strings.HasPrefix(s.Tag, "question:") {
			reminders++
		}
	}
	assert.Equal(t, 1, reminders)

	runEvery(h, 10*time.Second, t0.Add(6*time.Minute))
	got, _ = h.store.Get(r.ID)
	assert.Equal(t, report.StatusInformative, got.Status)
	last := got.Timeline[len(got.Timeline)-1]
	assert.Equal(t, report.ActorSystem, last.ActorKind)
	assert.Contains(t, h.notify.DMs[r.ID][len(h.notify.DMs[r.ID])-1], "reopens", "the reporter is told why and how to reopen")

	// Replying reopens it.
	require.NoError(t, h.svc.Conversation.HandlePost(reply(got, "alice", "Here it is")))
	got, _ = h.store.Get(r.ID)
	assert.Equal(t, report.StatusTriaging, got.Status)
}

func TestWeeklyDigest(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	h.file(t, "alice")
	r2 := h.file(t, "bob")
	_, err := act(h, "triager", r2.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)

	h.svc.Clocks.RunJob()
	assert.Empty(t, h.follow.Channel, "the first run starts the week")
	h.now = t0.Add(service.DigestEvery)
	h.svc.Clocks.RunJob()
	h.svc.Clocks.RunJob()
	require.Len(t, h.follow.Channel, 1)
	digest := h.follow.Channel[0]
	assert.Contains(t, digest, "**2 open reports**")
	assert.Contains(t, digest, "Submitted: 1, Triaging: 1")
	assert.Contains(t, digest, "Not taken yet: SEC-1")
	assert.Contains(t, digest, "SEC-1 (first response)")
	assert.Contains(t, digest, "Oldest open: **SEC-1**")
}

func TestNudge(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	r := h.file(t, "alice")

	_, err := h.svc.Clocks.Nudge("alice", r.ID)
	assert.ErrorIs(t, err, service.ErrNoBreach, "nothing to nudge before a breach")

	h.now = t0.Add(2 * time.Minute)
	_, err = h.svc.Clocks.Nudge("bob", r.ID)
	assert.ErrorIs(t, err, service.ErrNotFound, "only the owner")
	_, err = h.svc.Clocks.Nudge("alice", r.ID)
	require.NoError(t, err)
	last := h.follow.Sent[len(h.follow.Sent)-1]
	assert.Equal(t, "card", last.Where)
	assert.Contains(t, last.Message, "asks for an update")

	h.now = t0.Add(2*time.Minute + service.NudgeEvery - time.Second)
	_, err = h.svc.Clocks.Nudge("alice", r.ID)
	var tooSoon *service.NudgeTooSoonError
	assert.ErrorAs(t, err, &tooSoon, "once per 7 days")
	h.now = t0.Add(2*time.Minute + service.NudgeEvery)
	_, err = h.svc.Clocks.Nudge("alice", r.ID)
	assert.NoError(t, err)
}

func TestStatsOverTheWindow(t *testing.T) {
	h := newHarness(t)
	h.clocks = minuteClocks()
	// An old report outside the window.
	h.now = t0.Add(-service.StatsWindow - time.Hour)
	h.file(t, "old")
	h.now = t0

	fast := h.file(t, "alice")
	slow := h.file(t, "bob")
	h.now = t0.Add(30 * time.Second)
	_, err := act(h, "triager", fast.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	h.now = t0.Add(60 * time.Second)
	_, err = act(h, "triager", fast.ID, report.ActionConfirm, report.Input{})
	require.NoError(t, err)
	h.now = t0.Add(10 * time.Minute)
	_, err = act(h, "triager", slow.ID, report.ActionTake, report.Input{})
	require.NoError(t, err)
	_, err = act(h, "triager", slow.ID, report.ActionClose, report.Input{Resolution: report.StatusInformative})
	require.NoError(t, err)
	h.now = t0.Add(20 * time.Minute)

	_, err = h.svc.Clocks.Stats("alice")
	assert.ErrorIs(t, err, service.ErrNotTriager)
	st, err := h.svc.Clocks.Stats("triager")
	require.NoError(t, err)
	assert.Equal(t, 2, st.Reports, "the old report is outside the window")
	assert.Equal(t, 2, st.FirstResponse.Count)
	assert.Equal(t, 30*time.Second, st.FirstResponse.Median)
	assert.Equal(t, 10*time.Minute, st.FirstResponse.P90)
	assert.Equal(t, 60*time.Second, st.Triage.Median)
	assert.Equal(t, sla.Compliance{Met: 1, Total: 2}, st.Compliance, "the fast report met both targets, the slow one did not")
}

// mustTarget parses a target literal of a test, so that a typo fails the test
// at once instead of reading as a zero target.
func mustTarget(s string) sla.Target {
	t, err := sla.ParseTarget(s)
	if err != nil {
		panic(err)
	}
	return t
}
