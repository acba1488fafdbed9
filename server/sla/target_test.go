package sla

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in     string
		days   int           // when a day target
		wall   time.Duration // when a wall-clock target
		canon  string
		label  string
		length time.Duration
	}{
		{in: "2d", days: 2, canon: "2d", label: "2 business days", length: 48 * time.Hour},
		{in: "1d", days: 1, canon: "1d", label: "1 business day", length: 24 * time.Hour},
		{in: "36h", wall: 36 * time.Hour, canon: "36h", label: "36 hours", length: 36 * time.Hour},
		{in: "90m", wall: 90 * time.Minute, canon: "90m", label: "90 minutes", length: 90 * time.Minute},
		{in: "90s", wall: 90 * time.Second, canon: "90s", label: "90 seconds", length: 90 * time.Second},
		{in: "1m", wall: time.Minute, canon: "1m", label: "1 minute", length: time.Minute},
		{in: "  7D\t", days: 7, canon: "7d", label: "7 business days", length: 7 * 24 * time.Hour},
		{in: "007d", days: 7, canon: "7d", label: "7 business days", length: 7 * 24 * time.Hour},
		{in: "2600d", days: MaxBusinessDays, canon: "2600d", label: "2600 business days", length: 2600 * 24 * time.Hour},
		{in: "87600h", wall: MaxWall, canon: "87600h", label: "87600 hours", length: MaxWall},
		{in: "315360000s", wall: MaxWall, canon: "315360000s", label: "315360000 seconds", length: MaxWall},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			require.NoError(t, err)
			assert.False(t, got.IsZero())
			days, isDays := got.BusinessDays()
			wall, isWall := got.Wall()
			assert.Equal(t, tt.days, days)
			assert.Equal(t, tt.days != 0, isDays)
			assert.Equal(t, tt.wall, wall)
			assert.Equal(t, tt.wall != 0, isWall)
			assert.Equal(t, tt.canon, got.String())
			assert.Equal(t, tt.label, got.Label())
			assert.Equal(t, tt.length, got.Length())
			assert.Equal(t, mustTarget(tt.canon), got, "the canonical form parses back to an equal Target")
		})
	}
}

func TestParseTargetErrors(t *testing.T) {
	const syntax = "must be a whole number followed by d, h, m or s, e.g. 2d"
	tests := []struct {
		in   string
		want error
		msg  string
	}{
		{in: "", want: ErrSyntax, msg: "a value is required: it " + syntax},
		{in: "   ", want: ErrSyntax, msg: "a value is required: it " + syntax},
		{in: "2", want: ErrSyntax, msg: `"2" ` + syntax},
		{in: "22", want: ErrSyntax},
		{in: "d", want: ErrSyntax},
		{in: "dd", want: ErrSyntax},
		{in: "1.5d", want: ErrSyntax, msg: `"1.5d" ` + syntax},
		{in: "-1d", want: ErrSyntax},
		{in: "+2d", want: ErrSyntax},
		{in: "2 d", want: ErrSyntax},
		{in: "2w", want: ErrSyntax},
		{in: "2ms", want: ErrSyntax},
		{in: "1h30m", want: ErrSyntax},
		{in: "2dd", want: ErrSyntax},
		{in: "1e3s", want: ErrSyntax},
		{in: "0x10s", want: ErrSyntax},
		{in: "٢d", want: ErrSyntax}, // an Arabic-Indic digit
		{in: "0d", want: ErrNotPositive, msg: `"0d" must be at least 1`},
		{in: "000s", want: ErrNotPositive},
		{in: "2601d", want: ErrTooLong, msg: `"2601d" is longer than the maximum of 2600d`},
		{in: "87601h", want: ErrTooLong, msg: `"87601h" is longer than the maximum of 87600h`},
		{in: "5256001m", want: ErrTooLong, msg: `"5256001m" is longer than the maximum of 5256000m`},
		{in: "99999999999999999999999s", want: ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			require.Error(t, err)
			assert.True(t, got.IsZero())
			assert.ErrorIs(t, err, tt.want)
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			if tt.msg != "" {
				assert.Equal(t, tt.msg, err.Error())
			}
		})
	}
}

