package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// The bot's sentences, word for word: the e2e suite and the people who read
// them rely on each one.

var (
	due      = time.Date(2026, 3, 2, 10, 1, 30, 0, time.UTC)
	seconds  = mustTarget
	waiting  = &report.Report{ID: 1, Status: report.StatusNeedsInfo}
	queued   = &report.Report{ID: 2, Status: report.StatusSubmitted}
	stgGrant = &staging.Request{ID: 3, GrantStart: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), GrantEnd: time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC), Reason: "Not needed."}
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"clock lines", ClockLines([]event.ClockState{
			{Clock: event.ClockFirstResponse, State: sla.DueSoon, Due: due},
			{Clock: event.ClockTriage, State: sla.OnTrack, Due: due},
			{Clock: event.ClockResolution, State: sla.Breached, Due: due.Add(time.Minute)},
		}), "🟠 First response due soon · due 2026-03-02 10:01 UTC\n🟢 Triage on track · due 2026-03-02 10:01 UTC\n🔴 Resolution breached · due 2026-03-02 10:02 UTC"},
		{"reminder due soon, responders", ReminderText(event.Reminder{Report: queued, Clock: event.ClockFirstResponse, Target: seconds("60s"), Level: sla.DueSoon, Due: due}, "@oncall"),
			"@oncall ⏰ **SEC-2**: the first response target (60 seconds) is due soon — due 2026-03-02 10:01 UTC."},
		{"reminder overdue, nobody to ping", ReminderText(event.Reminder{Report: waiting, Clock: event.ClockTriage, Target: seconds("90s"), Level: sla.Breached, Due: due}, ""),
			"🚨 **SEC-1**: the triage target (90 seconds) is overdue — due 2026-03-02 10:01 UTC."},
		{"progress with the resolution target", ProgressText(event.Progress{Report: waiting, Interval: seconds("120s"), Resolution: seconds("120s")}),
			"**SEC-1** · Needs information\nA progress update: your report is still open — the team is waiting for your answer to its question in this thread. The team aims to resolve reports of this severity within 120 seconds of filing."},
		{"progress without a resolution target", ProgressText(event.Progress{Report: queued, Interval: seconds("120s")}),
			"**SEC-2** · Submitted\nA progress update: your report is still open — it is in the queue and the team will start looking at it soon."},
		{"progress note", ProgressNote(event.Progress{Report: waiting, Interval: seconds("120s")}),
			"The reporter of **SEC-1** had no update for 120 seconds and was sent a progress message; they are waiting to hear from the team."},
		{"question reminder with auto-close", QuestionReminderText(event.QuestionReminder{Report: waiting, AutoClose: seconds("300s")}),
			"**SEC-1** · Needs information\nA reminder: the security team is waiting for your answer to its question above. Please reply in this thread. Without an answer, the report is closed 300 seconds after the question; your answer reopens it."},
		{"question reminder", QuestionReminderText(event.QuestionReminder{Report: waiting}),
			"**SEC-1** · Needs information\nA reminder: the security team is waiting for your answer to its question above. Please reply in this thread."},
		{"auto-close note", AutoCloseNote(seconds("300s")), "No answer to the team's question within 300 seconds."},
		{"nudge", NudgeText(event.Nudge{Report: queued, Missed: event.ClockFirstResponse}, "@oncall"),
			"@oncall 📣 The reporter of **SEC-2** asks for an update: the First response target was missed."},
		{"digest", DigestText(event.Digest{Open: 2, ByStatus: map[report.Status]int{report.StatusSubmitted: 1, report.StatusTriaging: 1},
			Overdue: []event.Overdue{{Report: "SEC-2", Clock: event.ClockTriage}, {Report: "SEC-10", Clock: event.ClockFirstResponse}, {Report: "SEC-2", Clock: event.ClockFirstResponse}},
			Untaken: []string{"SEC-2"}, Oldest: &report.Summary{ID: 2, Status: report.StatusSubmitted, Created: due}}),
			"#### Weekly security report digest\n**2 open reports** — Submitted: 1, Triaging: 1\n- Overdue targets: SEC-10 (first response), SEC-2 (first response), SEC-2 (triage)\n- Not taken yet: SEC-2\n- Oldest open: **SEC-2**, filed 2026-03-02 (Submitted)\n"},
		{"empty digest", DigestText(event.Digest{}),
			"#### Weekly security report digest\n**0 open reports**\n- Overdue targets: none\n- Not taken yet: none\n"},
		{"disclosed", DisclosedText(event.Disclosed{Report: &report.Report{ID: 1, AdvisoryID: "MMSA-2026-1"}, UpdatesURL: "https://chat.example.com/plugins/x/security-updates"}),
			"📢 **SEC-1** reached its disclosure date and is now public as **MMSA-2026-1**: https://chat.example.com/plugins/x/security-updates/MMSA-2026-1"},
		{"disclosed without a page", DisclosedText(event.Disclosed{Report: &report.Report{ID: 1, AdvisoryID: "MMSA-2026-1"}}),
			"📢 **SEC-1** reached its disclosure date and is now public as **MMSA-2026-1**: MMSA-2026-1"},
		{"disclosed on date", DisclosedOnDateNote(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)), "Disclosed on its disclosure date, 2026-05-01."},
		{"disclosure set", DisclosureSetNote("2026-04-01"), "Disclosure set for 2026-04-01."},
		{"disclosure earlier", DisclosureEarlierNote(time.Date(2026, 4, 9, 0, 0, 0, 0, time.UTC), "2026-03-20"), "Publish early: disclosure moved from 2026-04-09 to 2026-03-20."},
		{"disclosure postponed", DisclosurePostponedNote(time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), "2026-05-01"), "Postponed: disclosure moved from 2026-03-20 to 2026-05-01."},
		{"staging access", StagingAccessText(stgGrant, staging.Details{URL: "https://staging.example.com", Credentials: "user ada\npassword `x`"}),
			"#### Your staging server request STG-3 was approved\n**Window:** from 2026-03-02 until 2026-03-02 10:05 (UTC). Access ends then, and this message is deleted.\n**URL:** ` https://staging.example.com `\n**Access:**\n```\nuser ada\npassword `x`\n```\nTest only what you described, do not take data away, and stop at once if the security team asks."},
		{"staging approved note", StagingApprovedNote(stgGrant), "Approved until 2026-03-02 10:05 UTC; the researcher received the access details by DM."},
		{"staging denied", StagingDeniedText(stgGrant), "#### Your staging server request STG-3 was denied\nThe security team's reason:\n> Not needed."},
		{"staging ended note", StagingEndedNote, "The window ended: the DM that carried the access details was deleted, and the researcher was told. " +
			"A deleted message stays in the server's database, so rotate those credentials now if they still work."},
		{"staging ended", StagingEndedText(stgGrant), "Your staging window for STG-3 has ended, and the message with its access details was deleted. Thank you for testing responsibly."},
		{"relayed outside the thread", RelayedOutsideThreadText(queued),
			"I added this to your open report **SEC-2**; the security team sees it on the report. Next time, please reply in the report's thread."},
		{"how to reply, several open", HowToReplyText([]*report.Report{queued, waiting}),
			"To add something to a report, reply **in the report's thread** (under the receipt I sent when you filed it), or use `/security reply SEC-n <text>`. Your open reports: **SEC-2** (Submitted) **SEC-1** (Needs information). To file a new report, use `/security report`."},
		{"how to reply, one open", HowToReplyText([]*report.Report{queued}),
			"To add something to a report, reply **in the report's thread** (under the receipt I sent when you filed it), or use `/security reply SEC-n <text>`. To file a new report, use `/security report`."},
		{"next steps with a target", NextSteps(seconds("60s")),
			"the security team reviews every report and will reply in this thread — it aims to respond within 60 seconds. You will get a message here at every step: when someone takes your report, asks a question, confirms it, ships a fix and discloses it."},
		{"next steps", NextSteps(sla.Target{}),
			"the security team reviews every report and will reply in this thread. You will get a message here at every step: when someone takes your report, asks a question, confirms it, ships a fix and discloses it."},
		{"reply note with files", ReplyNote(event.Post{Message: " hi ", FileIDs: []string{"f"}}), "hi\n(with attached files)"},
		{"reply note, files only", ReplyNote(event.Post{FileIDs: []string{"f"}}), "(with attached files)"},
		{"reply note, empty", ReplyNote(event.Post{}), "(empty reply)"},
		{"reporter summary", ReporterSummary(report.Event{Action: report.ActionAutoClose, To: report.StatusInformative}), "Closed: Closed as informative"},
		{"reporter summary of an internal change", ReporterSummary(report.Event{Action: report.ActionReassign}), ""},
		{"team summary", TeamSummary(report.Event{Action: report.ActionTake, ActorKind: report.ActorTriager, From: report.StatusSubmitted, To: report.StatusTriaging}),
			"take by a triager (Submitted → Triaging)"},
		{"team summary of the plugin", TeamSummary(report.Event{Action: report.ActionAutoClose, ActorKind: report.ActorSystem, From: report.StatusNeedsInfo, To: report.StatusInformative}),
			"auto_close by the plugin (Needs information → Closed as informative)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

func TestReplyNoteCutsLongReplies(t *testing.T) {
	note := ReplyNote(event.Post{Message: strings.Repeat("é", report.MaxNoteRunes)})
	assert.Len(t, []rune(note), report.MaxNoteRunes-replyNoteRoom+len([]rune(" … (cut; full text in the card thread)")))
	assert.True(t, strings.HasSuffix(note, " … (cut; full text in the card thread)"))
}

func TestMention(t *testing.T) {
	names := map[string]string{"u1": "alice"}
	username := func(id string) string { return names[id] }
	tests := []struct {
		name   string
		owners event.Owners
		want   string
	}{
		{"the assignee", event.Owners{Assignee: "u1", Responders: []string{"oncall"}}, "@alice"},
		{"an unknown assignee is not mentioned", event.Owners{Assignee: "gone"}, ""},
		{"the responders", event.Owners{Responders: []string{"oncall", "lead"}}, "@oncall @lead"},
		{"nobody", event.Owners{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Mention(tt.owners, username))
		})
	}
}

