package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Issue 6: the security team works each report from its card, through the
// server's button and dialog routes, and nobody else can.

// triageStep is one press on a card and what everyone sees afterwards.
type triageStep struct {
	action string
	// form is the dialog submission; nil for buttons that apply at once.
	form   map[string]any
	status string
	// assignee is in the card's Assignee field afterwards.
	assignee string
	buttons  []string
	// fields must hold (contain) these values afterwards; "" means absent.
	fields map[string]string
	// dm is in the reporter's update, "" when the step tells the reporter nothing.
	dm string
}

// runSteps plays steps on r as the triager and asserts the card, the card's
// thread and the reporter's DM thread after each.
func runSteps(t *testing.T, r filed, reporter *harness.User, steps []triageStep) {
	t.Helper()
	ctx := ctxFor(t)
	triager := env.User("triager")
	_, updates := receiptThread(ctx, t, reporter, r.key)
	notes, err := harness.Thread(ctx, triager, r.card.Id)
	require.NoError(t, err)
	for i, s := range steps {
		what := fmt.Sprintf("step %d (%s → %s)", i+1, s.action, s.status)
		var c *harness.Card
		if s.form == nil {
			c = press(t, triager, r, s.action, s.status)
		} else {
			c = pressWithDialog(t, triager, r, s.action, s.form, s.status)
		}
		assert.Equal(t, r.key+" · "+s.status, c.Title, what)
		assert.Equal(t, s.status, c.Fields["Status"], what)
		assert.Contains(t, c.Fields["Assignee"], s.assignee, what)
		assert.Equal(t, s.buttons, c.Actions, "%s: buttons", what)
		for field, want := range s.fields {
			if want == "" {
				assert.NotContains(t, c.Fields, field, what)
				continue
			}
			assert.Contains(t, c.Fields[field], want, "%s: field %s", what, field)
		}

		// The card's thread records the change.
		notes = waitReplies(t, triager, r.card.Id, len(notes)+1, what+": a note in the card's thread")
		assert.Contains(t, notes[len(notes)-1].Message, "*Status: "+s.status+"*", what)

		// The reporter hears about it in the report's DM thread (or not at all).
		if s.dm == "" {
			continue
		}
		receipt, _ := receiptThread(ctx, t, reporter, r.key)
		updates = waitReplies(t, reporter, receipt.Id, len(updates)+1, what+": the reporter's update")
		last := updates[len(updates)-1]
		assert.Equal(t, env.Bot.Id, last.UserId, what)
		assert.True(t, strings.HasPrefix(last.Message, "**"+r.key+"** · "+s.status), "%s: the update names the id and status: %q", what, last.Message)
		assert.Contains(t, last.Message, s.dm, what)
	}
}

// waitReplies waits until a thread has n replies and returns them.
func waitReplies(t *testing.T, u *harness.User, rootID string, n int, what string) []*model.Post {
	t.Helper()
	var replies []*model.Post
	err := harness.Eventually(ctxFor(t), wait, 100*time.Millisecond, what, func(ctx context.Context) (bool, error) {
		var err error
		replies, err = harness.Thread(ctx, u, rootID)
		return len(replies) >= n, err
	})
	require.NoError(t, err)
	assert.Len(t, replies, n, "%s: exactly one new reply", what)
	return replies
}

