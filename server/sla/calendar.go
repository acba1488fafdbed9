package sla

import "time"

// day is one business day of business time. Every business day counts 24 hours,
// including the days a daylight-saving change makes 23 or 25 hours long.
const day = 24 * time.Hour

// mondayDayNumber is the day number (days since 1970-01-01) of Monday 1970-01-05,
// the origin of business-day indexes.
const mondayDayNumber = 4

// businessPos is a reading of the business clock: which business day (an index
// counted from Monday 1970-01-05, negative before it) and the local wall-clock
// time of day within it. Keeping the day apart from the time of day keeps the
// arithmetic clear of overflow for any date.
type businessPos struct {
	day int64
	tod time.Duration // in [0, 24h)
}

// position reads the business clock at t in loc. On a weekend the clock stands
// at 00:00 of the next Monday, where it resumes.
func position(t time.Time, loc *time.Location) businessPos {
	local := t.In(loc)
	y, m, d := local.Date()
	week, weekday := divMod(dayNumber(y, m, d)-mondayDayNumber, 7) // weekday 0 is Monday
	if weekday >= 5 {
		return businessPos{day: (week + 1) * 5}
	}
	return businessPos{day: week*5 + weekday, tod: sinceMidnight(local)}
}

// add moves p forward by d of business time (d >= 0).
func (p businessPos) add(d time.Duration) businessPos {
	p.day += int64(d / day)
	p.tod += d % day
	if p.tod >= day {
		p.day++
		p.tod -= day
	}
	return p
}

// sub is the business time from q to p, saturating rather than overflowing for
// instants centuries apart.
func (p businessPos) sub(q businessPos) time.Duration {
	const maxDays = int64(1<<63-1)/int64(day) - 1
	days := p.day - q.day
	switch {
	case days > maxDays:
		return time.Duration(1<<63 - 1)
	case days < -maxDays:
		return time.Duration(-1 << 63)
	}
	return time.Duration(days)*day + p.tod - q.tod
}

// instant is the moment the business clock reads p, found on the local calendar
// of loc: the wall time p.tod on the weekday that p.day indexes.
func (p businessPos) instant(loc *time.Location) time.Time {
	week, weekday := divMod(p.day, 5)
	date := time.Unix((mondayDayNumber+week*7+weekday)*86400, 0).UTC()
	y, m, d := date.Date()
	return wallTime(y, m, d, p.tod, loc)
}

// wallTime is the instant whose local wall clock in loc reads the date and time
// of day given. A wall time skipped by a daylight-saving jump moves forward by
// the jump (02:30 in a 02:00→03:00 jump is 03:30); a wall time that occurs twice
// is its first occurrence. time.Date leaves both cases unspecified.
func wallTime(y int, m time.Month, d int, tod time.Duration, loc *time.Location) time.Time {
	naive := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(tod) // the wall time read as UTC
	// Real zones change offset at most once within a few days, so the offsets a
	// day and a half either side are the two that can apply to this wall time.
	_, before := naive.Add(-36 * time.Hour).In(loc).Zone()
	_, after := naive.Add(36 * time.Hour).In(loc).Zone()
	early := naive.Add(-time.Duration(before) * time.Second)
	late := naive.Add(-time.Duration(after) * time.Second)
	if early.After(late) {
		early, late = late, early
	}
	reads := func(t time.Time) bool {
		l := t.In(loc)
		return l.Year() == y && l.Month() == m && l.Day() == d && sinceMidnight(l) == tod
	}
	switch {
	case reads(early):
		return early.In(loc)
	case reads(late):
		return late.In(loc)
	}
	// Skipped: read with the offset in force before the jump, the wall time lands
	// after the jump by exactly its length.
	return naive.Add(-time.Duration(before) * time.Second).In(loc)
}

// sinceMidnight is the local wall-clock time of day of t.
func sinceMidnight(t time.Time) time.Duration {
	h, m, s := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
}

// dayNumber counts days from 1970-01-01 to the given civil date.
func dayNumber(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// divMod is floored division: the remainder is never negative, so dates before
// the origin index the same way as dates after it.
func divMod(a, b int64) (int64, int64) {
	q, r := a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}