func TestCardButtonsFollowTheState(t *testing.T) {
	tests := []struct {
		status report.Status
		want   []string // id:label:style
	}{
		{report.StatusSubmitted, []string{"take:Take:primary", "close:Close:default", "reassign:Reassign:default", "message:Message reporter:default"}},
		{report.StatusConfirmed, []string{"ask:Ask reporter:default", "confirm:Confirm:primary", "fix:Mark fixed:default", "close:Close:default", "reassign:Reassign:default", "message:Message reporter:default"}},
		{report.StatusFixed, []string{"fix:Mark fixed:default", "disclose:Mark disclosed:default", "reassign:Reassign:default", "message:Message reporter:default", "advisory:Edit advisory:default"}},
		{report.StatusDisclosed, []string{"message:Message reporter:default", "advisory:Edit advisory:default"}},
		{report.StatusInformative, []string{"reopen:Reopen:default", "message:Message reporter:default"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			r := &report.Report{ID: 4, Version: 9, Status: tt.status}
			var got []string
			for _, b := range CardButtons(r) {
				got = append(got, b.ID+":"+b.Name+":"+b.Style)
				assert.Equal(t, map[string]any{"report_id": 4, "version": 9, "action": b.ID}, b.Context, "a press names the report, the version it saw and the action")
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStagingButtonsOnlyWhilePending(t *testing.T) {
	pending := &staging.Request{ID: 1, Version: 2, Status: staging.StatusPending}
	assert.Equal(t, []Button{
		{ID: "approve", Name: "Approve", Style: "primary", Context: map[string]any{"request_id": 1, "version": 2, "decision": "approve"}},
		{ID: "deny", Name: "Deny", Style: "danger", Context: map[string]any{"request_id": 1, "version": 2, "decision": "deny"}},
	}, StagingButtons(pending))
	for _, st := range []staging.Status{staging.StatusApproved, staging.StatusDenied, staging.StatusExpired} {
		assert.Empty(t, StagingButtons(&staging.Request{Status: st}), st)
	}
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
