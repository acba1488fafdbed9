package report

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	reporterID = "reporter1"
	triagerID  = "triager1"
	otherID    = "triager2"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// fixture is a report sitting in a given state, reached through a realistic
// timeline. Informative appears twice because who closed it changes what a reply
// does.
type fixture struct {
	name   string
	status Status
	build  func() *Report
}

func reportIn(status Status, lastActor ActorKind, lastAction Action) *Report {
	r := validDraft()
	r.ReporterID = reporterID
	r.MarkFiled(7, t0)
	if status != StatusSubmitted {
		r.Assignee = otherID
		actorID := triagerID
		if lastActor == ActorSystem {
			actorID = ""
		}
		r.Timeline = append(r.Timeline, Event{
			At: t0.Add(time.Hour), ActorID: actorID, ActorKind: lastActor, Action: lastAction,
			From: StatusTriaging, To: status,
		})
		r.Status = status
		r.Updated = t0.Add(time.Hour)
	}
	if status == StatusDuplicate {
		r.DuplicateOf = 3
	}
	return &r
}

var fixtures = []fixture{
	{"submitted", StatusSubmitted, func() *Report { return reportIn(StatusSubmitted, "", "") }},
	{"triaging", StatusTriaging, func() *Report { return reportIn(StatusTriaging, ActorTriager, ActionTake) }},
	{"needs_info", StatusNeedsInfo, func() *Report { return reportIn(StatusNeedsInfo, ActorTriager, ActionAsk) }},
	{"confirmed", StatusConfirmed, func() *Report { return reportIn(StatusConfirmed, ActorTriager, ActionConfirm) }},
	{"fixed", StatusFixed, func() *Report { return reportIn(StatusFixed, ActorTriager, ActionFix) }},
	{"disclosed", StatusDisclosed, func() *Report { return reportIn(StatusDisclosed, ActorSystem, ActionDisclose) }},
	{"duplicate", StatusDuplicate, func() *Report { return reportIn(StatusDuplicate, ActorTriager, ActionClose) }},
	{"not_applicable", StatusNotApplicable, func() *Report { return reportIn(StatusNotApplicable, ActorTriager, ActionClose) }},
	{"informative_by_triager", StatusInformative, func() *Report { return reportIn(StatusInformative, ActorTriager, ActionClose) }},
	{"informative_by_system", StatusInformative, func() *Report { return reportIn(StatusInformative, ActorSystem, ActionAutoClose) }},
}

// allowed is the transition table of issue 6 written out a second time, by hand,
// as (action, actor) → fixture → resulting status. Every triple not listed must
// be refused. chosen stands for the resolution given to close.
const chosen Status = "chosen"

var allowed = map[Action]map[ActorKind]map[string]Status{
	ActionTake: {ActorTriager: {
		"submitted": StatusTriaging, "triaging": StatusTriaging, "needs_info": StatusTriaging,
	}},
	ActionAsk: {ActorTriager: {
		"triaging": StatusNeedsInfo, "confirmed": StatusNeedsInfo,
	}},
	ActionReply: {ActorReporter: {
		"submitted": StatusSubmitted, "triaging": StatusTriaging, "needs_info": StatusTriaging,
		"confirmed": StatusConfirmed, "fixed": StatusFixed, "disclosed": StatusDisclosed,
		"duplicate": StatusDuplicate, "not_applicable": StatusNotApplicable,
		"informative_by_triager": StatusInformative, "informative_by_system": StatusTriaging,
	}},
	ActionConfirm: {ActorTriager: {
		"triaging": StatusConfirmed, "confirmed": StatusConfirmed,
	}},
	ActionFix: {ActorTriager: {
		"confirmed": StatusFixed, "fixed": StatusFixed,
	}},
	ActionDisclose: {
		ActorTriager: {"fixed": StatusDisclosed},
		ActorSystem:  {"fixed": StatusDisclosed},
	},
	ActionClose: {ActorTriager: {
		"submitted": chosen, "triaging": chosen, "needs_info": chosen, "confirmed": chosen,
	}},
	ActionAutoClose: {ActorSystem: {
		"needs_info": StatusInformative,
	}},
	ActionReopen: {ActorTriager: {
		"duplicate": StatusTriaging, "not_applicable": StatusTriaging,
		"informative_by_triager": StatusTriaging, "informative_by_system": StatusTriaging,
	}},
	ActionReassign: {ActorTriager: {
		"submitted": StatusSubmitted, "triaging": StatusTriaging, "needs_info": StatusNeedsInfo,
		"confirmed": StatusConfirmed, "fixed": StatusFixed,
	}},
	ActionMessage: {ActorTriager: {
		"submitted": StatusSubmitted, "triaging": StatusTriaging, "needs_info": StatusNeedsInfo,
		"confirmed": StatusConfirmed, "fixed": StatusFixed, "disclosed": StatusDisclosed,
		"duplicate": StatusDuplicate, "not_applicable": StatusNotApplicable,
		"informative_by_triager": StatusInformative, "informative_by_system": StatusInformative,
	}},
	ActionAdvisory: {ActorTriager: {
		"fixed": StatusFixed, "disclosed": StatusDisclosed,
	}},
}

