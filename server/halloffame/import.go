package halloffame

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/pkg/errors"
)

// Limits of an import: the published list has a few dozen names; these leave
// room for decades of history while keeping the aggregate one small KV value.
const (
	MaxImportedEntries       = 1000
	MaxImportedContributions = 10000
)

// Import columns, as the CSV header and the JSON fields name them.
const (
	ImportName          = "name"
	ImportAffiliation   = "affiliation"
	ImportContributions = "contributions"
	ImportLatest        = "latest_contribution"
)

// ImportDateLayout is the date format of latest_contribution.
const ImportDateLayout = "2006-01-02"

// ImportError says what is wrong with an import and where. Its message is fit
// to show the admin.
type ImportError struct {
	// Line is the CSV line, or the JSON array index plus one; 0 when the error
	// is about the whole input.
	Line    int
	Message string
}

func (e *ImportError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("Line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// ParseCSV reads a historical list as CSV: a header naming the columns
// (name and contributions required; affiliation and latest_contribution
// optional; any order), then one researcher per line.
func ParseCSV(data []byte) ([]ImportedEntry, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a BOM from spreadsheet exports
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &ImportError{Message: "The import is empty: paste the CSV with its header line (" + strings.Join(importColumns, ",") + ")."}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // checked below, with a clearer message
	r.TrimLeadingSpace = true

	header, err := r.Read()
	if err != nil {
		return nil, csvError(err)
	}
	columns, err := importHeader(header)
	if err != nil {
		return nil, err
	}
	var entries []ImportedEntry
	var lines []int
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		if len(record) != len(header) {
			return nil, &ImportError{Line: line, Message: fmt.Sprintf("has %d fields, the header has %d.", len(record), len(header))}
		}
		if len(entries) == MaxImportedEntries {
			return nil, &ImportError{Message: fmt.Sprintf("An import holds at most %d entries.", MaxImportedEntries)}
		}
		raw := map[string]string{}
		for i, value := range record {
			raw[columns[i]] = value
		}
		e, msg := importEntry(raw[ImportName], raw[ImportAffiliation], raw[ImportContributions], raw[ImportLatest])
		if msg != "" {
			return nil, &ImportError{Line: line, Message: msg}
		}
		entries = append(entries, e)
		lines = append(lines, line)
	}
	return entries, checkDuplicates(entries, func(i int) int { return lines[i] })
}

var importColumns = []string{ImportName, ImportAffiliation, ImportContributions, ImportLatest}

// importHeader maps each column to its field, refusing unknown and repeated
// columns so a typo is not silently ignored.
func importHeader(header []string) ([]string, error) {
	seen := map[string]bool{}
	columns := make([]string, len(header))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range importColumns {
			known = known || c == name
		}
		if !known {
			return nil, &ImportError{Line: 1, Message: fmt.Sprintf("unknown column %q; the columns are %s.", h, strings.Join(importColumns, ", "))}
		}
		if seen[name] {
			return nil, &ImportError{Line: 1, Message: fmt.Sprintf("column %q appears twice.", name)}
		}
		seen[name] = true
		columns[i] = name
	}
	for _, required := range []string{ImportName, ImportContributions} {
		if !seen[required] {
			return nil, &ImportError{Line: 1, Message: fmt.Sprintf("the header must name the %q column (columns: %s).", required, strings.Join(importColumns, ", "))}
		}
	}
	return columns, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ImportError{Line: pe.Line, Message: report.Sentence(pe.Err.Error())}
	}
	return &ImportError{Message: "The CSV could not be read."}
}

// importJSONEntry is one element of a JSON import.
type importJSONEntry struct {
	Name          string `json:"name"`
	Affiliation   string `json:"affiliation"`
	Contributions *int   `json:"contributions"`
	Latest        string `json:"latest_contribution"`
}

// ParseJSON reads a historical list as a JSON array of objects with the
// fields name, affiliation, contributions and latest_contribution.
func ParseJSON(data []byte) ([]ImportedEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw []importJSONEntry
	if err := dec.Decode(&raw); err != nil {
		return nil, &ImportError{Message: "The JSON could not be read: it must be an array of objects with the fields " + strings.Join(importColumns, ", ") + " (" + err.Error() + ")."}
	}
	if dec.More() {
		return nil, &ImportError{Message: "The JSON must be a single array."}
	}
	if len(raw) > MaxImportedEntries {
		return nil, &ImportError{Message: fmt.Sprintf("An import holds at most %d entries.", MaxImportedEntries)}
	}
	entries := make([]ImportedEntry, 0, len(raw))
	for i, r := range raw {
		count := ""
		if r.Contributions != nil {
			count = strconv.Itoa(*r.Contributions)
		}
		e, msg := importEntry(r.Name, r.Affiliation, count, r.Latest)
		if msg != "" {
			return nil, &ImportError{Line: i + 1, Message: msg}
		}
		entries = append(entries, e)
	}
	return entries, checkDuplicates(entries, func(i int) int { return i + 1 })
}

// importEntry validates one line; the message says what is wrong with it.
func importEntry(name, affiliation, contributions, latest string) (ImportedEntry, string) {
	e := ImportedEntry{Name: strings.TrimSpace(name), Affiliation: strings.TrimSpace(affiliation)}
	if msg := report.CheckLine("name", e.Name, report.MaxDisplayNameRunes, true); msg != "" {
		return e, msg
	}
	if msg := report.CheckLine("affiliation", e.Affiliation, report.MaxAffiliationRunes, false); msg != "" {
		return e, msg
	}
	n, err := strconv.Atoi(strings.TrimSpace(contributions))
	if err != nil || n < 1 || n > MaxImportedContributions {
		return e, fmt.Sprintf("contributions must be a whole number from 1 to %d (it is %q).", MaxImportedContributions, contributions)
	}
	e.Contributions = n
	if latest = strings.TrimSpace(latest); latest != "" {
		day, err := time.Parse(ImportDateLayout, latest)
		if err != nil {
			return e, fmt.Sprintf("latest_contribution must be a date like 2025-06-01 (it is %q).", latest)
		}
		e.Latest = day
	}
	return e, ""
}

// checkDuplicates refuses two entries with the same name: links name imported
// entries, so a name must say which one.
func checkDuplicates(entries []ImportedEntry, line func(i int) int) error {
	first := map[string]int{}
	for i, e := range entries {
		key := NameKey(e.Name)
		if j, ok := first[key]; ok {
			return &ImportError{Line: line(i), Message: fmt.Sprintf("%q is listed twice (also on line %d); merge the two lines.", e.Name, line(j))}
		}
		first[key] = i
	}
	return nil
}
