package report

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseFixedVersions(t *testing.T) {
	tests := []struct {
		in     string
		want   []FixedVersion
		errHas string
	}{
		{in: "11.5.1, 11.4.3", want: []FixedVersion{{Version: "11.5.1"}, {Version: "11.4.3"}}},
		{in: "11.5.1 (2026-02-10)", want: []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}},
		{in: "11.5.1 (2026-02-10), 11.4.3; 10.11.9 ( 2026-02-11 )\n2.20.0.1", want: []FixedVersion{
			{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3"},
			{Version: "10.11.9", Released: "2026-02-11"}, {Version: "2.20.0.1"},
		}},
		{in: "v11.5.1,", want: []FixedVersion{{Version: "11.5.1"}}},
		{in: "11.5(2026-01-31)", want: []FixedVersion{{Version: "11.5", Released: "2026-01-31"}}},
		{in: "", errHas: "at least one fixed version"},
		{in: " , ,", errHas: "at least one fixed version"},
		{in: "eleven", errHas: `"eleven": a version is written like 11.5.1`},
		{in: "11", errHas: "a version is written like 11.5.1"},
		{in: "11.5.1.2.3", errHas: "a version is written like 11.5.1"},
		{in: "11.5.1 (2026-02-30)", errHas: "a release date is written like 2026-02-10"},
		{in: "11.5.1 (Feb 10)", errHas: "a release date is written like 2026-02-10"},
		{in: "11.5.1 (2026-02-10", errHas: "in parentheses after the version"},
		{in: "11.5.1 (2026-02-10) extra", errHas: "in parentheses after the version"},
		{in: "11.5.1, 11.5.1 (2026-02-10)", errHas: "listed twice"},
	}
	for _, tt := range tests {
		got, err := ParseFixedVersions(tt.in)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("ParseFixedVersions(%q) error = %v, want one containing %q", tt.in, err, tt.errHas)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFixedVersions(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseFixedVersionsLimit(t *testing.T) {
	var items []string
	for i := 0; i <= MaxFixedVersions; i++ {
		items = append(items, "11.1."+strconv.Itoa(i))
	}
	if _, err := ParseFixedVersions(strings.Join(items, ",")); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("%d versions accepted: %v", len(items), err)
	}
	if _, err := ParseFixedVersions(strings.Join(items[:MaxFixedVersions], ",")); err != nil {
		t.Fatalf("%d versions refused: %v", MaxFixedVersions, err)
	}
}

func TestFormatFixedVersionsRoundTrip(t *testing.T) {
	in := []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3"}}
	s := FormatFixedVersions(in)
	if s != "11.5.1 (2026-02-10), 11.4.3" {
		t.Fatalf("FormatFixedVersions = %q", s)
	}
	back, err := ParseFixedVersions(s)
	if err != nil || !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip = %v, %v", back, err)
	}
}
