// Package sla is the pure domain of service-level targets: how a setting such as
// "2d" or "36h" is read, when a report falls due, when it is due soon, whether a
// finished interval met its target, and the program metrics built from those
// answers. It reads no clock: every function takes the instants it judges, so
// tests need no sleeps and a job can be replayed at any moment.
//
// # Targets
//
// A target is a whole positive number followed by a unit: "2d" counts business
// days; "36h", "90m" and "90s" count wall-clock time. Nothing else is accepted
// (no fractions, signs, spaces inside, or combined units such as "1h30m"), so a
// setting always means one thing. A job interval is not a target: ParseInterval
// reads it, refuses days and enforces a floor.
//
// # Business days
//
// Day targets are counted on the local calendar of one zone (UTC when none is
// given), Monday to Friday; public holidays are not known. The rules:
//
//  1. A start on a weekday keeps its local time of day: a report filed Friday
//     17:00 with a 2d target is due Tuesday 17:00. The due day is the n-th
//     weekday after the start day, so a due time never falls on a weekend.
//  2. A start on a Saturday or Sunday starts the clock at 00:00 on the next
//     Monday: a report filed Saturday 10:00 with a 2d target is due Wednesday
//     00:00.
//  3. Days are calendar days, not 24-hour periods, so a daylight-saving change
//     moves no deadline off its time of day: Friday 17:00 PST + 1d is Monday
//     17:00 PDT, 71 real hours later.
//  4. When the due wall time does not exist on the due day (skipped by a
//     daylight-saving jump), the deadline moves forward by the length of the jump
//     (02:30 in a 02:00→03:00 jump becomes 03:30). When it exists twice (a
//     repeated hour), the first occurrence counts.
//
// Business time is what the business clock shows: on a weekday it advances with
// the local wall clock (so every business day is 24 hours long, whatever the
// daylight-saving change), and on a weekend it stands still. Elapsed measures it,
// and "due soon" is reached when 80% of a day target has passed in business time:
// Friday 17:00 + 2d is due soon on Tuesday 07:24 (38h24m of business time later).
//
// # States
//
// A running interval is on track before its due-soon instant, due soon from that
// instant, and breached from its due instant: the due instant itself is already
// late. Likewise an interval that ended is met only if it ended strictly before
// the due instant. Wall-clock targets use the same 80% and the same boundaries,
// measured in real time.
//
// # Metrics
//
// Percentiles use the nearest-rank method: the p-th percentile of n sorted values
// is the value at rank ⌈p/100 × n⌉ (at least 1), so it is always an observed
// value; the median is the 50th percentile, the lower middle value when n is
// even. Empty input yields no value (ok false) rather than NaN or a zero that
// reads like a measurement.
package sla
