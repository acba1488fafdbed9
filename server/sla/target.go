package sla

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Bounds on a target. They keep every computation far from integer overflow and
// catch a typo such as "20000d"; ten years is longer than any promise we make.
const (
	MaxBusinessDays = 2600                      // ten years of weekdays
	MaxWall         = 10 * 365 * 24 * time.Hour // 87600h
)

// DueSoonPercent is the share of a target after which it is due soon.
const DueSoonPercent = 80

// Target is a service-level target: a number of business days or a wall-clock
// duration. The zero Target is no target; its due and due-soon instants are its
// start. Targets are comparable with ==.
type Target struct {
	n    int64
	unit byte // 'd', 'h', 'm' or 's'; 0 for the zero Target
}

var (
	unitLength = map[byte]time.Duration{'h': time.Hour, 'm': time.Minute, 's': time.Second}
	unitNames  = map[byte]string{'d': "business day", 'h': "hour", 'm': "minute", 's': "second"}
)

// Why a duration setting is refused. Each reads as a predicate after the quoted
// value; ParseError puts them together.
var (
	ErrSyntax      = errors.New("must be a whole number followed by d, h, m or s, e.g. 2d")
	ErrNotWall     = errors.New("must be a whole number followed by h, m or s, e.g. 5m")
	ErrNotPositive = errors.New("must be at least 1")
	ErrTooLong     = errors.New("is longer than the maximum")
	ErrBelowFloor  = errors.New("is shorter than the minimum")
)

// ParseError says which value was refused and why. Its message is a sentence an
// admin can act on: `"1.5d" must be a whole number followed by d, h, m or s, e.g. 2d`
// or `"5s" is shorter than the minimum of 10s`. errors.Is matches the Err* reasons.
type ParseError struct {
	Input string // the value as given, surrounding spaces removed
	Err   error  // one of the Err* reasons
	Limit string // the bound broken, for ErrTooLong and ErrBelowFloor: "2600d", "10s"
}

func (e *ParseError) Error() string {
	msg := fmt.Sprintf("%q %v", e.Input, e.Err)
	if e.Input == "" {
		msg = "a value is required: it " + e.Err.Error()
	}
	if e.Limit != "" {
		msg += " of " + e.Limit
	}
	return msg
}

func (e *ParseError) Unwrap() error { return e.Err }

// ParseTarget reads a target: a whole positive number followed by d (business
// days), h, m or s (wall-clock hours, minutes or seconds). Surrounding spaces are
// ignored and the unit may be upper case; nothing else is accepted.
func ParseTarget(s string) (Target, error) {
	return parse(s, "dhms", ErrSyntax)
}

// ParseInterval reads a period that is not a target, such as the job interval:
// a whole positive number of h, m or s, at least floor. Days are refused, since
// business days mean nothing for how often a job runs.
func ParseInterval(s string, floor time.Duration) (time.Duration, error) {
	t, err := parse(s, "hms", ErrNotWall)
	if err != nil {
		return 0, err
	}
	d, _ := t.Wall()
	if d < floor {
		return 0, &ParseError{Input: strings.TrimSpace(s), Err: ErrBelowFloor, Limit: formatWall(floor)}
	}
	return d, nil
}

// parse reads a whole positive number followed by one of units, which may be
// upper case. syntax is the reason given for anything that is not that shape.
func parse(s, units string, syntax error) (Target, error) {
	s = strings.TrimSpace(s)
	fail := func(err error, limit string) (Target, error) {
		return Target{}, &ParseError{Input: s, Err: err, Limit: limit}
	}
	if len(s) < 2 {
		return fail(syntax, "")
	}
	digits, unit := s[:len(s)-1], s[len(s)-1]
	if 'A' <= unit && unit <= 'Z' {
		unit += 'a' - 'A'
	}
	if !strings.ContainsRune(units, rune(unit)) {
		return fail(syntax, "")
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return fail(syntax, "")
		}
	}
	t := Target{unit: unit}
	limit := t.maxCount()
	n, err := strconv.ParseInt(digits, 10, 64)
	switch {
	case err != nil || n > limit: // only digits, so err means too large for int64
		return fail(ErrTooLong, strconv.FormatInt(limit, 10)+string(unit))
	case n < 1:
		return fail(ErrNotPositive, "")
	}
	t.n = n
	return t, nil
}

// maxCount is the largest count allowed in t's unit.
func (t Target) maxCount() int64 {
	if t.unit == 'd' {
		return MaxBusinessDays
	}
	return int64(MaxWall / unitLength[t.unit])
}

// IsZero says whether t is no target.
func (t Target) IsZero() bool { return t.unit == 0 }

// BusinessDays returns the number of business days when t counts them.
func (t Target) BusinessDays() (int, bool) {
	if t.unit != 'd' {
		return 0, false
	}
	return int(t.n), true
}

// Wall returns the duration when t counts wall-clock time.
func (t Target) Wall() (time.Duration, bool) {
	if t.unit == 0 || t.unit == 'd' {
		return 0, false
	}
	return time.Duration(t.n) * unitLength[t.unit], true
}

// Length is t measured in its own clock: n × 24h of business time for a day
// target, the duration otherwise. Elapsed / Length is the share of t used.
func (t Target) Length() time.Duration {
	if t.unit == 'd' {
		return time.Duration(t.n) * day
	}
	d, _ := t.Wall()
	return d
}

// String is t as a setting is written: "2d", "36h"; "" for the zero Target.
func (t Target) String() string {
	if t.unit == 0 {
		return ""
	}
	return strconv.FormatInt(t.n, 10) + string(t.unit)
}

// Label is t as people read it: "2 business days", "36 hours", "1 minute".
func (t Target) Label() string {
	name, ok := unitNames[t.unit]
	if !ok {
		return "no target"
	}
	if t.n != 1 {
		name += "s"
	}
	return fmt.Sprintf("%d %s", t.n, name)
}

// MarshalText writes t as String does, so a Target can sit in JSON records.
func (t Target) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads what MarshalText wrote; empty text is the zero Target.
func (t *Target) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*t = Target{}
		return nil
	}
	parsed, err := ParseTarget(string(text))
	if err != nil {
		return err
	}
	*t = parsed
	return nil
}

// formatWall writes d in its largest whole unit ("10s", "5m", "2h"), the way a
// setting is written, rather than time.Duration's "5m0s".
func formatWall(d time.Duration) string {
	for _, u := range []struct {
		unit   string
		length time.Duration
	}{{"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}} {
		if d > 0 && d%u.length == 0 {
			return strconv.FormatInt(int64(d/u.length), 10) + u.unit
		}
	}
	return d.String()
}
