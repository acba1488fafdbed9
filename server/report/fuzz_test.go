package report

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Fuzz targets for the parsers of what researchers and triagers type: CVSS
// vectors, fixed-in versions, report ids and disclosure dates. Whatever a
// parser accepts must be well formed and read back the same when written out
// again, because the stored value is what every later page shows.

func FuzzScoreVector(f *testing.F) {
	for _, seed := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N",
		"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:W/RC:R/CR:H/IR:M/AR:L/MAV:A/MAC:H/MPR:L/MUI:R/MS:C/MC:L/MI:N/MA:H",
		" CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N\n",
		"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		score, err := ScoreVector(in)
		if err != nil {
			require.Equal(t, Score{}, score)
			msg := err.Error()
			require.NotEmpty(t, msg)
			require.NotContains(t, msg, "\n", "an error fits in a dialog field")
			return
		}
		require.Equal(t, strings.TrimSpace(in), score.Vector)
		require.True(t, strings.HasPrefix(score.Vector, VectorPrefix))
		require.LessOrEqual(t, len(score.Vector), MaxVectorLength)
		require.False(t, math.IsNaN(score.Base))
		require.GreaterOrEqual(t, score.Base, 0.0)
		require.LessOrEqual(t, score.Base, 10.0)
		require.Equal(t, score.Base, math.Round(score.Base*10)/10, "CVSS scores have one decimal")
		rating, err := RatingOf(score.Base)
		require.NoError(t, err)
		require.Equal(t, rating, score.Rating)
		again, err := ScoreVector(score.Vector)
		require.NoError(t, err, "the stored vector scores again")
		require.Equal(t, score, again)
	})
}

func FuzzParseFixedVersions(f *testing.F) {
	for _, seed := range []string{
		"11.5.1 (2026-02-10), 11.4.3",
		"v11.5.1; 11.4.3 (2026-02-11)\n10.11.9",
		"2.20.0.1",
		"11.5.1 (yesterday)",
		"11.5.1 (2026-02-10",
		"11.5.1 ((2026-02-10))",
		"11.5.1, 11.5.1",
		"11",
		", ;\n",
		strings.Repeat("1.1, ", 21),
		"11.5.1 (2026-02-30)",
		"V9.9.9 ( 2026-01-01 )",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		versions, err := ParseFixedVersions(in)
		if err != nil {
			require.Nil(t, versions)
			require.NotContains(t, err.Error(), "\n")
			return
		}
		require.NotEmpty(t, versions)
		require.LessOrEqual(t, len(versions), MaxFixedVersions)
		seen := map[string]bool{}
		for _, v := range versions {
			require.NoError(t, v.Validate())
			require.False(t, seen[v.Version], "%s twice", v.Version)
			seen[v.Version] = true
			if v.Released != "" {
				day, err := time.Parse(dateLayout, v.Released)
				require.NoError(t, err)
				require.Equal(t, v.Released, day.Format(dateLayout), "one spelling per date")
			}
		}
		again, err := ParseFixedVersions(FormatFixedVersions(versions))
		require.NoError(t, err, "the stored list reads back")
		require.Equal(t, versions, again)
	})
}

func FuzzParseID(f *testing.F) {
	for _, seed := range []string{"SEC-12", " sec-1 ", "SEC-012", "SEC-+1", "SEC-", "SEC-99999999999999999999", "SEC-1x", "SEC‐1", "SEC-١"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ParseID(in)
		if err != nil {
			require.Zero(t, n)
			return
		}
		require.Positive(t, n)
		require.True(t, strings.EqualFold(strings.TrimSpace(in), FormatID(n)), "each report has exactly one spelling, %q", in)
		again, err := ParseID(FormatID(n))
		require.NoError(t, err)
		require.Equal(t, n, again)
	})
}

// The disclosure date the team types goes through the fix or edit form
// (prepareAdvisory); the date the job discloses on is DisclosureDate.
func FuzzDisclosureDate(f *testing.F) {
	for _, seed := range []struct {
		discloseOn, released string
		delay                int
	}{
		{"2026-04-01", "", 30},
		{"", "2026-02-10", 30},
		{"", "2026-02-10", 0},
		{"2026-13-01", "2026-02-10", 30},
		{"2026-02-29", "", 30},
		{"tomorrow", "yesterday", 7},
		{" 2026-04-01 ", "2026-02-10", 365},
	} {
		f.Add(seed.discloseOn, seed.released, seed.delay)
	}
	f.Fuzz(func(t *testing.T, discloseOn, released string, delay int) {
		delay = ((delay % 366) + 366) % 366 // the setting's bounds: 0 to 365 days
		var c change
		err := c.prepareAdvisory(Input{DiscloseOn: discloseOn})
		r := &Report{FixedIn: []FixedVersion{{Version: "11.5.1", Released: released}}}
		if err == nil {
			c.advisory.apply(r)
			require.Equal(t, strings.TrimSpace(discloseOn), r.DiscloseOn)
		} else {
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, FieldDiscloseOn, ie.Field, "a bad date is refused at its field")
		}
		day, ok := r.DisclosureDate(delay)
		if !ok {
			require.Empty(t, r.DiscloseOn, "a date the form accepted is always a disclosure date")
			_, err := time.Parse(DateLayout, released)
			require.Error(t, err, "a parseable release date gives a disclosure date")
			return
		}
		require.Equal(t, time.UTC, day.Location())
		require.Equal(t, day, day.Truncate(24*time.Hour), "disclosures fall on whole UTC days")
		if r.DiscloseOn != "" {
			require.Equal(t, r.DiscloseOn, day.Format(DateLayout), "the team's date wins")
			return
		}
		rel, err := time.Parse(DateLayout, released)
		require.NoError(t, err)
		require.Equal(t, rel.AddDate(0, 0, delay), day)
	})
}
