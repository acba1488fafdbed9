package sla

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ts reads an RFC 3339 instant; the offset makes every wall time unambiguous,
// including those inside a repeated daylight-saving hour.
func ts(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

func zoneNamed(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := ParseZone(name)
	require.NoError(t, err)
	return loc
}

// clockCase is one interval: a start in a zone against a target.
type clockCase struct {
	name   string
	zone   string // "" is UTC
	start  string
	target string
	want   string
}

func (c clockCase) run(t *testing.T, f func(time.Time, Target, *time.Location) time.Time) {
	t.Run(c.name, func(t *testing.T) {
		loc := zoneNamed(t, c.zone)
		got := f(ts(t, c.start), mustTarget(c.target), loc)
		want := ts(t, c.want)
		assert.True(t, want.Equal(got), "want %s, got %s", want.In(loc), got.In(loc))
		_, wantOffset := want.Zone()
		_, gotOffset := got.Zone()
		assert.Equal(t, wantOffset, gotOffset, "the result is shown in the zone, with its offset at that instant")
	})
}

func TestDueAtBusinessDays(t *testing.T) {
	tests := []clockCase{
		// Weekends, UTC.
		{name: "within the week", start: "2024-06-03T09:00:00Z", target: "2d", want: "2024-06-05T09:00:00Z"},
		{name: "Friday 17:00 is due Tuesday 17:00", start: "2024-06-07T17:00:00Z", target: "2d", want: "2024-06-11T17:00:00Z"},
		{name: "Saturday 10:00 counts from Monday 00:00", start: "2024-06-08T10:00:00Z", target: "2d", want: "2024-06-12T00:00:00Z"},
		{name: "Sunday 23:59 counts from Monday 00:00", start: "2024-06-09T23:59:00Z", target: "1d", want: "2024-06-11T00:00:00Z"},
		{name: "Friday 00:00 + 1d is Monday 00:00, never Saturday", start: "2024-06-07T00:00:00Z", target: "1d", want: "2024-06-10T00:00:00Z"},
		{name: "last nanosecond of Friday", start: "2024-06-07T23:59:59.999999999Z", target: "1d", want: "2024-06-10T23:59:59.999999999Z"},
		{name: "Monday 00:00 + 5d is a week", start: "2024-06-10T00:00:00Z", target: "5d", want: "2024-06-17T00:00:00Z"},
		{name: "Wednesday + 5d is a week", start: "2024-06-05T12:00:00Z", target: "5d", want: "2024-06-12T12:00:00Z"},
		{name: "Thursday + 7d crosses two weekends", start: "2024-06-06T08:15:00Z", target: "7d", want: "2024-06-17T08:15:00Z"},
		{name: "30d is six weeks", start: "2024-01-01T00:00:00Z", target: "30d", want: "2024-02-12T00:00:00Z"},

		// Month and year ends.
		{name: "month end Friday", start: "2024-05-31T17:00:00Z", target: "1d", want: "2024-06-03T17:00:00Z"},
		{name: "leap day", start: "2024-02-29T10:00:00Z", target: "1d", want: "2024-03-01T10:00:00Z"},
		{name: "leap day over the weekend", start: "2024-02-29T10:00:00Z", target: "2d", want: "2024-03-04T10:00:00Z"},
		{name: "Friday Dec 31 to January", start: "2021-12-31T17:00:00Z", target: "2d", want: "2022-01-04T17:00:00Z"},
		{name: "Saturday Dec 31 to January", start: "2022-12-31T10:00:00Z", target: "1d", want: "2023-01-03T00:00:00Z"},
		{name: "90d across a year end", start: "2024-10-07T09:00:00Z", target: "90d", want: "2025-02-10T09:00:00Z"},
		{name: "before 1970 indexes the same way", start: "1969-12-26T09:00:00Z", target: "3d", want: "1969-12-31T09:00:00Z"},

		// Local calendars.
		{name: "Tokyo: Friday 05:00 local is Thursday in UTC", zone: "Asia/Tokyo", start: "2024-05-02T20:00:00Z", target: "1d", want: "2024-05-06T05:00:00+09:00"},
		{name: "Tokyo: Saturday 01:00 local is Friday in UTC", zone: "Asia/Tokyo", start: "2024-05-03T16:00:00Z", target: "1d", want: "2024-05-07T00:00:00+09:00"},
		{name: "UTC: the same instant is Saturday", start: "2024-06-08T00:00:00Z", target: "1d", want: "2024-06-11T00:00:00Z"},
		{name: "Los Angeles: that instant is Friday 17:00", zone: "America/Los_Angeles", start: "2024-06-08T00:00:00Z", target: "1d", want: "2024-06-10T17:00:00-07:00"},
		{name: "Auckland: Monday 09:00 local is Sunday in UTC", zone: "Pacific/Auckland", start: "2024-06-09T21:00:00Z", target: "1d", want: "2024-06-11T09:00:00+12:00"},
		{name: "Auckland year end", zone: "Pacific/Auckland", start: "2021-12-31T17:00:00+13:00", target: "1d", want: "2022-01-03T17:00:00+13:00"},
		{name: "Tokyo year end", zone: "Asia/Tokyo", start: "2021-12-31T17:00:00+09:00", target: "2d", want: "2022-01-04T17:00:00+09:00"},

		// Daylight saving: the local time of day holds.
		{name: "Los Angeles spring forward weekend", zone: "America/Los_Angeles", start: "2024-03-08T17:00:00-08:00", target: "1d", want: "2024-03-11T17:00:00-07:00"},
		{name: "Los Angeles fall back weekend", zone: "America/Los_Angeles", start: "2024-11-01T09:00:00-07:00", target: "1d", want: "2024-11-04T09:00:00-08:00"},
		{name: "Los Angeles Saturday before spring forward", zone: "America/Los_Angeles", start: "2024-03-09T10:00:00-08:00", target: "2d", want: "2024-03-13T00:00:00-07:00"},
		{name: "Los Angeles 60d across spring forward", zone: "America/Los_Angeles", start: "2024-01-01T09:00:00-08:00", target: "60d", want: "2024-03-25T09:00:00-07:00"},
		{name: "Auckland DST ends", zone: "Pacific/Auckland", start: "2024-04-05T17:00:00+13:00", target: "1d", want: "2024-04-08T17:00:00+12:00"},
		{name: "Auckland DST starts", zone: "Pacific/Auckland", start: "2024-09-27T17:00:00+12:00", target: "1d", want: "2024-09-30T17:00:00+13:00"},
		{name: "Auckland Saturday of DST start", zone: "Pacific/Auckland", start: "2024-09-28T10:00:00+12:00", target: "2d", want: "2024-10-02T00:00:00+13:00"},
		// Cairo changes clocks on weekdays, at midnight, which exercises rule 4.
		{name: "Cairo: skipped midnight moves forward by the jump", zone: "Africa/Cairo", start: "2024-04-25T00:00:00+02:00", target: "1d", want: "2024-04-26T01:00:00+03:00"},
		{name: "Cairo: skipped 00:30 is 01:30", zone: "Africa/Cairo", start: "2024-04-25T00:30:00+02:00", target: "1d", want: "2024-04-26T01:30:00+03:00"},
		{name: "Cairo: a repeated 23:30 is the first one", zone: "Africa/Cairo", start: "2024-10-30T23:30:00+03:00", target: "1d", want: "2024-10-31T23:30:00+03:00"},
		{name: "Cairo: from the second 23:30", zone: "Africa/Cairo", start: "2024-10-31T23:30:00+02:00", target: "1d", want: "2024-11-01T23:30:00+02:00"},
	}
	for _, tt := range tests {
		tt.run(t, DueAt)
	}
}

func TestDueAtWallClock(t *testing.T) {
	tests := []clockCase{
		{name: "36h counts weekends", start: "2024-06-07T17:00:00Z", target: "36h", want: "2024-06-09T05:00:00Z"},
		{name: "90m", start: "2024-06-07T23:00:00Z", target: "90m", want: "2024-06-08T00:30:00Z"},
		{name: "90s", start: "2024-06-07T23:59:00Z", target: "90s", want: "2024-06-08T00:00:30Z"},
		{name: "36h over spring forward is 36 real hours", zone: "America/Los_Angeles", start: "2024-03-09T12:00:00-08:00", target: "36h", want: "2024-03-11T01:00:00-07:00"},
		{name: "24h over Auckland DST end", zone: "Pacific/Auckland", start: "2024-04-06T12:00:00+13:00", target: "24h", want: "2024-04-07T11:00:00+12:00"},
		{name: "year end", zone: "Asia/Tokyo", start: "2021-12-31T23:00:00+09:00", target: "2h", want: "2022-01-01T01:00:00+09:00"},
	}
	for _, tt := range tests {
		tt.run(t, DueAt)
	}
}

func TestDueSoonAt(t *testing.T) {
	tests := []clockCase{
		{name: "1d: 19h12m of business time", start: "2024-06-03T09:00:00Z", target: "1d", want: "2024-06-04T04:12:00Z"},
		{name: "2d from Friday 17:00: 38h24m skips the weekend", start: "2024-06-07T17:00:00Z", target: "2d", want: "2024-06-11T07:24:00Z"},
		{name: "2d from Saturday counts from Monday", start: "2024-06-08T10:00:00Z", target: "2d", want: "2024-06-11T14:24:00Z"},
		{name: "1d from Friday 10:00", start: "2024-06-07T10:00:00Z", target: "1d", want: "2024-06-10T05:12:00Z"},
		{name: "landing on Friday 24:00 is Monday 00:00", start: "2024-06-07T04:48:00Z", target: "1d", want: "2024-06-10T00:00:00Z"},
		{name: "5d: four business days", start: "2024-06-03T09:00:00Z", target: "5d", want: "2024-06-07T09:00:00Z"},
		{name: "7d: 5 days 14h24m", start: "2024-06-03T09:00:00Z", target: "7d", want: "2024-06-10T23:24:00Z"},
		{name: "year end", start: "2021-12-31T17:00:00Z", target: "1d", want: "2022-01-03T12:12:00Z"},
		{name: "Los Angeles across spring forward", zone: "America/Los_Angeles", start: "2024-03-08T17:00:00-08:00", target: "1d", want: "2024-03-11T12:12:00-07:00"},
		{name: "Auckland across DST end", zone: "Pacific/Auckland", start: "2024-04-05T17:00:00+13:00", target: "1d", want: "2024-04-08T12:12:00+12:00"},
		{name: "Tokyo local calendar", zone: "Asia/Tokyo", start: "2024-05-02T20:00:00Z", target: "1d", want: "2024-05-06T00:12:00+09:00"},
		{name: "90s: 72s", start: "2024-06-07T23:59:00Z", target: "90s", want: "2024-06-08T00:00:12Z"},
		{name: "1m: 48s", start: "2024-06-07T12:00:00Z", target: "1m", want: "2024-06-07T12:00:48Z"},
		{name: "36h: 28h48m of real time", zone: "America/Los_Angeles", start: "2024-03-09T12:00:00-08:00", target: "36h", want: "2024-03-10T17:48:00-07:00"},
	}
	for _, tt := range tests {
		tt.run(t, DueSoonAt)
	}
}

func TestStateBoundaries(t *testing.T) {
	tests := []struct {
		zone   string
		start  string
		target string
	}{
		{"", "2024-06-07T17:00:00Z", "2d"},
		{"", "2024-06-08T10:00:00Z", "2d"},
		{"", "2024-06-07T12:00:00Z", "90s"},
		{"", "2024-06-07T12:00:00Z", "1m"},
		{"", "2024-06-07T12:00:00Z", "36h"},
		{"America/Los_Angeles", "2024-03-08T17:00:00-08:00", "1d"},
		{"Pacific/Auckland", "2024-09-27T17:00:00+12:00", "1d"},
		{"Asia/Tokyo", "2021-12-31T17:00:00+09:00", "5d"},
		{"Africa/Cairo", "2024-04-25T00:30:00+02:00", "1d"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %s", tt.zone, tt.start, tt.target), func(t *testing.T) {
			loc := zoneNamed(t, tt.zone)
			start, target := ts(t, tt.start), mustTarget(tt.target)
			soon, due := DueSoonAt(start, target, loc), DueAt(start, target, loc)
			require.True(t, start.Before(soon) && soon.Before(due))

			for _, step := range []struct {
				now  time.Time
				want State
			}{
				{start.Add(-time.Hour), OnTrack}, // a clock behind the start
				{start, OnTrack},
				{soon.Add(-time.Nanosecond), OnTrack},
				{soon, DueSoon}, // exactly 80%
				{due.Add(-time.Nanosecond), DueSoon},
				{due, Breached}, // exactly the due instant
				{due.AddDate(1, 0, 0), Breached},
			} {
				assert.Equal(t, step.want, StateAt(start, step.now, target, loc), "at %s", step.now.In(loc))
				assert.Equal(t, step.want, Measure(start, step.now, target, loc).State)
			}
		})
	}
}

