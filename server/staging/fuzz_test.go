package staging

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// Fuzz targets for the dates, windows and access details of staging requests.
// Whatever is accepted is a window the rules allow, on whole UTC days where
// the form asks for days, and what is stored writes out and reads back the same.

var fuzzNow = time.Date(2026, 5, 4, 15, 30, 0, 0, time.UTC)

func windowSeeds(f *testing.F) {
	for _, s := range []struct {
		start, end string
		maxDays    int
	}{
		{"2026-05-04", "2026-05-10", 14},
		{"2026-05-04", "2026-05-17", 14},
		{"2026-05-04", "2026-05-18", 14},
		{"2026-05-03", "2026-05-10", 14},
		{"2026-05-10", "2026-05-04", 14},
		{" 2026-05-05 ", "2026-05-05\n", 1},
		{"2026-05-04", "2026-05-04 16:00", 1},
		{"2026-05-04", "2026-05-04 15:00", 1},
		{"2026-02-30", "2026-03-01", 90},
		{"tomorrow", "5/10/2026", 14},
		{"2026-05-04", "9999-12-31", 90},
		{"", "", 0},
	} {
		f.Add(s.start, s.end, s.maxDays)
	}
}

// boundDays keeps the maximum within what the setting allows (1 to 90 days).
func boundDays(n int) int { return ((n%90)+90)%90 + 1 }

func FuzzParseWindow(f *testing.F) {
	windowSeeds(f)
	f.Fuzz(func(t *testing.T, startText, endText string, maxDays int) {
		maxDays = boundDays(maxDays)
		start, end, errs := ParseWindow(startText, endText, maxDays, fuzzNow)
		for field, msg := range errs {
			require.Contains(t, []string{FieldStart, FieldEnd}, field)
			require.NotEmpty(t, msg)
		}
		if len(errs) > 0 {
			return
		}
		today := fuzzNow.Truncate(24 * time.Hour)
		for _, day := range []time.Time{start, end} {
			require.Equal(t, time.UTC, day.Location())
			require.Equal(t, day, day.Truncate(24*time.Hour), "a window is whole UTC days")
		}
		require.False(t, start.Before(today), "never in the past")
		require.False(t, end.Before(start))
		require.LessOrEqual(t, int(end.Sub(start).Hours()/24)+1, maxDays)
		// What the card and the list show reads back as the same window.
		s2, e2, again := ParseWindow(start.Format(DateLayout), end.Format(DateLayout), maxDays, fuzzNow)
		require.Empty(t, again)
		require.Equal(t, start, s2)
		require.Equal(t, end, e2)
	})
}

func FuzzParseGrant(f *testing.F) {
	windowSeeds(f)
	f.Fuzz(func(t *testing.T, startText, endText string, maxDays int) {
		maxDays = boundDays(maxDays)
		start, end, errs := ParseGrant(startText, endText, maxDays, fuzzNow)
		for field := range errs {
			require.Contains(t, []string{FieldStart, FieldEnd}, field)
		}
		if len(errs) > 0 {
			return
		}
		require.Equal(t, start, start.Truncate(24*time.Hour), "a grant starts on a UTC day")
		require.True(t, end.After(start))
		require.True(t, end.After(fuzzNow), "a grant ends in the future")
		require.LessOrEqual(t, end.Sub(start), time.Duration(maxDays)*24*time.Hour)
		require.Equal(t, end, end.Truncate(time.Minute), "a grant ends on a minute")
		// The card writes the end to the minute; that reads back as the same end.
		_, e2, again := ParseGrant(start.Format(DateLayout), end.Format(GrantLayout), maxDays, fuzzNow)
		require.Empty(t, again)
		require.Equal(t, end, e2)
	})
}

func FuzzParseDetails(f *testing.F) {
	for _, s := range [][2]string{
		{"https://staging-7.example.com", "user: ada / password in 1Password"},
		{" http://10.0.0.7:8065/ ", "one-time link: https://vault.example.com/s/abc\n"},
		{"ftp://x", ""},
		{"https://", "c"},
		{"javascript:alert(1)", "```\n@channel\n```"},
		{"https://" + strings.Repeat("a", MaxURLRunes), strings.Repeat("é", MaxCredentialsRunes+1)},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, url, credentials string) {
		d, errs := ParseDetails(url, credentials)
		for field := range errs {
			require.Contains(t, []string{FieldURL, FieldCredentials}, field)
		}
		if len(errs) > 0 {
			return
		}
		require.Equal(t, strings.TrimSpace(url), d.URL)
		require.Equal(t, strings.TrimSpace(credentials), d.Credentials)
		require.True(t, strings.HasPrefix(d.URL, "https://") || strings.HasPrefix(d.URL, "http://"))
		require.LessOrEqual(t, utf8.RuneCountInString(d.URL), MaxURLRunes)
		require.NotEmpty(t, d.Credentials)
		require.LessOrEqual(t, utf8.RuneCountInString(d.Credentials), MaxCredentialsRunes)
	})
}
