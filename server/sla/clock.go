package sla

import "time"

// State is where a running interval stands against its target. The values are
// stable, so they may be stored (e.g. as the last state a reminder was sent for).
type State string

// States, in the order an interval passes through them.
const (
	OnTrack  State = "on_track"
	DueSoon  State = "due_soon"
	Breached State = "breached"
)

// Label is the state as people read it ("Due soon").
func (s State) Label() string {
	switch s {
	case OnTrack:
		return "On track"
	case DueSoon:
		return "Due soon"
	case Breached:
		return "Breached"
	}
	return "Unknown"
}

// DueAt is the instant an interval started at start must end before, in loc. A
// day target counts business days in loc (nil means UTC) by the package rules; a
// wall-clock target is added to start.
func DueAt(start time.Time, t Target, loc *time.Location) time.Time {
	if n, ok := t.BusinessDays(); ok {
		p := position(start, zone(loc))
		p.day += int64(n)
		return p.instant(zone(loc))
	}
	return start.Add(t.Length()).In(zone(loc))
}

// DueSoonAt is the instant, in loc, when DueSoonPercent of t has passed since
// start: in business time for a day target, in real time otherwise.
func DueSoonAt(start time.Time, t Target, loc *time.Location) time.Time {
	soon := t.Length() / 100 * DueSoonPercent // Length is whole seconds, so exact
	if _, ok := t.BusinessDays(); ok {
		return position(start, zone(loc)).add(soon).instant(zone(loc))
	}
	return start.Add(soon).In(zone(loc))
}

// Elapsed is the time t's clock has run from start to now: business time for a
// day target (weekends do not count), real time otherwise. It is never negative.
func Elapsed(start, now time.Time, t Target, loc *time.Location) time.Duration {
	var d time.Duration
	if _, ok := t.BusinessDays(); ok {
		d = position(now, zone(loc)).sub(position(start, zone(loc)))
	} else {
		d = now.Sub(start)
	}
	return max(d, 0)
}

// StateAt is where an interval started at start and still running at now stands:
// on track before DueSoonAt, due soon from it, breached from DueAt.
func StateAt(start, now time.Time, t Target, loc *time.Location) State {
	switch {
	case !now.Before(DueAt(start, t, loc)):
		return Breached
	case !now.Before(DueSoonAt(start, t, loc)):
		return DueSoon
	}
	return OnTrack
}

// Verdict judges an interval that may not have ended yet.
type Verdict string

// Verdicts.
const (
	VerdictPending Verdict = "pending" // still running and not yet due: it may still be met
	VerdictMet     Verdict = "met"     // ended before its due instant
	VerdictMissed  Verdict = "missed"  // ended at or after its due instant, or still running past it
)

// Judge is the verdict on an interval from start at now; a zero end means it has
// not ended. Program metrics count met and missed intervals and leave pending ones out.
func Judge(start, end, now time.Time, t Target, loc *time.Location) Verdict {
	due := DueAt(start, t, loc)
	switch {
	case !end.IsZero() && end.Before(due):
		return VerdictMet
	case !end.IsZero() || !now.Before(due):
		return VerdictMissed
	}
	return VerdictPending
}

// Progress is everything a card or a job needs about one target of one report.
type Progress struct {
	Target    Target
	Start     time.Time
	DueSoonAt time.Time
	DueAt     time.Time
	Elapsed   time.Duration // in the target's clock; compare with Target.Length
	State     State
}

// Measure reports the progress at now of an interval started at start and still
// running.
func Measure(start, now time.Time, t Target, loc *time.Location) Progress {
	return Progress{
		Target:    t,
		Start:     start,
		DueSoonAt: DueSoonAt(start, t, loc),
		DueAt:     DueAt(start, t, loc),
		Elapsed:   Elapsed(start, now, t, loc),
		State:     StateAt(start, now, t, loc),
	}
}
