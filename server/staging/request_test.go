package staging

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 5, 4, 15, 30, 0, 0, time.UTC)

func TestParseDraft(t *testing.T) {
	valid := Draft{What: "Load test the websocket hub", Why: "It may exhaust connections", Start: "2026-05-04", End: "2026-05-10", RulesAccepted: true}
	tests := []struct {
		name   string
		mutate func(*Draft)
		fields []string
	}{
		{"valid, starting today", func(*Draft) {}, nil},
		{"missing text", func(d *Draft) { d.What, d.Why = " ", "" }, []string{FieldWhat, FieldWhy}},
		{"too long", func(d *Draft) { d.What = strings.Repeat("x", MaxTextRunes+1) }, []string{FieldWhat}},
		{"bad dates", func(d *Draft) { d.Start, d.End = "tomorrow", "5/10/2026" }, []string{FieldStart, FieldEnd}},
		{"starts in the past", func(d *Draft) { d.Start = "2026-05-03" }, []string{FieldStart}},
		{"ends before it starts", func(d *Draft) { d.End = "2026-05-01" }, []string{FieldEnd}},
		{"15 days is one too many", func(d *Draft) { d.End = "2026-05-18" }, []string{FieldEnd}},
		{"14 days is fine", func(d *Draft) { d.End = "2026-05-17" }, nil},
		{"rules not accepted", func(d *Draft) { d.RulesAccepted = false }, []string{FieldRules}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := valid
			tt.mutate(&d)
			r, errs := ParseDraft(d, 14, now)
			if tt.fields == nil {
				require.Empty(t, errs)
				assert.Equal(t, StatusPending, r.Status)
				return
			}
			assert.Nil(t, r)
			for _, f := range tt.fields {
				assert.Contains(t, errs, f)
			}
			assert.Len(t, errs, len(tt.fields))
		})
	}
}

func TestParseDetails(t *testing.T) {
	_, errs := ParseDetails("https://staging-7.example.com", "user: ada / password in 1Password")
	assert.Empty(t, errs)
	_, errs = ParseDetails("ftp://x", "")
	assert.Contains(t, errs, FieldURL)
	assert.Contains(t, errs, FieldCredentials)
}

func TestFormatID(t *testing.T) {
	assert.Equal(t, "STG-12", FormatID(12))
}

func TestParseGrant(t *testing.T) {
	tests := []struct {
		start, end string
		wantEnd    time.Time
		field      string
	}{
		{"2026-05-04", "2026-05-10", time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC), ""},
		{"2026-05-04", "2026-05-04 16:00", time.Date(2026, 5, 4, 16, 0, 0, 0, time.UTC), ""},
		{"2026-05-04", "2026-05-04 15:00", time.Time{}, FieldEnd}, // already over
		{"2026-05-04", "2026-05-18", time.Time{}, FieldEnd},       // 15 days
		{"2026-05-04", "soon", time.Time{}, FieldEnd},
		{"May 4", "2026-05-10", time.Time{}, FieldStart},
		{"2026-05-09", "2026-05-08", time.Time{}, FieldEnd},
	}
	for _, tt := range tests {
		t.Run(tt.start+" "+tt.end, func(t *testing.T) {
			_, end, errs := ParseGrant(tt.start, tt.end, 14, now)
			if tt.field != "" {
				assert.Contains(t, errs, tt.field)
				return
			}
			require.Empty(t, errs)
			assert.Equal(t, tt.wantEnd, end)
		})
	}
}
