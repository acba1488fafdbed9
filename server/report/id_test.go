package report

import (
	"errors"
	"testing"
)

func TestParseID(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"SEC-1", 1, true},
		{"sec-12", 12, true},
		{"Sec-999999999", 999999999, true},
		{"  SEC-42 ", 42, true},
		{"SEC-0", 0, false},
		{"SEC-007", 0, false},
		{"SEC--1", 0, false},
		{"SEC-+1", 0, false},
		{"SEC-1a", 0, false},
		{"SEC-1 2", 0, false},
		{"SEC-1234567890", 0, false},
		{"SEC-", 0, false},
		{"SEC", 0, false},
		{"12", 0, false},
		{"CVE-2026-1", 0, false},
		{"SEC-١٢", 0, false}, // Arabic-Indic digits are not ids
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseID(tt.in)
		if tt.ok {
			if err != nil || got != tt.want {
				t.Errorf("ParseID(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			continue
		}
		if !errors.Is(err, ErrBadID) {
			t.Errorf("ParseID(%q) = %d, %v; want ErrBadID", tt.in, got, err)
		}
	}
}

func TestFormatIDRoundTrip(t *testing.T) {
	for _, n := range []int{1, 9, 10, 12345, 999999999} {
		s := FormatID(n)
		got, err := ParseID(s)
		if err != nil || got != n {
			t.Errorf("ParseID(FormatID(%d) = %q) = %d, %v", n, s, got, err)
		}
	}
	if got := FormatID(7); got != "SEC-7" {
		t.Errorf("FormatID(7) = %q", got)
	}
}