func TestTriageDrivesAReportThroughEveryState(t *testing.T) {
	researcher := env.User("researcher")
	tag := uniqueTag("Lifecycle")
	r := fileReport(t, researcher, reportForm(tag))
	assert.Equal(t, buttonsSubmitted, card(t, r.card.Id).Actions)

	question := "Which version did you test? " + tag
	runSteps(t, r, researcher, []triageStep{
		{action: "take", status: "Triaging", assignee: "@triager", buttons: buttonsTriaging,
			dm: "The security team is looking at your report."},
		{action: "ask", form: map[string]any{"note": question}, status: "Needs information", assignee: "@triager", buttons: buttonsNeedsInfo,
			dm: question},
		{action: "take", status: "Triaging", assignee: "@triager", buttons: buttonsTriaging,
			dm: "looking at your report"},
		{action: "confirm", form: map[string]any{"cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, status: "Confirmed",
			assignee: "@triager", buttons: buttonsConfirmed, fields: map[string]string{"Severity": "9.8 Critical"},
			dm: "Severity: **9.8 Critical**"},
		{action: "fix", form: map[string]any{"fixed_in": "11.5.1 (2026-02-10), 11.4.3", "advisory_id": "MMSA-2026-00123", "cve_id": "CVE-2026-12345"},
			status: "Fixed", assignee: "@triager", buttons: buttonsFixed, fields: map[string]string{"Fixed in": "11.5.1"},
			dm: "11.4.3"},
		{action: "disclose", status: "Disclosed", assignee: "@triager", buttons: buttonsDisclosed,
			dm: "publicly disclosed"},
	})

	// A second report is closed as a duplicate of the first, then reopened.
	researcher2 := env.User("researcher2")
	dup := fileReport(t, researcher2, reportForm(uniqueTag("Duplicate")))
	runSteps(t, dup, researcher2, []triageStep{
		{action: "close", form: map[string]any{"resolution": "duplicate", "duplicate_of": r.key, "note": "Known since " + r.key},
			status: "Closed as duplicate", assignee: "Nobody yet", buttons: buttonsClosed,
			fields: map[string]string{"Duplicate of": r.key}, dm: "**duplicate**"},
		{action: "reopen", status: "Triaging", assignee: "Nobody yet", buttons: buttonsTriaging,
			fields: map[string]string{"Duplicate of": ""}, dm: "reopened"},
	})

	// The reporter's view follows the same path.
	status := reply(t, researcher, "/security status "+r.key)
	assert.Contains(t, status, r.key+" · Disclosed")
	assert.Contains(t, status, "11.5.1")
}

func TestTriageDialogsRefuseInvalidInput(t *testing.T) {
	ctx := ctxFor(t)
	triager, outsider := env.User("triager"), env.User("outsider")
	r := fileReport(t, env.User("researcher"), reportForm(uniqueTag("Inputs")))
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "confirm", map[string]any{"estimate": "critical"}, "Confirmed")
	before := card(t, r.card.Id)

	tests := []struct {
		action string
		form   map[string]any
		field  string
	}{
		{"ask", map[string]any{"note": "  "}, "note"},
		{"message", map[string]any{"note": ""}, "note"},
		{"confirm", map[string]any{"cvss": "CVSS:3.1/AV:Z"}, "cvss"},
		{"fix", map[string]any{"fixed_in": ""}, "fixed_in"},
		{"fix", map[string]any{"fixed_in": "11.5.1, 11.5.1"}, "fixed_in"},
		{"fix", map[string]any{"fixed_in": "11.5.1", "cve_id": "CVE-1"}, "cve_id"},
		{"close", map[string]any{"resolution": "deleted"}, "resolution"},
		{"close", map[string]any{"resolution": "duplicate", "duplicate_of": "SEC-99999"}, "duplicate_of"},
		{"close", map[string]any{"resolution": "duplicate", "duplicate_of": r.key}, "duplicate_of"},
		{"close", map[string]any{"resolution": "duplicate", "duplicate_of": "twelve"}, "duplicate_of"},
		{"close", map[string]any{"resolution": "duplicate"}, "duplicate_of"},
		{"reassign", map[string]any{"assignee": outsider.Id}, "assignee"},
		{"reassign", map[string]any{"assignee": triager.Id}, "assignee"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s %v", tc.action, tc.form), func(t *testing.T) {
			d := openActionDialog(t, triager, r, tc.action)
			resp, err := triager.SubmitDialog(ctx, d, env.Team.Id, r.card.ChannelId, tc.form)
			require.NoError(t, err)
			assert.Contains(t, resp.Errors, tc.field, "an inline error on %s (errors %v, error %q)", tc.field, resp.Errors, resp.Error)
			after := card(t, r.card.Id)
			assert.Equal(t, before.Title, after.Title, "the card changed")
			assert.Equal(t, before.Fields, after.Fields, "the card changed")
		})
	}

	// A valid reassignment to another member of the team (an admin) applies.
	c := pressWithDialog(t, triager, r, "reassign", map[string]any{"assignee": env.Admin.Id}, "Confirmed")
	assert.Contains(t, c.Fields["Assignee"], "@"+env.Admin.Username)
}

