package halloffame

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Fuzz targets for the historical list a system admin imports. Whatever is
// accepted is a list the aggregate can hold, and it reads back the same when
// written out again as CSV or as JSON, so exporting and re-importing a list
// never changes it.

func FuzzParseCSV(f *testing.F) {
	published, err := os.ReadFile("testdata/hall-of-fame-2026.csv")
	require.NoError(f, err)
	for _, seed := range []string{
		string(published),
		"\ufeffname,contributions\nAda,1\n",
		"contributions, Name ,LATEST_CONTRIBUTION\n3,\"Lovelace, Ada\",2025-06-01\n",
		"name,affiliation,contributions\n\"Q \"\"the\"\" Hacker\",from Example & Co,2\n",
		"name,contributions\nAda,1\nada ,2\n",
		"name,contributions\nAda,0\n",
		"name,contributions\nAda,1,extra\n",
		"name,name,contributions\n",
		"name,affiliation,contributions,latest_contribution\nAda,,1,2025-02-30\n",
		"name,contributions\n\"Ada\nLovelace\",1\n",
		"name,contributions\n\"unclosed,1\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseCSV(data)
		if err != nil {
			requireImportError(t, err)
			return
		}
		requireImportable(t, entries)
		again, err := ParseCSV(writeCSV(t, entries))
		require.NoError(t, err, "the list written as CSV imports again")
		require.Equal(t, orNil(entries), orNil(again))
		again, err = ParseJSON(writeJSON(t, entries))
		require.NoError(t, err, "the list written as JSON imports again")
		require.Equal(t, orNil(entries), orNil(again))
	})
}

func FuzzParseJSON(f *testing.F) {
	for _, seed := range []string{
		`[{"name":"Andreas Lindh","contributions":11,"latest_contribution":"2025-06-01"},{"name":"Yoni Ramon","affiliation":"from Tesla security team","contributions":7}]`,
		`[]`,
		`[{"name":" Ada ","contributions":1,"latest_contribution":""}]`,
		`[{"NAME":"Ada","Contributions":1}]`,
		`[{"name":"Ada","contributions":1,"admin":true}]`,
		`[{"name":"Ada","contributions":1.5}]`,
		`[{"name":"Ada"}]`,
		`[{"name":"Ada","contributions":1}] [1]`,
		`{"name":"Ada","contributions":1}`,
		`[{"name":"Ada\u0000","contributions":1}]`,
		`[{"name":"Ada","contributions":99999999999999999999}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseJSON(data)
		if err != nil {
			requireImportError(t, err)
			return
		}
		requireImportable(t, entries)
		again, err := ParseJSON(writeJSON(t, entries))
		require.NoError(t, err)
		require.Equal(t, orNil(entries), orNil(again))
		again, err = ParseCSV(writeCSV(t, entries))
		require.NoError(t, err)
		require.Equal(t, orNil(entries), orNil(again))
	})
}

// requireImportError checks that a refusal is an ImportError fit to show.
func requireImportError(t *testing.T, err error) {
	t.Helper()
	var ie *ImportError
	require.ErrorAs(t, err, &ie)
	require.NotEmpty(t, ie.Message)
	require.GreaterOrEqual(t, ie.Line, 0)
}

// requireImportable checks what the aggregate and the public pages rely on.
func requireImportable(t *testing.T, entries []ImportedEntry) {
	t.Helper()
	require.LessOrEqual(t, len(entries), MaxImportedEntries)
	names := map[string]bool{}
	for _, e := range entries {
		require.Equal(t, strings.TrimSpace(e.Name), e.Name)
		require.Empty(t, report.CheckLine("name", e.Name, report.MaxDisplayNameRunes, true))
		require.Empty(t, report.CheckLine("affiliation", e.Affiliation, report.MaxAffiliationRunes, false))
		require.GreaterOrEqual(t, e.Contributions, 1)
		require.LessOrEqual(t, e.Contributions, MaxImportedContributions)
		if !e.Latest.IsZero() {
			require.Equal(t, time.UTC, e.Latest.Location())
			require.Equal(t, e.Latest, e.Latest.Truncate(24*time.Hour), "a latest contribution is a day")
		}
		require.False(t, names[NameKey(e.Name)], "%q twice", e.Name)
		names[NameKey(e.Name)] = true
	}
}

func writeCSV(t *testing.T, entries []ImportedEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.Write(importColumns))
	for _, e := range entries {
		require.NoError(t, w.Write([]string{e.Name, e.Affiliation, strconv.Itoa(e.Contributions), latestText(e)}))
	}
	w.Flush()
	require.NoError(t, w.Error())
	return buf.Bytes()
}

func writeJSON(t *testing.T, entries []ImportedEntry) []byte {
	t.Helper()
	out := make([]importJSONEntry, 0, len(entries))
	for _, e := range entries {
		n := e.Contributions
		out = append(out, importJSONEntry{Name: e.Name, Affiliation: e.Affiliation, Contributions: &n, Latest: latestText(e)})
	}
	data, err := json.Marshal(out)
	require.NoError(t, err)
	return data
}

func latestText(e ImportedEntry) string {
	if e.Latest.IsZero() {
		return ""
	}
	return e.Latest.Format(ImportDateLayout)
}

// orNil makes an empty list nil: ParseCSV and ParseJSON differ there, and an
// empty import means the same either way.
func orNil(entries []ImportedEntry) []ImportedEntry {
	if len(entries) == 0 {
		return nil
	}
	return entries
}