func TestDueSoonAtExactlyEightyPercent(t *testing.T) {
	start := ts(t, "2024-06-03T09:00:00Z") // a Monday: no weekend in the way
	for _, target := range []string{"1d", "2d", "5d", "90s", "1m", "36h", "90m"} {
		tgt := mustTarget(target)
		soon := DueSoonAt(start, tgt, nil)
		assert.Equal(t, tgt.Length()*DueSoonPercent/100, Elapsed(start, soon, tgt, nil), target)
		assert.Equal(t, DueSoon, StateAt(start, soon, tgt, nil), target)
		assert.Equal(t, OnTrack, StateAt(start, soon.Add(-time.Nanosecond), tgt, nil), target)
	}
}

func TestElapsed(t *testing.T) {
	tests := []struct {
		name   string
		zone   string
		start  string
		now    string
		target string
		want   time.Duration
	}{
		{name: "within a day", start: "2024-06-03T09:00:00Z", now: "2024-06-03T17:30:00Z", target: "2d", want: 8*time.Hour + 30*time.Minute},
		{name: "the weekend does not count", start: "2024-06-07T17:00:00Z", now: "2024-06-10T09:00:00Z", target: "2d", want: 16 * time.Hour},
		{name: "nothing runs on a weekend", start: "2024-06-08T10:00:00Z", now: "2024-06-09T20:00:00Z", target: "2d", want: 0},
		{name: "from a weekend, from Monday 00:00", start: "2024-06-08T10:00:00Z", now: "2024-06-10T09:00:00Z", target: "2d", want: 9 * time.Hour},
		{name: "the whole target at the due instant", start: "2024-06-07T17:00:00Z", now: "2024-06-11T17:00:00Z", target: "2d", want: 48 * time.Hour},
		{name: "past the due instant keeps counting", start: "2024-06-07T17:00:00Z", now: "2024-06-14T17:00:00Z", target: "2d", want: 5 * 24 * time.Hour},
		{name: "year end", start: "2021-12-31T12:00:00Z", now: "2022-01-03T12:00:00Z", target: "1d", want: 24 * time.Hour},
		{name: "a clock behind the start is zero", start: "2024-06-03T09:00:00Z", now: "2024-06-03T08:00:00Z", target: "2d", want: 0},
		{name: "spring forward: 71 real hours are one business day", zone: "America/Los_Angeles", start: "2024-03-08T17:00:00-08:00", now: "2024-03-11T17:00:00-07:00", target: "1d", want: 24 * time.Hour},
		{name: "a 23-hour day counts 24 hours", zone: "Africa/Cairo", start: "2024-04-25T12:00:00+02:00", now: "2024-04-26T12:00:00+03:00", target: "1d", want: 24 * time.Hour},
		{name: "Tokyo local Friday to Monday", zone: "Asia/Tokyo", start: "2024-05-02T20:00:00Z", now: "2024-05-05T20:00:00Z", target: "1d", want: 24 * time.Hour},
		{name: "wall clock counts the weekend", start: "2024-06-07T17:00:00Z", now: "2024-06-10T09:00:00Z", target: "36h", want: 64 * time.Hour},
		{name: "wall clock over spring forward is real time", zone: "America/Los_Angeles", start: "2024-03-09T12:00:00-08:00", now: "2024-03-10T12:00:00-07:00", target: "36h", want: 23 * time.Hour},
		{name: "wall clock behind the start is zero", start: "2024-06-03T09:00:00Z", now: "2024-06-03T08:00:00Z", target: "90s", want: 0},
		{name: "centuries apart saturate", start: "0001-01-01T00:00:00Z", now: "2024-06-03T08:00:00Z", target: "2d", want: time.Duration(1<<63 - 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zoneNamed(t, tt.zone)
			target := mustTarget(tt.target)
			got := Elapsed(ts(t, tt.start), ts(t, tt.now), target, loc)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Measure(ts(t, tt.start), ts(t, tt.now), target, loc).Elapsed)
		})
	}
}