func TestTriageRefusesAStaleCard(t *testing.T) {
	ctx := ctxFor(t)
	triager := env.User("triager")
	r := fileReport(t, env.User("researcher"), reportForm(uniqueTag("Stale")))
	stale := buttonContext(t, r.card.Id, "take")
	press(t, triager, r, "take", "Triaging")
	before := card(t, r.card.Id)

	// A press carrying the version the triager saw before the change is refused
	// with the current state; nothing is applied.
	for _, action := range []string{"take", "close", "message"} {
		ctxBody := map[string]any{"report_id": stale["report_id"], "version": stale["version"], "action": action}
		code, body, err := triager.PluginRequest(ctx, http.MethodPost, env.Bundle.ID, "/action",
			model.PostActionIntegrationRequest{UserId: triager.Id, PostId: r.card.Id, ChannelId: r.card.ChannelId, Context: ctxBody})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, code, "body: %s", body)
		var answer model.PostActionIntegrationResponse
		require.NoError(t, json.Unmarshal(body, &answer))
		assert.Contains(t, answer.EphemeralText, "changed while you were looking at it", action)
		assert.Contains(t, answer.EphemeralText, "Triaging", "the answer says the current state")
	}
	after := card(t, r.card.Id)
	assert.Equal(t, before.Fields, after.Fields, "a stale press changed the card")
}

