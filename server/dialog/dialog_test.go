package dialog

import (
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// Every dialog must pass the server's own checks (titles and display names at most
// 24 characters, help texts at most 150, defaults within limits), or the server
// refuses to open it.
func TestDialogsAreValidForTheServer(t *testing.T) {
	long := strings.Repeat("n", 200)
	r := &report.Report{ID: 1234567, Title: long, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", AdvisoryID: long,
		FixedIn: []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}, Status: report.StatusConfirmed}
	dialogs := map[string]model.Dialog{
		"report":          ReportDialog(config.Defaults().Intake.Products, &report.CreditProfile{DisplayName: long, Affiliation: long}, "https://x/policy", "state"),
		"report, no prof": ReportDialog(config.Defaults().Intake.Products, nil, "https://x/policy", "state"),
		"credit":          CreditDialog(&report.CreditProfile{DisplayName: long}, "state"),
		"staging":         StagingDialog(14, time.Now(), "state"),
		"staging approve": StagingDecisionDialog("approve", &staging.Request{ID: 1234567, What: long}, "state"),
		"staging deny":    StagingDecisionDialog("deny", &staging.Request{ID: 1234567, What: long}, "state"),
	}
	for _, a := range report.Actions {
		if NeedsInput(a) {
			dialogs[string(a)] = ActionDialog(a, r, "state")
		}
	}
	for name, d := range dialogs {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, d.IsValid())
			assert.NotEmpty(t, d.Elements)
			assert.NotEmpty(t, d.State)
		})
	}
}

func TestReportDialogAllowsLongPGPMessages(t *testing.T) {
	d := ReportDialog(config.Defaults().Intake.Products, nil, "https://x/policy", "s")
	limits := map[string]int{}
	for _, e := range d.Elements {
		limits[e.Name] = e.MaxLength
	}
	assert.GreaterOrEqual(t, limits[report.FieldDescription], 10000)
	assert.GreaterOrEqual(t, limits[report.FieldSteps], 10000)
	assert.Contains(t, d.IntroductionText, "(https://x/policy)", "the policy is linked")
}

func TestParseReport(t *testing.T) {
	f, errs := ParseReport(map[string]any{
		report.FieldTitle: "t", report.FieldEstimate: "high", FieldCredit: "true", FieldPolicyAgreed: true,
		report.FieldDisplayName: "Ada", report.FieldSteps: 7.0,
	})
	assert.Empty(t, errs)
	assert.Equal(t, "t", f.Report.Title)
	assert.Equal(t, report.RatingHigh, f.Report.Estimate)
	assert.True(t, f.Report.WantsCredit)
	assert.Equal(t, "Ada", f.Credit.DisplayName)
	assert.Empty(t, f.Report.Steps, "a non-string value is read as empty")

	_, errs = ParseReport(map[string]any{})
	assert.Contains(t, errs, FieldPolicyAgreed, "the policy box is checked on the server")
}

func TestParseAction(t *testing.T) {
	in, err := ParseAction(report.ActionFix, map[string]any{report.FieldFixedIn: "11.5.1 (2026-02-10), 11.4.3", report.FieldCVEID: "CVE-2026-1234"})
	require.Nil(t, err)
	assert.Equal(t, []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3"}}, in.FixedIn)

	_, err = ParseAction(report.ActionFix, map[string]any{report.FieldFixedIn: "11.5.1 (yesterday)"})
	require.NotNil(t, err)
	assert.Equal(t, report.FieldFixedIn, err.Field)

	in, err = ParseAction(report.ActionClose, map[string]any{report.FieldResolution: "duplicate", report.FieldDuplicateOf: "sec-12"})
	require.Nil(t, err)
	assert.Equal(t, 12, in.DuplicateOf)
	assert.Equal(t, report.StatusDuplicate, in.Resolution)

	_, err = ParseAction(report.ActionClose, map[string]any{report.FieldResolution: "duplicate", report.FieldDuplicateOf: "twelve"})
	require.NotNil(t, err)
	assert.Equal(t, report.FieldDuplicateOf, err.Field)
}

// The team learns, where it types the credentials, that a deleted DM is not
// gone from the database; the researcher's deny form has nothing to say about it.
func TestStagingApproveDialogWarnsAboutDeletedDMs(t *testing.T) {
	r := &staging.Request{ID: 3, What: "Load test", Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		decision string
		warns    bool
	}{
		{staging.DecisionApprove, true},
		{staging.DecisionDeny, false},
	}
	for _, tt := range tests {
		t.Run(tt.decision, func(t *testing.T) {
			d := StagingDecisionDialog(tt.decision, r, "state")
			assert.Equal(t, tt.warns, strings.Contains(d.IntroductionText, StagingCredentialsWarning))
			assert.True(t, strings.HasPrefix(d.IntroductionText, "**STG-3** · wanted 2026-03-02 to 2026-03-06"))
		})
	}
	assert.Contains(t, StagingCredentialsWarning, "remains in the server's database")
	assert.Contains(t, StagingCredentialsWarning, "rotate them when the window ends")
}
