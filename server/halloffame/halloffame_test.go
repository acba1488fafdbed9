package halloffame

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(s string) time.Time {
	d, err := time.Parse(ImportDateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

func lines(entries []Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Line()
	}
	return out
}

func TestHallEntryLine(t *testing.T) {
	tests := []struct {
		entry Entry
		want  string
	}{
		{Entry{Name: "Andreas Lindh", Contributions: 11}, "Andreas Lindh (11 contributions)"},
		{Entry{Name: "Yoni Ramon", Affiliation: "from Tesla security team", Contributions: 7}, "Yoni Ramon from Tesla security team (7 contributions)"},
		{Entry{Name: "Jim Hebert", Affiliation: "of Fitbit Security", Contributions: 1}, "Jim Hebert of Fitbit Security"},
		{Entry{Name: "Bastian Ike", Contributions: 2}, "Bastian Ike (2 contributions)"},
		{Entry{Name: "Paddy Steed", Contributions: 1}, "Paddy Steed"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.entry.Line())
	}
}

func TestRankHall(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		want    []string
	}{
		{
			name: "more contributions first, whatever the dates",
			entries: []Entry{
				{Name: "A", Contributions: 1, Latest: day("2026-01-01")},
				{Name: "B", Contributions: 3, Latest: day("2020-01-01")},
				{Name: "C", Contributions: 2},
			},
			want: []string{"B", "C", "A"},
		},
		{
			name: "equal counts: the more recent latest contribution first",
			entries: []Entry{
				{Name: "Old", Contributions: 2, Latest: day("2024-01-01")},
				{Name: "New", Contributions: 2, Latest: day("2025-06-01")},
				{Name: "Undated", Contributions: 2},
			},
			want: []string{"New", "Old", "Undated"},
		},
		{
			name: "same day: by name, case-insensitively; the time of day does not count",
			entries: []Entry{
				{Name: "carol", Contributions: 1, Latest: day("2025-06-01").Add(23 * time.Hour)},
				{Name: "Bob", Contributions: 1, Latest: day("2025-06-01").Add(time.Hour)},
				{Name: "alice", Contributions: 1, Latest: day("2025-06-01").Add(12 * time.Hour)},
			},
			want: []string{"alice", "Bob", "carol"},
		},
		{
			name: "full tie: affiliation decides, so the order never depends on input order",
			entries: []Entry{
				{Name: "Sam", Affiliation: "of Zeta", Contributions: 1},
				{Name: "Sam", Affiliation: "of Alpha", Contributions: 1},
			},
			want: []string{"Sam of Alpha", "Sam of Zeta"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, reversed := range []bool{false, true} {
				entries := append([]Entry(nil), tt.entries...)
				if reversed {
					for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
						entries[i], entries[j] = entries[j], entries[i]
					}
				}
				Rank(entries)
				var got []string
				for _, e := range entries {
					got = append(got, e.Credit())
				}
				assert.Equal(t, tt.want, got, "reversed input: %v", reversed)
			}
		})
	}
}

var (
	ada   = &report.CreditProfile{UserID: "ada", DisplayName: "Ada", Affiliation: "from Example"}
	bob   = &report.CreditProfile{UserID: "bob", DisplayName: "Bob"}
	t2025 = day("2025-06-01").Add(10 * time.Hour)
	t2026 = day("2026-03-02").Add(10 * time.Hour)
)

// step is one change to the aggregate in a scenario.
type step func(h *Aggregate)

func contribution(user string, id int, at time.Time, credited bool, p *report.CreditProfile) step {
	return func(h *Aggregate) { h.SetContribution(user, id, at, credited, p) }
}

func profile(user string, p *report.CreditProfile) step {
	return func(h *Aggregate) { h.SetProfile(user, p) }
}