func TestOnlyTheSecurityTeamCanAct(t *testing.T) {
	ctx := ctxFor(t)
	triager, outsider := env.User("triager"), env.User("outsider")
	reporter := env.User("researcher")
	tag := uniqueTag("Outsider")
	r := fileReport(t, reporter, reportForm(tag))
	current := buttonContext(t, r.card.Id, "take")
	before := card(t, r.card.Id)
	showBefore := reply(t, triager, "/security show "+r.key)

	crafted := func(t *testing.T, u *harness.User, claimedUser string, action string) (int, model.PostActionIntegrationResponse) {
		t.Helper()
		code, body, err := u.PluginRequest(ctxFor(t), http.MethodPost, env.Bundle.ID, "/action", model.PostActionIntegrationRequest{
			UserId:    claimedUser,
			PostId:    r.card.Id,
			ChannelId: r.card.ChannelId,
			TeamId:    env.Team.Id,
			Context:   map[string]any{"report_id": current["report_id"], "version": current["version"], "action": action},
		})
		require.NoError(t, err)
		var answer model.PostActionIntegrationResponse
		if code == http.StatusOK {
			require.NoError(t, json.Unmarshal(body, &answer), "body: %s", body)
		}
		return code, answer
	}

	// Straight to the plugin's action route with their own token: every action,
	// by everyone outside the team, is refused by the plugin itself.
	others := []*harness.User{outsider, reporter, env.User("researcher2")}
	marks := map[string]int{}
	for _, u := range others {
		marks[u.Username] = u.Events.Mark()
	}
	for _, u := range others {
		for _, action := range []string{"take", "ask", "confirm", "fix", "disclose", "close", "reopen", "reassign", "message"} {
			t.Run("crafted "+action+" by "+u.Username, func(t *testing.T) {
				code, answer := crafted(t, u, u.Id, action)
				assert.Equal(t, http.StatusOK, code)
				assert.Contains(t, answer.EphemeralText, "Only the security team", "the plugin's refusal")
			})
		}
		// Claiming to be the triager does not help.
		code, _ := crafted(t, u, triager.Id, "take")
		assert.Equal(t, http.StatusForbidden, code, "%s's request naming the triager", u.Username)
	}

	// Through the server's button route, they cannot even reach the card.
	for _, u := range others {
		resp, err := u.PressButton(ctx, r.card.Id, "take")
		require.Error(t, err, "%s pressed Take", u.Username)
		assert.Contains(t, []int{http.StatusForbidden, http.StatusNotFound}, harness.StatusCode(resp, err), "%s pressing Take", u.Username)
	}

	// A triager's open form, submitted by the outsider, is refused.
	d := openActionDialog(t, triager, r, "message")
	resp, err := outsider.SubmitDialogRaw(ctx, model.SubmitDialogRequest{
		URL: d.URL, CallbackId: d.Dialog.CallbackId, State: d.Dialog.State,
		ChannelId: env.DefaultChannel.Id, TeamId: env.Team.Id, Submission: map[string]any{"note": "hello " + tag},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Error, "the outsider's submission of the triager's form")

	// No dialog opened for any of them.
	for _, u := range others {
		for _, ev := range u.Events.Since(marks[u.Username]) {
			assert.NotEqual(t, model.WebsocketEventOpenDialog, ev.EventType(), "a dialog opened for %s", u.Username)
		}
	}

	// Nothing changed: the card, the report and its timeline.
	after := card(t, r.card.Id)
	assert.Equal(t, before.Title, after.Title)
	assert.Equal(t, before.Fields, after.Fields)
	assert.Equal(t, showBefore, reply(t, triager, "/security show "+r.key))
	_, updates := receiptThread(ctx, t, reporter, r.key)
	assert.Empty(t, updates, "the reporter was told of a change")

	// The same crafted request from the triager does apply, so the refusals
	// above are the plugin's decision, not a broken request. Its audit record,
	// written after any the refused requests might have written, is the only one.
	code, answer := crafted(t, triager, triager.Id, "take")
	require.Equal(t, http.StatusOK, code)
	assert.Empty(t, answer.EphemeralText)
	c, err := harness.WaitCardStatus(ctx, triager, r.card.Id, "Triaging", wait)
	require.NoError(t, err)
	assert.Contains(t, c.Fields["Assignee"], "@triager")
	assert.Equal(t, []string{"responsibleDisclosure.submit", "responsibleDisclosure.take"}, auditEvents(t, r.key, 2))
}

// auditEvents waits until the audit log holds at least n records about report
// key and returns their event names, oldest first.
func auditEvents(t *testing.T, key string, n int) []string {
	t.Helper()
	records := auditRecords(t, key, n)
	names := make([]string, 0, len(records))
	for _, rec := range records {
		names = append(names, rec.EventName)
	}
	return names
}

func auditRecords(t *testing.T, key string, n int) []harness.AuditRecord {
	t.Helper()
	return auditRecordsWith(t, "report", key, n)
}

// auditRecordsWith waits for n of the plugin's audit records whose parameter
// param is key, and returns them, oldest first.
func auditRecordsWith(t *testing.T, param, key string, n int) []harness.AuditRecord {
	t.Helper()
	var mine []harness.AuditRecord
	err := harness.Eventually(ctxFor(t), wait, 100*time.Millisecond, fmt.Sprintf("%d audit records about %s", n, key), func(context.Context) (bool, error) {
		records, err := env.MM.ReadAuditLog()
		if err != nil {
			return false, err
		}
		mine = mine[:0]
		for _, rec := range records {
			if strings.HasPrefix(rec.EventName, "responsibleDisclosure.") && rec.Event.Parameters[param] == key {
				mine = append(mine, rec)
			}
		}
		return len(mine) >= n, fmt.Errorf("%d so far", len(mine))
	})
	require.NoError(t, err, "audit log: %s", env.MM.AuditLogPath)
	return mine
}

func TestAuditLogHoldsOneRecordPerChange(t *testing.T) {
	triager := env.User("triager")
	tag := uniqueTag("Audit")
	r := fileReport(t, env.User("researcher"), reportForm(tag))

	steps := []struct {
		action string
		form   map[string]any
		status string // as the card shows it
		to     string // as the audit record stores it
	}{
		{"take", nil, "Triaging", "triaging"},
		{"ask", map[string]any{"note": "A question " + tag}, "Needs information", "needs_info"},
		{"take", nil, "Triaging", "triaging"},
		{"confirm", map[string]any{"estimate": "medium"}, "Confirmed", "confirmed"},
		{"message", map[string]any{"note": "A message " + tag}, "Confirmed", "confirmed"},
		{"reassign", map[string]any{"assignee": env.Admin.Id}, "Confirmed", "confirmed"},
		{"close", map[string]any{"resolution": "informative", "note": "Closing " + tag}, "Closed as informative", "informative"},
		{"reopen", nil, "Triaging", "triaging"},
	}
	want := []string{"responsibleDisclosure.submit"} // the filing is audited too
	for _, s := range steps {
		if s.form == nil {
			press(t, triager, r, s.action, s.status)
		} else {
			pressWithDialog(t, triager, r, s.action, s.form, s.status)
		}
		want = append(want, "responsibleDisclosure."+s.action)
	}

	records := auditRecords(t, r.key, len(want))
	require.NotEmpty(t, records)
	assert.Equal(t, env.User("researcher").Id, records[0].Actor.UserID, "the researcher filed it")
	assert.Equal(t, "submitted", auditState(records[0], "resulting_state"))
	var got []string
	from := "submitted"
	for i, rec := range records {
		got = append(got, rec.EventName)
		if i == 0 {
			continue
		}
		i--
		assert.Equal(t, triager.Id, rec.Actor.UserID, "%s: the actor", rec.EventName)
		assert.Equal(t, model.AuditStatusSuccess, rec.Status, rec.EventName)
		if i < len(steps) {
			assert.Equal(t, from, auditState(rec, "prior_state"), "%s: the state before", rec.EventName)
			assert.Equal(t, steps[i].to, auditState(rec, "resulting_state"), "%s: the state after", rec.EventName)
			from = steps[i].to
		}
		raw, err := json.Marshal(rec.Raw)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), tag, "%s: the audit record carries report or team text", rec.EventName)
	}
	assert.Equal(t, want, got, "one record per change, in order")

	// The timeline shows the same changes, after the filing.
	show := reply(t, triager, "/security show "+r.key)
	_, timeline, _ := strings.Cut(show, "**Timeline**")
	var lines int
	for _, line := range strings.Split(timeline, "\n") {
		if strings.HasPrefix(line, "- ") {
			lines++
		}
	}
	assert.Equal(t, len(want), lines, "the timeline holds the filing and each change, as the audit log does:\n%s", show)
}

