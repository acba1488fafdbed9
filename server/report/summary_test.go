package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// act is one action applied to a report at t0 plus an offset.
type act struct {
	after  time.Duration
	action Action
	actor  Actor
	in     Input
}

// filedAfter is when filedWith files, after t0: not a whole millisecond, as
// time.Now gives.
const filedAfter = 123456789 * time.Nanosecond

func filedWith(t *testing.T, steps ...act) *Report {
	t.Helper()
	r := validDraft()
	r.MarkFiled(12, t0.Add(filedAfter)) // sub-millisecond part: summaries keep it
	for _, st := range steps {
		in := st.in
		in.At = t0.Add(st.after)
		if _, err := Apply(&r, st.action, st.actor, in); err != nil {
			t.Fatalf("%s: %v", st.action, err)
		}
	}
	return &r
}

func TestSummarizeMilestones(t *testing.T) {
	triager := Triager(triagerID)
	h := func(n int) time.Duration { return time.Duration(n) * time.Hour }
	at := func(n int) time.Time { return t0.Add(h(n)) }
	fix := Input{FixedIn: []FixedVersion{{Version: "11.5.1", Released: "2026-03-20"}}, AdvisoryID: "MMSA-2026-1", CVEID: "CVE-2026-1234"}
	tests := []struct {
		name  string
		steps []act
		want  func(s *Summary) // the expected summary, starting from the filed one
	}{
		{"just filed", nil, func(*Summary) {}},
		{"taken", []act{{h(1), ActionTake, triager, Input{}}}, func(s *Summary) {
			s.Status, s.Assignee, s.Updated, s.RespondedAt, s.LastVisibleAt = StatusTriaging, triagerID, at(1), at(1), at(1)
		}},
		{"reassignment is not a response and not visible", []act{
			{h(1), ActionReassign, triager, Input{Assignee: otherID}},
		}, func(s *Summary) {
			s.Assignee, s.Updated = otherID, at(1)
		}},
		{"asked and waiting", []act{
			{h(1), ActionTake, triager, Input{}},
			{h(2), ActionAsk, triager, Input{Note: "which version?"}},
		}, func(s *Summary) {
			s.Status, s.Assignee, s.Updated = StatusNeedsInfo, triagerID, at(2)
			s.RespondedAt, s.AskedAt, s.LastVisibleAt = at(1), at(2), at(2)
		}},
		{"answered: no question waits", []act{
			{h(1), ActionTake, triager, Input{}},
			{h(2), ActionAsk, triager, Input{Note: "which version?"}},
			{h(3), ActionReply, Reporter("researcher1"), Input{Note: "11.4"}},
		}, func(s *Summary) {
			s.Status, s.Assignee, s.Updated = StatusTriaging, triagerID, at(3)
			s.RespondedAt, s.LastVisibleAt = at(1), at(3)
		}},
		{"confirmed with a new vector, fixed", []act{
			{h(1), ActionTake, triager, Input{}},
			{h(2), ActionConfirm, triager, Input{Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
			{h(5), ActionFix, triager, fix},
		}, func(s *Summary) {
			s.Status, s.Assignee, s.Updated = StatusFixed, triagerID, at(5)
			s.Rating, s.Score = RatingCritical, 9.8
			s.RespondedAt, s.TriagedAt, s.ResolvedAt, s.FixedAt, s.LastVisibleAt = at(1), at(2), at(5), at(5), at(5)
			s.FixedIn, s.AdvisoryID, s.CVEID = fix.FixedIn, fix.AdvisoryID, fix.CVEID
		}},
		{"disclosed", []act{
			{h(1), ActionTake, triager, Input{}},
			{h(2), ActionConfirm, triager, Input{}},
			{h(5), ActionFix, triager, fix},
			{h(9), ActionDisclose, triager, Input{}},
		}, func(s *Summary) {
			s.Status, s.Assignee, s.Updated = StatusDisclosed, triagerID, at(9)
			s.RespondedAt, s.TriagedAt, s.ResolvedAt, s.FixedAt, s.ClosedAt, s.LastVisibleAt = at(1), at(2), at(5), at(5), at(9), at(9)
			s.FixedIn, s.AdvisoryID, s.CVEID = fix.FixedIn, fix.AdvisoryID, fix.CVEID
		}},
		{"closed as duplicate: every clock stops", []act{
			{h(4), ActionClose, triager, Input{Resolution: StatusDuplicate, DuplicateOf: 3}},
		}, func(s *Summary) {
			s.Status, s.Updated, s.DuplicateOf = StatusDuplicate, at(4), 3
			s.RespondedAt, s.TriagedAt, s.ResolvedAt, s.ClosedAt, s.LastVisibleAt = at(4), at(4), at(4), at(4), at(4)
		}},
		{"closed then reopened: not final, the first stops stay", []act{
			{h(4), ActionClose, triager, Input{Resolution: StatusInformative}},
			{h(6), ActionReopen, triager, Input{}},
		}, func(s *Summary) {
			s.Status, s.Updated = StatusTriaging, at(6)
			s.RespondedAt, s.TriagedAt, s.ResolvedAt, s.LastVisibleAt = at(4), at(4), at(4), at(6)
		}},
		{"closed, reopened, closed again: the last closing counts", []act{
			{h(4), ActionClose, triager, Input{Resolution: StatusInformative}},
			{h(6), ActionReopen, triager, Input{}},
			{h(8), ActionClose, triager, Input{Resolution: StatusNotApplicable}},
		}, func(s *Summary) {
			s.Status, s.Updated = StatusNotApplicable, at(8)
			s.RespondedAt, s.TriagedAt, s.ResolvedAt, s.ClosedAt, s.LastVisibleAt = at(4), at(4), at(4), at(8), at(8)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := filedWith(t, tt.steps...)
			want := Summary{
				ID: 12, Status: StatusSubmitted, Title: r.Title, Product: r.Product, Reporter: r.ReporterID,
				Created: t0.Add(filedAfter), Updated: t0.Add(filedAfter), Version: 1,
				Rating: RatingMedium, Score: 6.1, WantsCredit: true, LastVisibleAt: t0.Add(filedAfter),
			}
			tt.want(&want)
			got := Summarize(r)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Summarize =\n%+v\nwant\n%+v", got, want)
			}
			if sev := r.Severity(); got.Severity() != (Severity{Rating: sev.Rating, Score: sev.Score, Estimated: sev.Estimated}) {
				t.Fatalf("severity %+v, report's %+v", got.Severity(), sev)
			}
		})
	}
}

// A summary read back equals the one computed, and the stored form stays small:
// a typical fixed report (Mattermost ids are 26 characters, every instant with
// a sub-millisecond part as time.Now gives) under 460 bytes, a maximal title
// with two releases under 660.
func TestSummaryStoredForm(t *testing.T) {
	triager := Triager("abcdefghijklmnopqrstuvwxyz")
	oneRelease := []FixedVersion{{Version: "11.5.1", Released: "2026-03-20"}}
	twoReleases := []FixedVersion{{Version: "11.5.1", Released: "2026-03-20"}, {Version: "11.4.3", Released: "2026-03-21"}}
	tests := []struct {
		name    string
		title   string
		fixedIn []FixedVersion
		max     int
	}{
		{"typical", "Stored XSS in the channel header of shared channels", oneRelease, 460},
		{"longest title, two releases", strings.Repeat("t", MaxTitleRunes), twoReleases, 660},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := filedWith(t,
				act{time.Hour + 987654*time.Nanosecond, ActionTake, triager, Input{}},
				act{2*time.Hour + 876543*time.Nanosecond, ActionConfirm, triager, Input{}},
				act{3*time.Hour + 765432*time.Nanosecond, ActionFix, triager, Input{FixedIn: tt.fixedIn, AdvisoryID: "MMSA-2026-101"}},
			)
			r.ReporterID, r.CardPostID, r.ThreadRootID = "reporterreporterreporter00", "cardcardcardcardcardcard00", "threadthreadthreadthread00"
			r.Title = tt.title
			s := Summarize(r)
			data, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) > tt.max {
				t.Fatalf("stored summary is %d bytes, want at most %d: %s", len(data), tt.max, data)
			}
			if !strings.HasPrefix(string(data), `{"i":12,`) {
				t.Fatalf("the id must lead the stored form: %s", data)
			}
			var back Summary
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, s) {
				t.Fatalf("read back\n%+v\nwant\n%+v", back, s)
			}
			t.Logf("%d bytes", len(data))
		})
	}
}

