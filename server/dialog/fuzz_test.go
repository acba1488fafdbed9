package dialog

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// FuzzSubmissions feeds every dialog's parser the submission a client may
// send (any JSON object: the server passes it on unchecked), and the parsed
// values on to the domain checks each submission reaches, as the handlers
// do. Whatever arrives, the parsers read each field as its text or as empty,
// the policy box is judged on the server, and every refusal names a field of
// the form it came from, so the user sees it next to what they typed.
func FuzzSubmissions(f *testing.F) {
	for _, seed := range []string{
		`{"title":"Stored XSS in post preview","product":"Server","cvss":"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N","affected_versions":"11.4.0",` +
			`"tested_on":"community","description":"The preview renders <img onerror>","steps":"1. Post the link","impact":"Session theft","credit":"true",` +
			`"display_name":"Ada","affiliation":"from Example","policy":true}`,
		`{"title":"@channel look","estimate":"HIGH","policy":"TRUE","credit":true,"description":"-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----"}`,
		`{"title":7,"policy":"yes","credit":1,"steps":null,"impact":["x"],"cvss":{"v":1}}`,
		`{"note":"Can you share the request?","assignee":"bob","resolution":"duplicate","duplicate_of":"sec-12"}`,
		`{"fixed_in":"11.5.1 (2026-02-10), 11.4.3","advisory_id":"mmsa-2026-1","cve_id":"CVE-2026-1234","public_title":"XSS","public_summary":"Fixed.","disclose_on":"2026-04-01"}`,
		`{"fixed_in":"11.5.1 (yesterday)","duplicate_of":"twelve","resolution":"wontfix","disclose_on":"soon"}`,
		`{"what":"Load test the websocket hub","why":"It may exhaust connections","start":"2026-03-02","end":"2026-03-06","rules":"true"}`,
		`{"url":"https://staging-7.example.com","credentials":"user ada, password hunter2","start":"2026-03-02","end":"2026-03-02 10:05","reason":"  Not needed. "}`,
		`{"csv":"name,contributions\nAda,1\n"}`,
		`{}`,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	products := config.Defaults().Intake.Products
	f.Fuzz(func(t *testing.T, data []byte) {
		var submission map[string]any
		if json.Unmarshal(data, &submission) != nil {
			return // the server refuses the request before the plugin sees it
		}
		asText := func(name string) string {
			s, _ := submission[name].(string)
			return s
		}

		// The report form.
		filing, errs := ParseReport(submission)
		require.Equal(t, asText(report.FieldTitle), filing.Report.Title)
		require.Equal(t, asText(report.FieldDescription), filing.Report.Description)
		require.Equal(t, asText(report.FieldDisplayName), filing.Credit.DisplayName)
		agreed := submission[FieldPolicyAgreed] == true || strings.EqualFold(asText(FieldPolicyAgreed), "true")
		require.Equal(t, !agreed, errs[FieldPolicyAgreed] != "", "the policy box is judged on the server")
		r := filing.Report
		r.Normalize()
		requireFieldErrors(t, r.Validate(products), reportFields)
		credit := filing.Credit
		credit.Normalize()
		requireFieldErrors(t, credit.Validate(r.WantsCredit), reportFields)
		profile := ParseCredit(submission)
		profile.Normalize()
		requireFieldErrors(t, profile.Validate(false), reportFields)

		// The triage forms, on a report in every state the action may start from.
		for _, action := range report.Actions {
			in, ierr := ParseAction(action, submission)
			if ierr != nil {
				require.Contains(t, []string{report.FieldFixedIn, report.FieldDuplicateOf}, ierr.Field)
				require.NotEmpty(t, ierr.Message)
				continue
			}
			if action == report.ActionFix {
				again, err := report.ParseFixedVersions(report.FormatFixedVersions(in.FixedIn))
				require.NoError(t, err)
				require.Equal(t, in.FixedIn, again)
			}
			in.At = now
			for _, status := range report.Statuses {
				target := sampleReport(status)
				if !report.Allowed(target, action, report.ActorTriager) {
					continue
				}
				before := len(target.Timeline)
				ev, err := report.Apply(target, action, report.Triager("triager"), in)
				if err != nil {
					var ie *report.InputError
					if errors.As(err, &ie) {
						require.Contains(t, actionFields, ie.Field, "%s from %s: %v", action, status, err)
					}
					require.Len(t, target.Timeline, before, "a refused action changes nothing")
					continue
				}
				require.Equal(t, action, ev.Action)
				require.Equal(t, status, ev.From)
				require.Len(t, target.Timeline, before+1)
			}
		}

		// The staging forms.
		draft := ParseStaging(submission)
		if req, errs := staging.ParseDraft(draft, 14, now); len(errs) == 0 {
			require.Equal(t, strings.TrimSpace(draft.What), req.What)
			require.True(t, draft.RulesAccepted)
		} else {
			requireStagingFields(t, errs)
		}
		url, credentials, start, end, reason := ParseStagingDecision(submission)
		require.Equal(t, strings.TrimSpace(asText(staging.FieldReason)), reason)
		_, detailErrs := staging.ParseDetails(url, credentials)
		requireStagingFields(t, detailErrs)
		_, _, grantErrs := staging.ParseGrant(start, end, 14, now)
		requireStagingFields(t, grantErrs)

		// The Hall of Fame import form.
		if _, err := halloffame.ParseCSV([]byte(ParseHallImport(submission))); err != nil {
			var ie *halloffame.ImportError
			require.True(t, errors.As(err, &ie), "%v", err)
		}
	})
}

var reportFields = []string{
	report.FieldTitle, report.FieldProduct, report.FieldVector, report.FieldEstimate, report.FieldAffectedVersions,
	report.FieldTestedOn, report.FieldDescription, report.FieldSteps, report.FieldImpact,
	report.FieldDisplayName, report.FieldAffiliation,
}

var actionFields = []string{
	report.FieldNote, report.FieldAssignee, report.FieldResolution, report.FieldDuplicateOf, report.FieldFixedIn,
	report.FieldAdvisoryID, report.FieldCVEID, report.FieldPublicTitle, report.FieldSummary, report.FieldPublicAffected,
	report.FieldDiscloseOn, report.FieldVector, report.FieldEstimate,
}

func requireFieldErrors(t *testing.T, errs report.FieldErrors, fields []string) {
	t.Helper()
	for field, msg := range errs {
		require.Contains(t, fields, field)
		require.NotEmpty(t, msg)
	}
}

func requireStagingFields(t *testing.T, errs staging.FieldErrors) {
	t.Helper()
	for field, msg := range errs {
		require.Contains(t, []string{staging.FieldWhat, staging.FieldWhy, staging.FieldStart, staging.FieldEnd, staging.FieldRules,
			staging.FieldURL, staging.FieldCredentials}, field)
		require.NotEmpty(t, msg)
	}
}

// sampleReport is a filed report in status, with what that status implies.
func sampleReport(status report.Status) *report.Report {
	r := &report.Report{
		ID: 12, ReporterID: "alice", Assignee: "triager", Title: "XSS", Product: "Server",
		Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Status: status,
	}
	if status == report.StatusFixed || status == report.StatusDisclosed {
		r.FixedIn = []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}
		r.AdvisoryID = "MMSA-2026-1"
	}
	return r
}
