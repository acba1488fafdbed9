package report

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Summary is the part of a report that lists, queues, digests, the follow-up
// job, stats, the Hall of Fame and reply catch-up need, so they read a few
// sharded records of summaries instead of one record per report. The full
// Report is read only by the report's own page and by whoever changes it.
//
// Times are kept to the nanosecond, in UTC, as the record has them: stats
// measure intervals between them and must give what the timeline gives. The
// stored form holds milliseconds and, beside them, the sub-millisecond rest,
// so a summary read back equals the one computed from the record.
type Summary struct {
	ID       int
	Status   Status
	Title    string
	Product  string
	Reporter string
	Assignee string
	Created  time.Time
	Updated  time.Time
	Version  int

	// Severity as Report.Severity derives it (the vector itself is left out).
	Rating    Rating
	Score     float64 // zero when estimated
	Estimated bool

	// Clock milestones: the instants at which the SLA clocks stopped (zero while
	// a clock runs), the same rules as the service's clocks. Due times are not
	// stored: targets are settings an admin may change at any time, so they are
	// computed when read, from Created and these stops.
	RespondedAt time.Time // first thing the team did that the reporter sees (take, ask, message, close)
	TriagedAt   time.Time // first confirmed or closed
	ResolvedAt  time.Time // first fixed or closed
	// Further instants the job and stats start or end intervals at.
	FixedAt       time.Time // first time it became fixed
	ClosedAt      time.Time // when it became final (disclosed or closed); zero unless final now
	AskedAt       time.Time // the question the team waits on; zero unless needs_info
	LastVisibleAt time.Time // newest event the reporter was told about (or did)

	AdvisoryID   string
	CVEID        string
	FixedIn      []FixedVersion
	DiscloseOn   string
	DuplicateOf  int
	WantsCredit  bool
	CardPostID   string
	ThreadRootID string
}

// Summarize computes the summary of r.
func Summarize(r *Report) Summary {
	sev := r.Severity()
	s := Summary{
		ID: r.ID, Status: r.Status, Title: r.Title, Product: r.Product,
		Reporter: r.ReporterID, Assignee: r.Assignee,
		Created: instant(r.Created), Updated: instant(r.Updated), Version: r.Version,
		Rating: sev.Rating, Score: sev.Score, Estimated: sev.Estimated,
		AdvisoryID: r.AdvisoryID, CVEID: r.CVEID, FixedIn: cloneOrNil(r.FixedIn), DiscloseOn: r.DiscloseOn,
		DuplicateOf: r.DuplicateOf, WantsCredit: r.WantsCredit, CardPostID: r.CardPostID, ThreadRootID: r.ThreadRootID,
	}
	for _, e := range r.Timeline {
		at := instant(e.At)
		if s.RespondedAt.IsZero() && e.isResponse() {
			s.RespondedAt = at
		}
		if s.TriagedAt.IsZero() && (e.To == StatusConfirmed || e.To.IsResolution()) {
			s.TriagedAt = at
		}
		if s.ResolvedAt.IsZero() && (e.To == StatusFixed || e.To.IsResolution()) {
			s.ResolvedAt = at
		}
		if s.FixedAt.IsZero() && e.To == StatusFixed {
			s.FixedAt = at
		}
		if e.To.IsFinal() && !e.From.IsFinal() {
			s.ClosedAt = at
		}
		if e.Action == ActionAsk {
			s.AskedAt = at
		}
		if e.Action != ActionReassign && at.After(s.LastVisibleAt) {
			s.LastVisibleAt = at
		}
	}
	if !r.IsFinal() {
		s.ClosedAt = time.Time{}
	} else if s.ClosedAt.IsZero() {
		s.ClosedAt = s.Updated // a record stored without the event that closed it
	}
	if r.Status != StatusNeedsInfo {
		s.AskedAt = time.Time{}
	}
	return s
}

// cloneOrNil copies vs; an empty list is nil, as the stored form reads back.
func cloneOrNil(vs []FixedVersion) []FixedVersion {
	if len(vs) == 0 {
		return nil
	}
	return slices.Clone(vs)
}