func TestNilZoneIsUTC(t *testing.T) {
	start := ts(t, "2024-06-08T00:00:00Z") // Saturday in UTC, Friday in Los Angeles
	target := mustTarget("1d")
	assert.Equal(t, DueAt(start, target, time.UTC), DueAt(start, target, nil))
	assert.Equal(t, DueSoonAt(start, target, time.UTC), DueSoonAt(start, target, nil))
	assert.Equal(t, Elapsed(start, start.Add(72*time.Hour), target, time.UTC), Elapsed(start, start.Add(72*time.Hour), target, nil))
}

func TestJudge(t *testing.T) {
	start := ts(t, "2024-06-07T17:00:00Z")
	target := mustTarget("2d")
	due := ts(t, "2024-06-11T17:00:00Z")
	var running time.Time
	tests := []struct {
		name     string
		end, now time.Time
		want     Verdict
	}{
		{"ended in time", due.Add(-time.Minute), due.Add(time.Hour), VerdictMet},
		{"ended at the due instant", due, due.Add(time.Hour), VerdictMissed},
		{"ended late", due.Add(time.Minute), due.Add(time.Hour), VerdictMissed},
		{"running, not yet due", running, due.Add(-time.Nanosecond), VerdictPending},
		{"running at the due instant", running, due, VerdictMissed},
		{"running past due", running, due.AddDate(0, 1, 0), VerdictMissed},
		{"ended in time, judged before it was due", start.Add(time.Hour), start.Add(2 * time.Hour), VerdictMet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Judge(start, tt.end, tt.now, target, nil))
		})
	}
}

