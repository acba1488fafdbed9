package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReadsNumbersStoredAsNumbersOrText(t *testing.T) {
	// Issue 20 turns the numeric settings into "number" fields, which the server
	// stores as JSON numbers; values saved before stay text.
	tests := []struct {
		name  string
		value any
		want  int
	}{
		{"text", "7", 7},
		{"text with spaces", " 7 ", 7},
		{"JSON number", float64(7), 7},
		{"json.Number", json.Number("7"), 7},
		{"Go int", 7, 7},
		{"Go int64", int64(7), 7},
		{"Go float32", float32(7), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, problems := Parse(map[string]any{"maxreportsperday": tt.value, "stagingmaxdays": tt.value, "stagingmaxopen": tt.value, "disclosuredelaydays": tt.value})
			require.Empty(t, problems)
			assert.Equal(t, tt.want, s.Intake.MaxReportsPerDay)
			assert.Equal(t, Staging{MaxDays: tt.want, MaxOpen: tt.want}, s.Staging)
			assert.Equal(t, tt.want, s.Disclosure.DelayDays)
		})
	}

	refused := []struct {
		name   string
		value  any
		reason string
	}{
		{"fractional JSON number", 2.5, `"2.5" must be a whole number`},
		{"fractional text", "2.5", `"2.5" must be a whole number`},
		{"negative JSON number", float64(-1), `"-1" must be at least 1`},
		{"huge JSON number", 1e21, `"1000000000000000000000" must be a whole number`},
		{"a list", []any{1}, "holds a []interface {}"},
		{"an object", map[string]any{"n": 1}, "holds a map[string]interface {}"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Parse(map[string]any{"maxreportsperday": tt.value})
			require.Len(t, problems, 1)
			assert.Equal(t, "Max reports per researcher per day", problems[0].Setting)
			assert.Contains(t, problems[0].Reason, tt.reason)
		})
	}
}

func TestParseReadsBoolsStoredAsBoolsOrText(t *testing.T) {
	for _, v := range []any{false, "false", " FALSE ", "0"} {
		s, problems := Parse(map[string]any{"enablehalloffame": v, "enablesecurityupdates": v})
		require.Empty(t, problems, "%#v", v)
		assert.False(t, s.Public.HallOfFame, "%#v", v)
		assert.False(t, s.Disclosure.SecurityUpdates, "%#v", v)
	}
	_, problems := Parse(map[string]any{"showassigneetoreporter": "sometimes"})
	require.Len(t, problems, 1)
	assert.Equal(t, Problem{Setting: "Show assignee to reporters", Reason: `"sometimes" is not true or false`, keys: []string{"ShowAssigneeToReporter"}}, problems[0])
}

func TestParseBounds(t *testing.T) {
	products := func(n, runes int) string {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf("%0*d", runes, i)
		}
		return strings.Join(items, ",")
	}
	list := func(item string, n int) string { return strings.TrimSuffix(strings.Repeat(item+",", n), ",") }
	languages := func(n int) string { // distinct tags: a, b, c, ...
		tags := make([]string, n)
		for i := range tags {
			tags[i] = string(rune('a' + i))
		}
		return strings.Join(tags, ", ")
	}
	tests := []struct {
		key    string
		value  any
		reason string // "" when accepted
	}{
		{"MaxReportsPerDay", "1", ""},
		{"MaxReportsPerDay", "0", "must be at least 1"},
		{"StagingMaxDays", "90", ""},
		{"StagingMaxDays", float64(91), "91 is more than 90 days"},
		{"StagingMaxOpen", "1", ""},
		{"StagingMaxOpen", "0", "must be at least 1"},
		{"DisclosureDelayDays", "0", ""},
		{"DisclosureDelayDays", float64(365), ""},
		{"DisclosureDelayDays", "366", "from 0 to 365"},
		{"JobInterval", "10s", ""},
		{"JobInterval", "9s", "shorter than the minimum of 10s"},
		{"AutoClose", "1d", ""},
		{"AutoClose", "0d", "at least 1"},
		{"Products", products(40, 3), ""},
		{"Products", products(41, 3), "lists 41 products; at most 40"},
		{"Products", products(1, 60), ""},
		{"Products", products(1, 61), "longer than 60 characters"},
		{"SecurityTxtLanguages", languages(20), ""},
		{"SecurityTxtLanguages", languages(21), "at most 20"},
		{"SecurityTxtCanonical", list("https://a.example/s.txt", 10), ""},
		{"SecurityTxtCanonical", list("https://a.example/s.txt", 11), "at most 10"},
		{"ChannelName", strings.Repeat("a", 64), ""},
		{"ChannelName", strings.Repeat("a", 65), "is not a valid channel name"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%.20v", tt.key, tt.value), func(t *testing.T) {
			_, problems := Parse(map[string]any{tt.key: tt.value})
			if tt.reason == "" {
				assert.Empty(t, problems)
				return
			}
			require.Len(t, problems, 1, "%v", problems)
			assert.Contains(t, problems[0].Reason, tt.reason)
		})
	}
}