// instant is t as a summary keeps it: in UTC, without a monotonic reading.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// Key is the human id, e.g. "SEC-12".
func (s *Summary) Key() string { return FormatID(s.ID) }

// IsOpen reports whether the team still has work to do.
func (s *Summary) IsOpen() bool { return s.Status.IsOpen() }

// IsFinal reports whether the report is closed or disclosed.
func (s *Summary) IsFinal() bool { return s.Status.IsFinal() }

// Severity is the report's severity as Report.Severity gives it, without the
// vector.
func (s *Summary) Severity() Severity {
	return Severity{Rating: s.Rating, Score: s.Score, Estimated: s.Estimated}
}

// DisclosureDate is Report.DisclosureDate, from the fields the summary keeps.
func (s *Summary) DisclosureDate(delayDays int) (time.Time, bool) {
	r := Report{DiscloseOn: s.DiscloseOn, FixedIn: s.FixedIn}
	return r.DisclosureDate(delayDays)
}

// summaryJSON is the stored form: one- and two-letter names, the creation
// time in Unix milliseconds and every other instant as milliseconds after it,
// releases as "version date" strings and no rating a score implies; a typical
// summary is under 400 bytes and a shard of 500 stays under 200 KB. The id comes first: the store reads a
// summary's id from the start of its encoding without decoding the rest. Names
// are never renamed once released.
type summaryJSON struct {
	ID            int      `json:"i"`
	Status        Status   `json:"s"`
	Title         string   `json:"t"`
	Product       string   `json:"p,omitempty"`
	Reporter      string   `json:"u"`
	Assignee      string   `json:"a,omitempty"`
	Created       int64    `json:"c"`
	Updated       int64    `json:"m,omitempty"`
	Version       int      `json:"v"`
	Rating        Rating   `json:"r,omitempty"`
	Score         float64  `json:"sc,omitempty"`
	Estimated     bool     `json:"e,omitempty"`
	RespondedAt   int64    `json:"fr,omitempty"`
	TriagedAt     int64    `json:"tr,omitempty"`
	ResolvedAt    int64    `json:"rs,omitempty"`
	FixedAt       int64    `json:"fx,omitempty"`
	ClosedAt      int64    `json:"cl,omitempty"`
	AskedAt       int64    `json:"q,omitempty"`
	LastVisibleAt int64    `json:"lv,omitempty"`
	AdvisoryID    string   `json:"adv,omitempty"`
	CVEID         string   `json:"cve,omitempty"`
	FixedIn       []string `json:"fi,omitempty"`
	DiscloseOn    string   `json:"do,omitempty"`
	DuplicateOf   int      `json:"d,omitempty"`
	WantsCredit   bool     `json:"cr,omitempty"`
	CardPostID    string   `json:"cp,omitempty"`
	ThreadRootID  string   `json:"th,omitempty"`
	// Nanos are the sub-millisecond parts of the instants, in the order of
	// Summary.instants, trailing zeros left out (nil when all are whole
	// milliseconds): the fields above hold whole milliseconds.
	Nanos []int64 `json:"n,omitempty"`
}

// instants are the summary's times in the order the stored form's Nanos
// lists their sub-millisecond parts. Never reordered once released.
func (s *Summary) instants() []*time.Time {
	return []*time.Time{&s.Created, &s.Updated, &s.RespondedAt, &s.TriagedAt, &s.ResolvedAt,
		&s.FixedAt, &s.ClosedAt, &s.AskedAt, &s.LastVisibleAt}
}