func TestMeasure(t *testing.T) {
	loc := zoneNamed(t, "America/Los_Angeles")
	start := ts(t, "2024-03-08T17:00:00-08:00")
	now := ts(t, "2024-03-11T13:00:00-07:00")
	got := Measure(start, now, mustTarget("1d"), loc)
	assert.Equal(t, Progress{
		Target:    mustTarget("1d"),
		Start:     start,
		DueSoonAt: ts(t, "2024-03-11T12:12:00-07:00").In(loc),
		DueAt:     ts(t, "2024-03-11T17:00:00-07:00").In(loc),
		Elapsed:   20 * time.Hour,
		State:     DueSoon,
	}, got)
}

func TestStateLabels(t *testing.T) {
	assert.Equal(t, "On track", OnTrack.Label())
	assert.Equal(t, "Due soon", DueSoon.Label())
	assert.Equal(t, "Breached", Breached.Label())
	assert.Equal(t, "Unknown", State("").Label())
}

// TestBusinessDayInvariants sweeps starts over four years in every zone the
// package is tested in and checks what must hold for any start.
func TestBusinessDayInvariants(t *testing.T) {
	zones := []struct {
		name string
		// weekendChanges: the zone changes clocks only on weekends, so due times
		// never go backwards as the start moves forward. Cairo repeats a Thursday
		// hour, where a later instant can read an earlier wall time.
		weekendChanges bool
	}{
		{"UTC", true}, {"America/Los_Angeles", true}, {"Asia/Tokyo", true},
		{"Pacific/Auckland", true}, {"Africa/Cairo", false},
	}
	targets := []Target{mustTarget("1d"), mustTarget("2d"), mustTarget("5d"), mustTarget("7d")}
	for _, z := range zones {
		t.Run(z.name, func(t *testing.T) {
			loc := zoneNamed(t, z.name)
			first := ts(t, "2021-01-01T00:00:00Z")
			last := ts(t, "2025-01-01T00:00:00Z")
			prevDue := map[Target]time.Time{}
			for start := first; start.Before(last); start = start.Add(7*time.Hour + 13*time.Minute + 17*time.Second) {
				for _, target := range targets {
					due := DueAt(start, target, loc)
					soon := DueSoonAt(start, target, loc)
					local := due.In(loc)
					if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
						t.Fatalf("%s + %s is due on a %s: %s", start.In(loc), target, wd, local)
					}
					if !start.Before(soon) || !soon.Before(due) {
						t.Fatalf("%s + %s: want start < due soon %s < due %s", start.In(loc), target, soon.In(loc), local)
					}
					if got := Elapsed(start, due, target, loc); got < target.Length() {
						t.Fatalf("%s + %s: only %s of business time elapsed at the due instant %s", start.In(loc), target, got, local)
					}
					if StateAt(start, due.Add(-time.Nanosecond), target, loc) == Breached {
						t.Fatalf("%s + %s: breached before the due instant %s", start.In(loc), target, local)
					}
					if z.weekendChanges {
						if got := Elapsed(start, due, target, loc); got != target.Length() {
							t.Fatalf("%s + %s: %s of business time elapsed at the due instant %s", start.In(loc), target, got, local)
						}
						if prev, ok := prevDue[target]; ok && due.Before(prev) {
							t.Fatalf("%s + %s: due %s, before the previous start's %s", start.In(loc), target, local, prev.In(loc))
						}
					}
					prevDue[target] = due
				}
			}
		})
	}
}