func TestParseBlankValues(t *testing.T) {
	d := Defaults()
	tests := []struct {
		name  string
		raw   map[string]any
		check func(t *testing.T, s Settings)
	}{
		{"missing: the default", map[string]any{}, func(t *testing.T, s Settings) {
			assert.Equal(t, d, s)
		}},
		{"null: the default", map[string]any{"stagingmaxdays": nil, "policytext": nil}, func(t *testing.T, s Settings) {
			assert.Equal(t, 14, s.Staging.MaxDays)
			assert.Equal(t, d.Public.Policy, s.Public.Policy)
		}},
		{"empty: the default", map[string]any{"stagingmaxdays": " ", "autoclose": "", "businesstimezone": "", "products": ",, ,"}, func(t *testing.T, s Settings) {
			assert.Equal(t, 14, s.Staging.MaxDays)
			assert.Equal(t, "30d", s.Clocks.AutoClose.String())
			assert.Equal(t, time.UTC, s.Clocks.Zone)
			assert.Equal(t, d.Intake.Products, s.Intake.Products)
		}},
		// The help texts say an empty policy and an empty language list mean
		// none, so there empty is a value of its own.
		{"empty policy: none", map[string]any{"policytext": ""}, func(t *testing.T, s Settings) {
			assert.Empty(t, s.Public.Policy)
		}},
		{"empty languages: none", map[string]any{"securitytxtlanguages": " "}, func(t *testing.T, s Settings) {
			assert.Empty(t, s.Public.SecurityTxt.Languages)
		}},
		{"empty key: none", map[string]any{"pgppublickey": "\n"}, func(t *testing.T, s Settings) {
			assert.Nil(t, s.Public.PGPKey)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, problems := Parse(tt.raw)
			require.Empty(t, problems)
			tt.check(t, s)
		})
	}
}

func TestParseReplacesWhatDoesNotParseByItsDefault(t *testing.T) {
	public, _ := testKeys(t)
	s, problems := Parse(map[string]any{
		"channelname": "Not Valid", "stagingmaxdays": "120", "pgppublickey": public,
		"osvecosystem": "Go", "osvpackage": "", "triagetarget": "36h",
	})
	require.Len(t, problems, 3, "%v", problems)
	assert.Equal(t, "Triage channel name", problems[0].Setting)
	assert.Equal(t, "Staging window, max days", problems[1].Setting)
	assert.Equal(t, "OSV package name", problems[2].Setting)
	assert.Contains(t, problems[2].Reason, "together")

	assert.Equal(t, "security-reports", s.Triage.Channel)
	assert.Equal(t, 14, s.Staging.MaxDays)
	assert.Equal(t, OSVPackage{}, s.Disclosure.OSV, "half a package falls back to none, both parts")
	// What parses is kept.
	require.NotNil(t, s.Public.PGPKey)
	assert.Equal(t, strings.TrimSpace(public), s.Public.PGPKey.Armored)
	assert.Equal(t, "36h", s.Clocks.Triage.String())
}

func TestParseOSVPackage(t *testing.T) {
	s, problems := Parse(map[string]any{"osvecosystem": " Go ", "osvpackage": "github.com/mattermost/mattermost/server/v8"})
	require.Empty(t, problems)
	assert.Equal(t, OSVPackage{Ecosystem: "Go", Name: "github.com/mattermost/mattermost/server/v8"}, s.Disclosure.OSV)

	_, problems = Parse(map[string]any{"osvecosystem": "Go", "osvpackage": "a b"})
	require.Len(t, problems, 1)
	assert.Equal(t, Problem{Setting: "OSV package name", Reason: "the ecosystem and the package name contain no spaces", keys: []string{"OSVEcosystem", "OSVPackage"}}, problems[0])
}

func TestValidateJudgesACrossCheckWhenEitherSettingChanged(t *testing.T) {
	prev := map[string]any{"osvecosystem": "Go", "osvpackage": ""} // saved before the check existed
	assert.Empty(t, Validate(prev, map[string]any{"osvecosystem": "Go", "osvpackage": "", "channelname": "other"}, teams()))
	problems := Validate(prev, map[string]any{"osvecosystem": "npm", "osvpackage": ""}, teams())
	require.Len(t, problems, 1)
	assert.Equal(t, "OSV package name", problems[0].Setting)
}

func TestValidateSeesAChangeOfStoredTypeAsAChange(t *testing.T) {
	// The one test of "changed" compares raw values: "10" and 10 differ, so
	// the value is judged, and parses.
	var looked []string
	exists := func(name string) (bool, error) { looked = append(looked, name); return true, nil }
	prev := map[string]any{"teamname": "security", "maxreportsperday": "10"}
	assert.Empty(t, Validate(prev, map[string]any{"teamname": "security", "maxreportsperday": float64(10)}, exists))
	assert.Empty(t, looked, "the unchanged team is not looked up")
}

func TestValidateSkipsTheTeamLookupWhenTheTeamDoesNotParse(t *testing.T) {
	problems := Validate(nil, map[string]any{"teamname": []any{"security"}}, func(string) (bool, error) {
		t.Fatal("looked up a team that did not parse")
		return false, nil
	})
	require.Len(t, problems, 1)
	assert.Equal(t, "Triage team", problems[0].Setting)
}