func TestHallOfFameEntries(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		want  []string
	}{
		{name: "empty", want: []string{}},
		{
			name:  "a credited disclosure lists the researcher with their affiliation",
			steps: []step{contribution("ada", 1, t2025, true, ada)},
			want:  []string{"Ada from Example"},
		},
		{
			name:  "a disclosure without credit lists nobody",
			steps: []step{contribution("ada", 1, t2025, false, ada)},
			want:  []string{},
		},
		{
			name:  "a researcher who never gave a name is not listed",
			steps: []step{contribution("ada", 1, t2025, true, nil)},
			want:  []string{},
		},
		{
			name: "counts add up and the same report counts once",
			steps: []step{
				contribution("ada", 1, t2025, true, ada),
				contribution("ada", 2, t2026, true, ada),
				contribution("ada", 2, t2026, true, ada),
				contribution("bob", 3, t2026, true, bob),
			},
			want: []string{"Ada from Example (2 contributions)", "Bob"},
		},
		{
			name: "ties: the more recent latest contribution first",
			steps: []step{
				contribution("ada", 1, t2025, true, ada),
				contribution("bob", 2, t2026, true, bob),
			},
			want: []string{"Bob", "Ada from Example"},
		},
		{
			name: "opting out of one report takes one contribution away",
			steps: []step{
				contribution("ada", 1, t2025, true, ada),
				contribution("ada", 2, t2026, true, ada),
				contribution("ada", 2, t2026, false, ada),
			},
			want: []string{"Ada from Example"},
		},
		{
			name: "opting out of the last report removes the entry",
			steps: []step{
				contribution("ada", 1, t2025, true, ada),
				contribution("ada", 1, t2025, false, ada),
			},
			want: []string{},
		},
		{
			name: "a profile saved without a name removes the researcher at once",
			steps: []step{
				contribution("ada", 1, t2025, true, ada),
				contribution("bob", 2, t2025, true, bob),
				profile("ada", &report.CreditProfile{UserID: "ada"}),
			},
			want: []string{"Bob"},
		},
		{
			name: "a new name shows at once, and opting in again brings the entry back",
			steps: []step{
				contribution("ada", 1, t2025, true, ada),
				profile("ada", &report.CreditProfile{UserID: "ada"}),
				profile("ada", &report.CreditProfile{UserID: "ada", DisplayName: "Ada L."}),
			},
			want: []string{"Ada L."},
		},
		{
			name:  "a profile change of someone not listed adds nobody",
			steps: []step{profile("carol", &report.CreditProfile{UserID: "carol", DisplayName: "Carol"})},
			want:  []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &Aggregate{}
			for _, s := range tt.steps {
				s(h)
			}
			assert.Equal(t, tt.want, lines(h.Entries()))
		})
	}
}

func TestSetContributionReportsChanges(t *testing.T) {
	h := &Aggregate{}
	assert.False(t, h.SetContribution("ada", 1, t2025, false, ada), "an uncredited report of someone absent changes nothing")
	assert.True(t, h.SetContribution("ada", 1, t2025, true, ada))
	assert.False(t, h.SetContribution("ada", 1, t2025, true, ada), "syncing again changes nothing")
	assert.True(t, h.SetContribution("ada", 1, t2025, true, bob), "a profile change is a change")
	assert.True(t, h.SetContribution("ada", 1, t2025, false, bob))
	assert.Empty(t, h.Researchers, "a researcher with nothing left is dropped from the aggregate")
}

func publishedList(t *testing.T) []ImportedEntry {
	t.Helper()
	data, err := os.ReadFile("testdata/hall-of-fame-2026.csv")
	require.NoError(t, err)
	entries, err := ParseCSV(data)
	require.NoError(t, err)
	require.Len(t, entries, 17)
	return entries
}

// The list as published with the policy, in its published order.
var published = []string{
	"Andreas Lindh (11 contributions)",
	"Yoni Ramon from Tesla security team (7 contributions)",
	"Uchida Taishi (3 contributions)",
	"Bastian Ike (2 contributions)",
	"Harrison Healey (2 contributions)",
	"Jim Hebert of Fitbit Security",
	"Luke Arntson",
	"Florian Orben",
	"Paddy Steed",
	"Ashish Pathak",
	"Mohammad Razavi",
	"Steve MacQuiddy from Tesla",
	"Christer Mjellem Strand",
	"Jonas Arneberg",
	"Ashley Hull",
	"Kolja Lampe",
	"Alyssa Milburn",
}

func TestImportReproducesThePublishedOrder(t *testing.T) {
	entries := publishedList(t)
	// The plugin ranks: the order of the lines does not matter.
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	h := &Aggregate{}
	h.Import(entries)
	assert.Equal(t, published, lines(h.Entries()))
}