func actorOf(kind ActorKind) Actor {
	switch kind {
	case ActorTriager:
		return Triager(triagerID)
	case ActorReporter:
		return Reporter(reporterID)
	}
	return System()
}

// validInput is an input every action accepts when the table allows it.
func validInput(action Action, resolution Status) Input {
	in := Input{At: t0.Add(2 * time.Hour)}
	switch action {
	case ActionAsk:
		in.Note = "Which browser did you use?"
	case ActionReply:
		in.Note = "Firefox 140."
	case ActionMessage:
		in.Note = "We are on it."
	case ActionReassign:
		in.Assignee = "triager3"
	case ActionConfirm:
		in.Vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"
	case ActionFix:
		in.FixedIn = []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3"}}
	case ActionAdvisory:
		in.PublicTitle = "Stored XSS in channel headers"
		in.DiscloseOn = "2026-03-12"
	case ActionClose:
		in.Resolution = resolution
		if resolution == StatusDuplicate {
			in.DuplicateOf = 3
		}
	}
	return in
}

func TestTransitionTableEveryTriple(t *testing.T) {
	triples := 0
	for _, fx := range fixtures {
		for _, action := range Actions {
			for _, kind := range ActorKinds {
				resolutions := []Status{""}
				if action == ActionClose {
					resolutions = Resolutions
				}
				for _, res := range resolutions {
					triples++
					name := fx.name + "/" + string(action) + "/" + string(kind)
					if res != "" {
						name += "/" + string(res)
					}
					t.Run(name, func(t *testing.T) {
						want, ok := allowed[action][kind][fx.name]
						if want == chosen {
							want = res
						}
						checkTriple(t, fx, action, kind, validInput(action, res), want, ok)
					})
				}
			}
		}
	}
	// 10 fixtures × 12 actions × 3 actors, with close tried for 3 resolutions.
	if want := len(fixtures) * (len(Actions) + 2) * len(ActorKinds); triples != want {
		t.Fatalf("checked %d triples, want %d", triples, want)
	}
}

func checkTriple(t *testing.T, fx fixture, action Action, kind ActorKind, in Input, want Status, ok bool) {
	t.Helper()
	r := fx.build()
	before := fx.build()
	actor := actorOf(kind)

	if got := Allowed(r, action, kind); got != ok {
		t.Fatalf("Allowed = %v, want %v", got, ok)
	}
	ev, err := Apply(r, action, actor, in)
	if !ok {
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("Apply = %v, want a refusal", err)
		}
		if msg := err.Error(); msg == "" || !strings.HasSuffix(msg, ".") {
			t.Fatalf("refusal %q is not a sentence", msg)
		}
		if !reflect.DeepEqual(r, before) {
			t.Fatalf("a refused action changed the report")
		}
		return
	}
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if r.Status != want {
		t.Fatalf("status = %s, want %s", r.Status, want)
	}
	wantEvent := Event{At: in.At, ActorID: actor.UserID, ActorKind: kind, Action: action, From: fx.status, To: want}
	if ev.At != wantEvent.At || ev.ActorID != wantEvent.ActorID || ev.ActorKind != kind || ev.Action != action || ev.From != fx.status || ev.To != want {
		t.Fatalf("event = %+v, want %+v", ev, wantEvent)
	}
	if len(r.Timeline) != len(before.Timeline)+1 || !reflect.DeepEqual(r.Timeline[len(r.Timeline)-1], ev) {
		t.Fatalf("timeline does not end with the returned event")
	}
	if !r.Updated.Equal(in.At) {
		t.Fatalf("updated = %v, want %v", r.Updated, in.At)
	}
}