// Offsets from the creation time and the sub-millisecond parts keep every
// instant exact, including one at the creation instant itself, one before
// it, and ones a nanosecond apart.
func TestSummaryInstantsRoundTrip(t *testing.T) {
	created := t0.Add(5*time.Millisecond + 42*time.Nanosecond)
	for _, at := range []time.Time{{}, created, created.Add(time.Millisecond), created.Add(-time.Millisecond), created.Add(400 * 24 * time.Hour),
		created.Add(time.Nanosecond), created.Add(-time.Nanosecond), created.Add(time.Hour + 999999*time.Nanosecond)} {
		s := Summary{ID: 1, Created: created, RespondedAt: at}
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Summary
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Fatalf("%v read back as %v (%s)", at, back.RespondedAt, data)
		}
	}
}

func TestSummaryDisclosureDateMatchesTheReport(t *testing.T) {
	tests := []struct {
		name string
		r    Report
	}{
		{"date set by the team", Report{DiscloseOn: "2026-05-01", FixedIn: []FixedVersion{{Version: "11.5.1", Released: "2026-03-20"}}}},
		{"after the earliest release", Report{FixedIn: []FixedVersion{{Version: "11.5.1", Released: "2026-03-20"}, {Version: "11.4.3", Released: "2026-03-10"}}}},
		{"unknown", Report{FixedIn: []FixedVersion{{Version: "11.5.1"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(&tt.r)
			wantDate, wantOK := tt.r.DisclosureDate(30)
			gotDate, gotOK := s.DisclosureDate(30)
			if !gotDate.Equal(wantDate) || gotOK != wantOK {
				t.Fatalf("summary says %v %v, report %v %v", gotDate, gotOK, wantDate, wantOK)
			}
		})
	}
}