// MarshalJSON writes the stored form.
func (s Summary) MarshalJSON() ([]byte, error) {
	var nanos []int64
	for i, t := range s.instants() {
		if t.IsZero() {
			continue
		}
		if rest := int64(t.Nanosecond() % int(time.Millisecond)); rest != 0 {
			nanos = append(nanos, make([]int64, i+1-len(nanos))...)
			nanos[i] = rest
		}
		*t = t.Truncate(time.Millisecond) // s is a copy: the fields below hold milliseconds
	}
	c := s.Created
	return json.Marshal(summaryJSON{
		ID: s.ID, Status: s.Status, Title: s.Title, Product: s.Product, Reporter: s.Reporter, Assignee: s.Assignee,
		Created: millis(c), Updated: after(c, s.Updated), Version: s.Version,
		Rating: storedRating(s), Score: s.Score, Estimated: s.Estimated,
		RespondedAt: after(c, s.RespondedAt), TriagedAt: after(c, s.TriagedAt), ResolvedAt: after(c, s.ResolvedAt),
		FixedAt: after(c, s.FixedAt), ClosedAt: after(c, s.ClosedAt), AskedAt: after(c, s.AskedAt), LastVisibleAt: after(c, s.LastVisibleAt),
		AdvisoryID: s.AdvisoryID, CVEID: s.CVEID, FixedIn: releases(s.FixedIn), DiscloseOn: s.DiscloseOn,
		DuplicateOf: s.DuplicateOf, WantsCredit: s.WantsCredit, CardPostID: s.CardPostID, ThreadRootID: s.ThreadRootID,
		Nanos: nanos,
	})
}

// UnmarshalJSON reads the stored form.
func (s *Summary) UnmarshalJSON(data []byte) error {
	var w summaryJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	c := fromMillis(w.Created)
	*s = Summary{
		ID: w.ID, Status: w.Status, Title: w.Title, Product: w.Product, Reporter: w.Reporter, Assignee: w.Assignee,
		Created: c, Updated: since(c, w.Updated), Version: w.Version,
		Rating: readRating(w), Score: w.Score, Estimated: w.Estimated,
		RespondedAt: since(c, w.RespondedAt), TriagedAt: since(c, w.TriagedAt), ResolvedAt: since(c, w.ResolvedAt),
		FixedAt: since(c, w.FixedAt), ClosedAt: since(c, w.ClosedAt), AskedAt: since(c, w.AskedAt), LastVisibleAt: since(c, w.LastVisibleAt),
		AdvisoryID: w.AdvisoryID, CVEID: w.CVEID, FixedIn: fixedVersions(w.FixedIn), DiscloseOn: w.DiscloseOn,
		DuplicateOf: w.DuplicateOf, WantsCredit: w.WantsCredit, CardPostID: w.CardPostID, ThreadRootID: w.ThreadRootID,
	}
	for i, t := range s.instants() {
		if i < len(w.Nanos) && !t.IsZero() {
			*t = t.Add(time.Duration(w.Nanos[i]))
		}
	}
	return nil
}

// storedRating leaves out a rating the score implies, as a scored vector's
// always does.
func storedRating(s Summary) Rating {
	if s.Score > 0 && !s.Estimated {
		if r, err := RatingOf(s.Score); err == nil && r == s.Rating {
			return ""
		}
	}
	return s.Rating
}

func readRating(w summaryJSON) Rating {
	if w.Rating == "" && w.Score > 0 && !w.Estimated {
		if r, err := RatingOf(w.Score); err == nil {
			return r
		}
	}
	return w.Rating
}

// millis is t in Unix milliseconds, 0 for the zero time (whose Unix value is a
// large negative number).
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// after is t as milliseconds after created. 0 stands for the zero time, so
// offsets from 0 up are stored one higher; an event before its report's
// creation (a clock set back) keeps its negative offset.
func after(created, t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	d := t.Sub(created).Milliseconds()
	if d < 0 {
		return d
	}
	return d + 1
}

func since(created time.Time, d int64) time.Time {
	switch {
	case d == 0:
		return time.Time{}
	case d > 0:
		d--
	}
	return created.Add(time.Duration(d) * time.Millisecond)
}

// releases writes fixed versions as "11.5.1 2026-03-20" ("11.5.1" without a
// date): a version has no spaces, so the split back is exact.
func releases(vs []FixedVersion) []string {
	if len(vs) == 0 {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Version
		if v.Released != "" {
			out[i] += " " + v.Released
		}
	}
	return out
}

func fixedVersions(rs []string) []FixedVersion {
	if len(rs) == 0 {
		return nil
	}
	out := make([]FixedVersion, len(rs))
	for i, r := range rs {
		v, date, _ := strings.Cut(r, " ")
		out[i] = FixedVersion{Version: v, Released: date}
	}
	return out
}