func TestParseInterval(t *testing.T) {
	const floor = 10 * time.Second
	valid := []struct {
		in   string
		want time.Duration
	}{
		{"5m", 5 * time.Minute},
		{"10s", 10 * time.Second},
		{" 1H ", time.Hour},
		{"600s", 10 * time.Minute},
	}
	for _, tt := range valid {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseInterval(tt.in, floor)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	invalid := []struct {
		in   string
		want error
		msg  string
	}{
		{in: "9s", want: ErrBelowFloor, msg: `"9s" is shorter than the minimum of 10s`},
		{in: "1s", want: ErrBelowFloor},
		{in: "2d", want: ErrNotWall, msg: `"2d" must be a whole number followed by h, m or s, e.g. 5m`},
		{in: "5 minutes", want: ErrNotWall},
		{in: "", want: ErrNotWall, msg: "a value is required: it must be a whole number followed by h, m or s, e.g. 5m"},
		{in: "0m", want: ErrNotPositive},
		{in: "87601h", want: ErrTooLong},
	}
	for _, tt := range invalid {
		t.Run("refuses "+tt.in, func(t *testing.T) {
			_, err := ParseInterval(tt.in, floor)
			assert.ErrorIs(t, err, tt.want)
			if tt.msg != "" {
				assert.EqualError(t, err, tt.msg)
			}
		})
	}

	_, err := ParseInterval("1m", 5*time.Minute)
	assert.EqualError(t, err, `"1m" is shorter than the minimum of 5m`, "the floor is written as a setting would be")
}

func TestZeroTarget(t *testing.T) {
	var zero Target
	assert.True(t, zero.IsZero())
	assert.Equal(t, "", zero.String())
	assert.Equal(t, "no target", zero.Label())
	assert.Zero(t, zero.Length())
	_, isDays := zero.BusinessDays()
	_, isWall := zero.Wall()
	assert.False(t, isDays)
	assert.False(t, isWall)

	start := time.Date(2024, 6, 8, 10, 0, 0, 0, time.UTC) // a Saturday: no weekend rule for no target
	assert.Equal(t, start, DueAt(start, zero, nil))
	assert.Equal(t, start, DueSoonAt(start, zero, nil))
	assert.Equal(t, Breached, StateAt(start, start, zero, nil))
}

func TestTargetJSON(t *testing.T) {
	type record struct {
		Triage Target `json:"triage"`
		None   Target `json:"none"`
	}
	in := record{Triage: mustTarget("5d")}
	data, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"triage":"5d","none":""}`, string(data))

	var out record
	require.NoError(t, json.Unmarshal(data, &out))
	assert.Equal(t, in, out)

	assert.ErrorIs(t, json.Unmarshal([]byte(`{"triage":"5 days"}`), &out), ErrSyntax)
}

func TestParseZone(t *testing.T) {
	for _, name := range []string{"", "  ", "UTC"} {
		loc, err := ParseZone(name)
		require.NoError(t, err)
		assert.Equal(t, "UTC", loc.String(), "%q", name)
	}

	loc, err := ParseZone(" Pacific/Auckland ")
	require.NoError(t, err)
	assert.Equal(t, "Pacific/Auckland", loc.String())

	_, err = ParseZone("Europe/Pariss")
	assert.EqualError(t, err, `"Europe/Pariss" is not a known time zone: use an IANA name such as UTC, Europe/Paris or America/Los_Angeles`)
	_, err = ParseZone("Local")
	assert.ErrorContains(t, err, "depends on each server's settings")
	_, err = ParseZone("../../etc/passwd")
	assert.Error(t, err)
}

// mustTarget parses a target literal of a test, so that a typo fails the test
// at once instead of reading as a zero target.
func mustTarget(s string) Target {
	t, err := ParseTarget(s)
	if err != nil {
		panic(err)
	}
	return t
}