func TestImportAndEarnedMergeThroughLink(t *testing.T) {
	h := &Aggregate{}
	h.Import(publishedList(t))
	bastian := &report.CreditProfile{UserID: "u-bastian", DisplayName: "Bastian Ike"}
	newcomer := &report.CreditProfile{UserID: "u-new", DisplayName: "Nina Newcomer", Affiliation: "of Example Labs"}

	// Unlinked, the earned contribution is a separate entry under the same name.
	h.SetContribution("u-bastian", 7, t2026, true, bastian)
	got := lines(h.Entries())
	assert.Contains(t, got, "Bastian Ike (2 contributions)")
	assert.Contains(t, got, "Bastian Ike")

	changed, err := h.Link("  bastian   IKE ", "u-bastian", bastian)
	require.NoError(t, err, "names match whatever the case and spacing")
	assert.True(t, changed)
	h.SetContribution("u-new", 8, t2026, true, newcomer)

	want := []string{
		"Andreas Lindh (11 contributions)",
		"Yoni Ramon from Tesla security team (7 contributions)",
		// 3 contributions like Uchida Taishi, but the latest is more recent.
		"Bastian Ike (3 contributions)",
		"Uchida Taishi (3 contributions)",
		"Harrison Healey (2 contributions)",
		// One contribution, the most recent of all the single ones.
		"Nina Newcomer of Example Labs",
		"Jim Hebert of Fitbit Security",
		"Luke Arntson", "Florian Orben", "Paddy Steed", "Ashish Pathak", "Mohammad Razavi",
		"Steve MacQuiddy from Tesla", "Christer Mjellem Strand", "Jonas Arneberg", "Ashley Hull",
		"Kolja Lampe", "Alyssa Milburn",
	}
	assert.Equal(t, want, lines(h.Entries()))

	// The linked user's profile name replaces the imported one.
	h.SetProfile("u-bastian", &report.CreditProfile{UserID: "u-bastian", DisplayName: "B. Ike", Affiliation: "of Example"})
	assert.Equal(t, "B. Ike of Example (3 contributions)", h.Entries()[2].Line())

	// Opting out hides the merged entry, imported history included.
	h.SetProfile("u-bastian", &report.CreditProfile{UserID: "u-bastian"})
	for _, l := range lines(h.Entries()) {
		assert.NotContains(t, l, "Ike")
	}

	// Unlinking separates them again; the opted-out researcher stays hidden.
	name, err := h.Unlink("", "u-bastian")
	require.NoError(t, err)
	assert.Equal(t, "Bastian Ike", name)
	assert.Equal(t, "Bastian Ike (2 contributions)", h.Entries()[3].Line())
}

func TestLinkRules(t *testing.T) {
	h := &Aggregate{}
	h.Import(publishedList(t))
	_, err := h.Link("Nobody", "u1", nil)
	assertLinkProblem(t, err, LinkNoSuchEntry)

	changed, err := h.Link("Paddy Steed", "u1", nil)
	require.NoError(t, err)
	assert.True(t, changed)
	changed, err = h.Link("paddy steed", "u1", nil)
	require.NoError(t, err, "linking the same pair again is fine")
	assert.False(t, changed)

	_, err = h.Link("Paddy Steed", "u2", nil)
	assertLinkProblem(t, err, LinkEntryTaken)
	_, err = h.Link("Ashley Hull", "u1", nil)
	assertLinkProblem(t, err, LinkUserTaken)

	// A linked user without a profile keeps the imported name.
	assert.Contains(t, lines(h.Entries()), "Paddy Steed")

	_, err = h.Unlink("Ashley Hull", "")
	assertLinkProblem(t, err, LinkEntryNotLinked)
	_, err = h.Unlink("", "u2")
	assertLinkProblem(t, err, LinkUserNotLinked)
	name, err := h.Unlink("PADDY STEED", "")
	require.NoError(t, err)
	assert.Equal(t, "Paddy Steed", name)
	assert.Empty(t, h.Researchers, "an unlinked user with nothing earned leaves the aggregate")
}

func assertLinkProblem(t *testing.T, err error, want LinkProblem) {
	t.Helper()
	var le *LinkError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, want, le.Problem, le.Error())
}

