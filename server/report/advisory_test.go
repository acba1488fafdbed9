package report

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisclosureDate(t *testing.T) {
	tests := []struct {
		name    string
		fixed   []FixedVersion
		set     string
		want    string
		unknown bool
	}{
		{"30 days after the earliest release", []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3", Released: "2026-02-03"}}, "", "2026-03-05", false},
		{"a date the team set wins", []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}, "2026-02-20", "2026-02-20", false},
		{"releases without dates", []FixedVersion{{Version: "11.5.1"}}, "", "", true},
		{"nothing known", nil, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{FixedIn: tt.fixed, DiscloseOn: tt.set}
			got, ok := r.DisclosureDate(30)
			assert.Equal(t, !tt.unknown, ok)
			if ok {
				assert.Equal(t, tt.want, got.Format(DateLayout))
			}
		})
	}
}

func TestAdvisoryEdit(t *testing.T) {
	fixedReport := func() *Report {
		r := reportIn(StatusFixed, ActorTriager, ActionFix)
		r.FixedIn = []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}
		return r
	}
	tests := []struct {
		name  string
		in    Input
		field string
	}{
		{"bad advisory id", Input{AdvisoryID: "advisory 7"}, FieldAdvisoryID},
		{"bad cve", Input{CVEID: "CVE-1"}, FieldCVEID},
		{"bad date", Input{DiscloseOn: "next week"}, FieldDiscloseOn},
		{"long title", Input{PublicTitle: strings.Repeat("t", MaxPublicTitleRunes+1)}, FieldPublicTitle},
		{"bad vector", Input{Vector: "CVSS:3.1/AV:Q"}, FieldVector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixedReport()
			_, err := Apply(r, ActionAdvisory, Triager("t"), tt.in)
			var in *InputError
			require.ErrorAs(t, err, &in)
			assert.Equal(t, tt.field, in.Field)
		})
	}

	r := fixedReport()
	e, err := Apply(r, ActionAdvisory, Triager("t"), Input{At: time.Now(), AdvisoryID: "mmsa-2026-7", CVEID: "cve-2026-12345",
		PublicTitle: "XSS in channel headers", PublicSummary: "A header could run script.", PublicAffected: "11.4.0 and earlier",
		DiscloseOn: "2026-02-20", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"})
	require.NoError(t, err)
	assert.Equal(t, StatusFixed, e.To)
	assert.Equal(t, "MMSA-2026-7", r.AdvisoryID)
	assert.Equal(t, "CVE-2026-12345", r.CVEID)
	assert.Equal(t, "XSS in channel headers", r.PublicTitle)
	assert.Equal(t, "2026-02-20", r.DiscloseOn)
	assert.Equal(t, "6.1 Medium", r.Severity().String(), "the severity is revisable")
	assert.Contains(t, e.Detail, "disclosure on 2026-02-20")

	// Empty fields keep what is there.
	_, err = Apply(r, ActionAdvisory, Triager("t"), Input{PublicSummary: "Revised."})
	require.NoError(t, err)
	assert.Equal(t, "XSS in channel headers", r.PublicTitle)
	assert.Equal(t, "Revised.", r.PublicSummary)
}

// Report 4 no longer asks for credit (a racing opt-out): it never gets a name.
func TestSetCreditTouchesOnlyTheGivenReports(t *testing.T) {
	u := &SecurityUpdates{Advisories: []PublicAdvisory{{ReportID: 1, Credit: "Ada"}, {ReportID: 2, Credit: "Bob"}, {ReportID: 3}, {ReportID: 4, Uncredited: true}}}
	tests := []struct {
		name    string
		ids     map[int]bool
		credit  string
		changed bool
		want    []string
	}{
		{"renamed", map[int]bool{1: true, 3: true, 4: true}, "Ada L.", true, []string{"Ada L.", "Bob", "Ada L.", ""}},
		{"the same again", map[int]bool{1: true, 3: true}, "Ada L.", false, []string{"Ada L.", "Bob", "Ada L.", ""}},
		{"opted out", map[int]bool{1: true, 3: true}, "", true, []string{"", "Bob", "", ""}},
		{"no reports", nil, "Zed", false, []string{"", "Bob", "", ""}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.changed, u.SetCredit(tt.ids, tt.credit), tt.name)
		var got []string
		for _, a := range u.Advisories {
			got = append(got, a.Credit)
		}
		assert.Equal(t, tt.want, got, tt.name)
	}
}