func TestStatusHelpers(t *testing.T) {
	open := map[Status]bool{StatusSubmitted: true, StatusTriaging: true, StatusNeedsInfo: true, StatusConfirmed: true}
	for _, s := range Statuses {
		if s.IsOpen() != open[s] {
			t.Errorf("%s: IsOpen=%v", s, s.IsOpen())
		}
		if s.Label() == string(s) {
			t.Errorf("%s has no label", s)
		}
	}
	if StatusFixed.IsOpen() {
		t.Error("fixed must not be open")
	}
}

func TestApplyEffects(t *testing.T) {
	at := t0.Add(3 * time.Hour)
	tests := []struct {
		name    string
		fixture string
		action  Action
		actor   Actor
		in      Input
		check   func(t *testing.T, r *Report, ev Event)
	}{
		{
			name: "take makes the actor assignee", fixture: "submitted", action: ActionTake, actor: Triager(triagerID),
			check: func(t *testing.T, r *Report, ev Event) {
				if r.Assignee != triagerID || ev.Assignee != triagerID {
					t.Fatalf("assignee = %q, event assignee = %q", r.Assignee, ev.Assignee)
				}
			},
		},
		{
			name: "reassign keeps the state", fixture: "fixed", action: ActionReassign, actor: Triager(triagerID), in: Input{Assignee: "triager3"},
			check: func(t *testing.T, r *Report, ev Event) {
				if r.Assignee != "triager3" || r.Status != StatusFixed || ev.Assignee != "triager3" {
					t.Fatalf("assignee %q status %s", r.Assignee, r.Status)
				}
			},
		},
		{
			name: "confirm revises the vector", fixture: "triaging", action: ActionConfirm, actor: Triager(triagerID),
			in: Input{Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
			check: func(t *testing.T, r *Report, ev Event) {
				if sev := r.Severity(); sev.Score != 9.8 || !strings.Contains(ev.Detail, "9.8 Critical") {
					t.Fatalf("severity %v, detail %q", sev, ev.Detail)
				}
			},
		},
		{
			name: "confirm without a new severity keeps the old one", fixture: "triaging", action: ActionConfirm, actor: Triager(triagerID),
			check: func(t *testing.T, r *Report, ev Event) {
				if r.Vector != validDraft().Vector || ev.Detail != "" {
					t.Fatalf("vector %q detail %q", r.Vector, ev.Detail)
				}
			},
		},
		{
			name: "fix records versions, advisory and CVE", fixture: "confirmed", action: ActionFix, actor: Triager(triagerID),
			in: Input{FixedIn: []FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}, AdvisoryID: "MMSA-2026-00123", CVEID: "cve-2026-12345"},
			check: func(t *testing.T, r *Report, ev Event) {
				if len(r.FixedIn) != 1 || r.AdvisoryID != "MMSA-2026-00123" || r.CVEID != "CVE-2026-12345" {
					t.Fatalf("fixed %v advisory %q cve %q", r.FixedIn, r.AdvisoryID, r.CVEID)
				}
				if ev.Detail != "fixed in 11.5.1 (2026-02-10); advisory MMSA-2026-00123; CVE-2026-12345" {
					t.Fatalf("detail %q", ev.Detail)
				}
			},
		},
		{
			name: "close as duplicate names the original", fixture: "triaging", action: ActionClose, actor: Triager(triagerID),
			in: Input{Resolution: StatusDuplicate, DuplicateOf: 2, Note: "Known issue."},
			check: func(t *testing.T, r *Report, ev Event) {
				if r.DuplicateOf != 2 || ev.Detail != "duplicate of SEC-2" || ev.Note != "Known issue." {
					t.Fatalf("dup %d detail %q note %q", r.DuplicateOf, ev.Detail, ev.Note)
				}
			},
		},
		{
			name: "reopen clears the duplicate link", fixture: "duplicate", action: ActionReopen, actor: Triager(triagerID),
			check: func(t *testing.T, r *Report, ev Event) {
				if r.DuplicateOf != 0 {
					t.Fatalf("dup %d after reopen", r.DuplicateOf)
				}
			},
		},
		{
			name: "auto-close is recorded as the system's", fixture: "needs_info", action: ActionAutoClose, actor: System(),
			check: func(t *testing.T, r *Report, ev Event) {
				if ev.ActorKind != ActorSystem || ev.ActorID != "" || !closedBySystem(r) {
					t.Fatalf("event %+v", ev)
				}
			},
		},
		{
			name: "note is trimmed", fixture: "triaging", action: ActionAsk, actor: Triager(triagerID), in: Input{Note: "  Which version?\r\n"},
			check: func(t *testing.T, r *Report, ev Event) {
				if ev.Note != "Which version?" {
					t.Fatalf("note %q", ev.Note)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixtureNamed(t, tt.fixture)
			tt.in.At = at
			ev, err := Apply(r, tt.action, tt.actor, tt.in)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			tt.check(t, r, ev)
		})
	}
}

func TestApplyInputErrors(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		action  Action
		in      Input
		field   string
		msg     string
	}{
		{"ask without question", "triaging", ActionAsk, Input{Note: "  "}, FieldNote, "Fill in the message"},
		{"message too long", "fixed", ActionMessage, Input{Note: strings.Repeat("m", MaxNoteRunes+1)}, FieldNote, "at most 10000"},
		{"reassign to nobody", "triaging", ActionReassign, Input{}, FieldAssignee, "Choose who takes over SEC-7"},
		{"reassign to the assignee", "triaging", ActionReassign, Input{Assignee: otherID}, FieldAssignee, "already assigned"},
		{"confirm with bad vector", "triaging", ActionConfirm, Input{Vector: "CVSS:3.1/AV:N"}, FieldVector, "lacks the base metric"},
		{"confirm with bad estimate", "triaging", ActionConfirm, Input{Estimate: "huge"}, FieldEstimate, "low, medium, high or critical"},
		{"fix without versions", "confirmed", ActionFix, Input{}, FieldFixedIn, "List the versions"},
		{"fix with bad version", "confirmed", ActionFix, Input{FixedIn: []FixedVersion{{Version: "next"}}}, FieldFixedIn, "written like 11.5.1"},
		{"fix with duplicate versions", "confirmed", ActionFix, Input{FixedIn: []FixedVersion{{Version: "1.2"}, {Version: "1.2"}}}, FieldFixedIn, "listed twice"},
		{"fix with bad CVE", "confirmed", ActionFix, Input{FixedIn: []FixedVersion{{Version: "1.2"}}, CVEID: "CVE-26-1"}, FieldCVEID, "CVE-2026-12345"},
		{"fix with multi-line advisory", "confirmed", ActionFix, Input{FixedIn: []FixedVersion{{Version: "1.2"}}, AdvisoryID: "a\nb"}, FieldAdvisoryID, "one line"},
		{"close without resolution", "triaging", ActionClose, Input{}, FieldResolution, "duplicate, not applicable or informative"},
		{"close into an open state", "triaging", ActionClose, Input{Resolution: StatusTriaging}, FieldResolution, "duplicate, not applicable or informative"},
		{"duplicate without original", "triaging", ActionClose, Input{Resolution: StatusDuplicate}, FieldDuplicateOf, "like SEC-12"},
		{"duplicate of itself", "triaging", ActionClose, Input{Resolution: StatusDuplicate, DuplicateOf: 7}, FieldDuplicateOf, "itself"},
		{"not applicable naming an original", "triaging", ActionClose, Input{Resolution: StatusNotApplicable, DuplicateOf: 2}, FieldDuplicateOf, "Only a report closed as duplicate"},
		{"reply without text", "needs_info", ActionReply, Input{}, FieldNote, "Fill in the message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixtureNamed(t, tt.fixture)
			before := fixtureNamed(t, tt.fixture)
			actor := Triager(triagerID)
			if tt.action == ActionReply {
				actor = Reporter(reporterID)
			}
			_, err := Apply(r, tt.action, actor, tt.in)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Apply = %v, want an InputError", err)
			}
			if ie.Field != tt.field || !strings.Contains(ie.Message, tt.msg) {
				t.Fatalf("InputError{%s, %q}, want {%s, ~%q}", ie.Field, ie.Message, tt.field, tt.msg)
			}
			if !reflect.DeepEqual(r, before) {
				t.Fatal("a rejected input changed the report")
			}
		})
	}
}