func TestImportReplacesAndKeepsLinksToNamesStillListed(t *testing.T) {
	h := &Aggregate{}
	h.Import(publishedList(t))
	_, err := h.Link("Bastian Ike", "u-bastian", nil)
	require.NoError(t, err)
	_, err = h.Link("Kolja Lampe", "u-kolja", nil)
	require.NoError(t, err)
	h.SetContribution("u-bastian", 1, t2026, true, &report.CreditProfile{DisplayName: "Bastian Ike"})

	dropped := h.Import([]ImportedEntry{
		{Name: "bastian ike", Contributions: 5, Latest: day("2025-01-01")},
		{Name: "Someone New", Contributions: 1},
	})
	assert.Equal(t, []string{"Kolja Lampe"}, dropped, "the link to a name no longer listed is dropped, named as it was imported")
	assert.Equal(t, []string{"Bastian Ike (6 contributions)", "Someone New"}, lines(h.Entries()))
	assert.NotContains(t, h.Researchers, "u-kolja")
}

func TestParseHallCSV(t *testing.T) {
	t.Run("columns in any order, quoted commas, BOM, blank lines, no dates", func(t *testing.T) {
		data := "\ufeffcontributions, name ,affiliation\r\n3,\"Doe, Jane\",\"from \"\"Quoted\"\" Corp\"\n\n1,Sam,\n"
		entries, err := ParseCSV([]byte(data))
		require.NoError(t, err)
		assert.Equal(t, []ImportedEntry{
			{Name: "Doe, Jane", Affiliation: `from "Quoted" Corp`, Contributions: 3},
			{Name: "Sam", Contributions: 1},
		}, entries)
	})
	t.Run("a header alone imports an empty list", func(t *testing.T) {
		entries, err := ParseCSV([]byte("name,contributions\n"))
		require.NoError(t, err)
		assert.Empty(t, entries)
	})

	tests := []struct {
		name string
		csv  string
		want string
	}{
		{"empty", "  \n", "The import is empty"},
		{"unknown column", "name,contribs\nA,1\n", `Line 1: unknown column "contribs"`},
		{"column twice", "name,name,contributions\n", `Line 1: column "name" appears twice`},
		{"no contributions column", "name,affiliation\nA,of B\n", `must name the "contributions" column`},
		{"missing name", "name,contributions\n,2\n", "Line 2: Fill in the name."},
		{"zero contributions", "name,contributions\nA,0\n", "Line 2: contributions must be a whole number from 1 to 10000"},
		{"fractional contributions", "name,contributions\nA,1.5\n", "Line 2: contributions must be a whole number"},
		{"bad date", "name,contributions,latest_contribution\nA,1,01/06/2025\n", "Line 2: latest_contribution must be a date like 2025-06-01"},
		{"wrong field count", "name,contributions\nA,1\nB\n", "Line 3: has 1 fields, the header has 2."},
		{"duplicate after a blank line", "name,contributions\nJane Doe,1\n\njane  doe,2\n", `Line 4: "jane  doe" is listed twice (also on line 2)`},
		{"bad quoting", "name,contributions\n\"A,1\n", "Line 2"},
		{"name too long", "name,contributions\n" + strings.Repeat("x", 65) + ",1\n", "at most 64 characters"},
		{"control character", "name,contributions\n\"A\x07\",1\n", "control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV([]byte(tt.csv))
			var ie *ImportError
			require.ErrorAs(t, err, &ie)
			assert.Contains(t, ie.Error(), tt.want)
		})
	}
}

func TestParseHallJSON(t *testing.T) {
	entries, err := ParseJSON([]byte(`[
		{"name": "Andreas Lindh", "contributions": 11, "latest_contribution": "2025-06-01"},
		{"name": "Yoni Ramon", "affiliation": "from Tesla security team", "contributions": 7}
	]`))
	require.NoError(t, err)
	assert.Equal(t, []ImportedEntry{
		{Name: "Andreas Lindh", Contributions: 11, Latest: day("2025-06-01")},
		{Name: "Yoni Ramon", Affiliation: "from Tesla security team", Contributions: 7},
	}, entries)

	tests := []struct {
		name, json, want string
	}{
		{"not an array", `{"entries": []}`, "must be an array"},
		{"unknown field", `[{"name": "A", "contributions": 1, "user_id": "x"}]`, "unknown field"},
		{"missing count", `[{"name": "A"}]`, "Line 1: contributions must be a whole number"},
		{"duplicate", `[{"name": "A", "contributions": 1}, {"name": "a", "contributions": 2}]`, `Line 2: "a" is listed twice (also on line 1)`},
		{"trailing data", `[] []`, "single array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(tt.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