func TestDisablingThePluginKeepsReportsAndTimelines(t *testing.T) {
	ctx := ctxFor(t)
	admin := env.Admin.Client
	id := env.Bundle.ID
	triager, researcher := env.User("triager"), env.User("researcher")
	tag := uniqueTag("Restart")
	r := fileReport(t, researcher, reportForm(tag))
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "ask", map[string]any{"note": "Before the restart " + tag}, "Needs information")
	// A form the triager opened before the plugin went down.
	pending := openActionDialog(t, triager, r, "message")

	views := func() map[string]string {
		return map[string]string{
			"show":   reply(t, triager, "/security show "+r.key),
			"status": reply(t, researcher, "/security status "+r.key),
			"mine":   reply(t, researcher, "/security mine"),
		}
	}
	before := views()
	cardBefore := card(t, r.card.Id)

	require.NoError(t, env.MM.DisablePlugin(ctx, id))
	t.Cleanup(func() {
		_ = env.MM.EnablePlugin(context.Background(), id)
		_ = env.MM.WaitPluginState(context.Background(), admin, id, model.PluginStateRunning, time.Minute)
	})
	require.NoError(t, env.MM.WaitPluginState(ctx, admin, id, model.PluginStateNotRunning, time.Minute))
	require.NoError(t, env.MM.EnablePlugin(ctx, id))
	require.NoError(t, env.MM.WaitPluginState(ctx, admin, id, model.PluginStateRunning, time.Minute))

	// Every report and its timeline are as they were.
	assert.Equal(t, before, views())
	again, err := harness.FindCard(ctx, triager, env.TriageChannel.Id, r.key, wait)
	require.NoError(t, err)
	assert.Equal(t, r.card.Id, again.Id, "the card is the same post")
	assert.Equal(t, cardBefore.Fields, card(t, r.card.Id).Fields)

	// The form opened before still submits (the signing secret survived), and
	// the card's buttons still act.
	resp, err := triager.SubmitDialog(ctx, pending, env.Team.Id, r.card.ChannelId, map[string]any{"note": "After the restart " + tag})
	require.NoError(t, err)
	assert.Empty(t, resp.Error)
	assert.Empty(t, resp.Errors)
	receipt, _ := receiptThread(ctx, t, researcher, r.key)
	updates := waitReplies(t, researcher, receipt.Id, 3, "the message sent after the restart")
	assert.Contains(t, updates[2].Message, "After the restart "+tag)
	press(t, triager, r, "take", "Triaging")

	// New reports continue the numbering.
	next := fileReport(t, researcher, reportForm(uniqueTag("AfterRestart")))
	assert.Greater(t, keyNumber(t, next.key), keyNumber(t, r.key))
}

// auditState reads event.<which>.status of an audit record.
func auditState(rec harness.AuditRecord, which string) string {
	event, _ := rec.Raw["event"].(map[string]any)
	state, _ := event[which].(map[string]any)
	status, _ := state["status"].(string)
	return status
}

func keyNumber(t *testing.T, key string) int {
	t.Helper()
	var n int
	_, err := fmt.Sscanf(key, "SEC-%d", &n)
	require.NoError(t, err, key)
	return n
}
