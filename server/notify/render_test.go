package notify

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// hostile is researcher text that would ping, preview or render if the bot ever
// posted it as ordinary Markdown.
var hostile = []string{
	"@channel @all @here @triager Jane",
	"``` closing fence ``` and ```` four",
	"see https://evil.example/track and ![img](https://evil.example/p.png)",
	"<script>alert(1)</script> <img src=x onerror=alert(1)>",
	"[click](javascript:alert(1))",
	"`` double `backtick` run ``",
}

var danger = regexp.MustCompile(`(?i)@(channel|all|here|triager)|jane|https?://|<script|<img|javascript:|!\[`)

// stripCode removes fenced code blocks and code spans the way CommonMark reads
// them, leaving what Mattermost would interpret.
func stripCode(s string) string {
	var out []string
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if fence := leadingBackticks(line); fence >= 3 {
			for i++; i < len(lines); i++ {
				if f := leadingBackticks(lines[i]); f >= fence && strings.TrimSpace(lines[i]) == strings.Repeat("`", f) {
					break
				}
			}
			continue
		}
		out = append(out, stripSpans(line))
	}
	return strings.Join(out, "\n")
}

func leadingBackticks(line string) int {
	n := 0
	for n < len(line) && line[n] == '`' {
		n++
	}
	return n
}

func stripSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		run := 0
		for i+run < len(line) && line[i+run] == '`' {
			run++
		}
		closer := strings.Index(line[i+run:], strings.Repeat("`", run))
		// A closer must be a run of exactly the same length.
		for closer >= 0 {
			at := i + run + closer
			end := at + run
			if (end >= len(line) || line[end] != '`') && (at == 0 || line[at-1] != '`' || closer == 0) {
				break
			}
			next := strings.Index(line[at+1:], strings.Repeat("`", run))
			if next < 0 {
				closer = -1
				break
			}
			closer += 1 + next
		}
		if closer < 0 {
			b.WriteString(line[i : i+run])
			i += run
			continue
		}
		i += run + closer + run
	}
	return b.String()
}

func testNotifier(t *testing.T) *Notifier {
	api := &plugintest.API{}
	api.On("GetUser", mock.Anything).Return(&model.User{Username: "alice"}, nil).Maybe()
	return New(pluginapi.NewClient(api, nil), "bot", "plugin", func() string { return "https://chat.example.com" })
}

func hostileReport(text string) *report.Report {
	r := &report.Report{ID: 7, ReporterID: "alice", Title: text, Product: text, AffectedVersions: text, Description: text + "\nline two",
		Steps: text, Impact: text, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Status: report.StatusSubmitted, TestedOn: report.TestedOnOwnInstallation,
		WantsCredit: true, Created: time.Unix(0, 0), Updated: time.Unix(0, 0)}
	r.Timeline = []report.Event{{At: time.Unix(0, 0), ActorKind: report.ActorReporter, Action: report.ActionReply, Note: text, To: report.StatusSubmitted}}
	return r
}

func TestResearcherTextIsInertEverywhere(t *testing.T) {
	n := testNotifier(t)
	for _, text := range hostile {
		t.Run(text, func(t *testing.T) {
			r := hostileReport(text)
			credit := &report.CreditProfile{DisplayName: text, Affiliation: text}
			card := n.cardPost(r, event.CardView{Credit: credit})

			var rendered []string
			rendered = append(rendered, card.Message)
			for _, a := range card.Attachments() {
				rendered = append(rendered, a.Title, a.Text, a.Fallback, a.Pretext)
				for _, f := range a.Fields {
					rendered = append(rendered, f.Title, f.Value.(string))
				}
			}
			rendered = append(rendered, fullText(r)...)
			for _, s := range rendered {
				assert.NotRegexp(t, danger, stripCode(s), "outside code: %q", s)
			}
			// The text is all there, inside code.
			assert.Contains(t, strings.Join(fullText(r), "\n"), text)
		})
	}
}

func TestStripCodeSeesThroughBrokenFences(t *testing.T) {
	// The helper itself must catch text that escaped a fence.
	assert.Regexp(t, danger, stripCode("```\nx\n```\n@channel"))
	assert.Regexp(t, danger, stripCode("`a` @here `b`"))
	assert.NotRegexp(t, danger, stripCode("`` a`@here ``"))
}

func TestFullTextSplitsLongSectionsWithinPostLimit(t *testing.T) {
	r := hostileReport("x")
	r.Description = strings.Repeat("line of text\n", 1500) // ~19,500 characters
	r.Steps = strings.Repeat("`", 9000)                    // a backtick run needs a longer fence
	posts := fullText(r)
	require.Greater(t, len(posts), 2)
	joined := strings.Join(posts, "\n")
	assert.Contains(t, joined, "**Description** (part 1 of 4)")
	assert.Contains(t, joined, "**Description** (part 4 of 4)")
	for i, p := range posts {
		if !assert.LessOrEqual(t, len([]rune(p)), model.PostMessageMaxRunesV2, "post %d is too long", i) {
			break
		}
		assert.NotRegexp(t, danger, stripCode(p))
	}
	// Nothing is lost: every description line is in some post.
	assert.Equal(t, 1500, strings.Count(joined, "line of text"))
}

func TestReporterUpdatesNameTheReportAndStatus(t *testing.T) {
	n := testNotifier(t)
	r := hostileReport("x")
	r.AdvisoryID = "MMSA-2026-4"
	tests := []struct {
		action report.Action
		status report.Status
		note   string
		want   string
	}{
		{report.ActionTake, report.StatusTriaging, "", "looking at your report"},
		{report.ActionAsk, report.StatusNeedsInfo, "Which version?", "> Which version?"},
		{report.ActionConfirm, report.StatusConfirmed, "internal", "confirmed the vulnerability"},
		{report.ActionFix, report.StatusFixed, "", "A fix is released"},
		{report.ActionDisclose, report.StatusDisclosed, "", "(https://chat.example.com/plugins/plugin/security-updates/MMSA-2026-4)"},
		{report.ActionClose, report.StatusDuplicate, "Known since March.", "**duplicate**"},
		{report.ActionReopen, report.StatusTriaging, "", "reopened"},
		{report.ActionMessage, report.StatusTriaging, "Thanks!", "> Thanks!"},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			r.Status = tt.status
			r.Assignee = "triager-id"
			msg := n.ReporterUpdate(r, report.Event{Action: tt.action, Note: tt.note, To: tt.status}, false)
			assert.Contains(t, msg, "**SEC-7** · "+tt.status.Label())
			assert.Contains(t, msg, tt.want)
			assert.NotContains(t, msg, "@alice", "the assignee is not named")
			if tt.action == report.ActionConfirm {
				assert.NotContains(t, msg, "internal", "internal notes stay internal")
			}
		})
	}
	assert.Empty(t, n.ReporterUpdate(r, report.Event{Action: report.ActionReassign}, false), "reassignment is internal")
	assert.Contains(t, n.ReporterUpdate(r, report.Event{Action: report.ActionTake}, true), "@alice", "the setting names the assignee")
}

// fullText is the messages of a report's full text.
func fullText(r *report.Report) []string {
	var out []string
	for _, p := range FullTextPosts(r) {
		out = append(out, p.Message)
	}
	return out
}