func TestRefusalMessages(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		action  Action
		actor   Actor
		want    string
	}{
		{"wrong state", "duplicate", ActionTake, Triager(triagerID), "SEC-7 is Closed as duplicate: you can take it only when it is Submitted, Triaging or Needs information."},
		{"wrong actor", "triaging", ActionConfirm, Reporter(reporterID), "The reporter cannot confirm a report."},
		{"system cannot reopen", "informative_by_system", ActionReopen, System(), "The system cannot reopen a report."},
		{"triager cannot auto-close", "needs_info", ActionAutoClose, Triager(triagerID), "A triager cannot close a report for lack of an answer."},
		{"fix too early", "triaging", ActionFix, Triager(triagerID), "SEC-7 is Triaging: you can mark it as fixed only when it is Confirmed or Fixed."},
		{"someone else as reporter", "needs_info", ActionReply, Reporter("intruder"), "Only the researcher who filed SEC-7 can act on it as its reporter."},
		{"anonymous triager", "submitted", ActionTake, Triager(""), "A triager must be identified to act on a report."},
		{"submit again", "submitted", ActionSubmit, Reporter(reporterID), "A report is submitted only once."},
		{"unknown action", "submitted", Action("delete"), Triager(triagerID), `Unknown action "delete".`},
		{"unknown actor", "submitted", ActionTake, Actor{Kind: "admin", UserID: "x"}, `Unknown kind of actor "admin".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixtureNamed(t, tt.fixture)
			_, err := Apply(r, tt.action, tt.actor, validInput(tt.action, ""))
			if !errors.Is(err, ErrRefused) || err.Error() != tt.want {
				t.Fatalf("Apply = %v, want refusal %q", err, tt.want)
			}
		})
	}
}

// A reporter's late reply reopens an auto-closed report only while the system's
// closing is the latest state change: once a triager closes it again, replies
// are relayed without reopening.
func TestReplyReopensOnlyAutoClosedReports(t *testing.T) {
	r := fixtureNamed(t, "needs_info")
	steps := []struct {
		action Action
		actor  Actor
		in     Input
		want   Status
	}{
		{ActionAutoClose, System(), Input{}, StatusInformative},
		{ActionMessage, Triager(triagerID), Input{Note: "Still there?"}, StatusInformative},
		{ActionReply, Reporter(reporterID), Input{Note: "Sorry, here are the logs."}, StatusTriaging},
		{ActionClose, Triager(triagerID), Input{Resolution: StatusInformative}, StatusInformative},
		{ActionReply, Reporter(reporterID), Input{Note: "But wait."}, StatusInformative},
	}
	for i, st := range steps {
		st.in.At = t0.Add(time.Duration(i+2) * time.Hour)
		if _, err := Apply(r, st.action, st.actor, st.in); err != nil {
			t.Fatalf("step %d %s: %v", i, st.action, err)
		}
		if r.Status != st.want {
			t.Fatalf("step %d %s: status %s, want %s", i, st.action, r.Status, st.want)
		}
	}
}

func TestAllowedActions(t *testing.T) {
	tests := []struct {
		fixture string
		kind    ActorKind
		want    []Action
	}{
		{"submitted", ActorTriager, []Action{ActionTake, ActionClose, ActionReassign, ActionMessage}},
		{"fixed", ActorTriager, []Action{ActionFix, ActionDisclose, ActionReassign, ActionMessage, ActionAdvisory}},
		{"informative_by_triager", ActorTriager, []Action{ActionReopen, ActionMessage}},
		{"needs_info", ActorSystem, []Action{ActionAutoClose}},
		{"disclosed", ActorReporter, []Action{ActionReply}},
	}
	for _, tt := range tests {
		got := AllowedActions(fixtureNamed(t, tt.fixture), tt.kind)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s/%s: %v, want %v", tt.fixture, tt.kind, got, tt.want)
		}
	}
}

func TestMarkFiled(t *testing.T) {
	r := validDraft()
	r.Assignee = "stale"
	r.MarkFiled(12, t0.In(time.FixedZone("X", 3600)))
	if r.ID != 12 || r.Key() != "SEC-12" || r.Status != StatusSubmitted || r.Version != 1 || r.Assignee != "" {
		t.Fatalf("filed report %+v", r)
	}
	if r.Created.Location() != time.UTC || !r.Created.Equal(t0) || !r.Updated.Equal(t0) {
		t.Fatalf("created %v updated %v", r.Created, r.Updated)
	}
	want := []Event{{At: t0, ActorID: r.ReporterID, ActorKind: ActorReporter, Action: ActionSubmit, To: StatusSubmitted}}
	if !reflect.DeepEqual(r.Timeline, want) {
		t.Fatalf("timeline %+v", r.Timeline)
	}
}

func fixtureNamed(t *testing.T, name string) *Report {
	t.Helper()
	for _, fx := range fixtures {
		if fx.name == name {
			return fx.build()
		}
	}
	t.Fatalf("no fixture %q", name)
	return nil
}
