package report

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Pseudo-states used only as rule targets; they never reach a stored report.
const (
	sameState        Status = "(same)"
	chosenResolution Status = "(resolution)"
)

// rule is one row of the transition table: the action, by these kinds of actor,
// from these states (and only when the guard holds), leads to this state.
type rule struct {
	action Action
	actors []ActorKind
	from   []Status
	guard  func(*Report) bool
	to     Status
}

var (
	byTriager         = []ActorKind{ActorTriager}
	byReporter        = []ActorKind{ActorReporter}
	bySystem          = []ActorKind{ActorSystem}
	byTriagerOrSystem = []ActorKind{ActorTriager, ActorSystem}

	openStates   = []Status{StatusSubmitted, StatusTriaging, StatusNeedsInfo, StatusConfirmed}
	openOrFixed  = append(append([]Status{}, openStates...), StatusFixed)
	closedStates = []Status{StatusDuplicate, StatusNotApplicable, StatusInformative}
)

// transitions is the whole state machine. Rules are tried in order and the first
// match wins, which is how the two specific reply rules take precedence over the
// catch-all "relayed, no change" rule.
var transitions = []rule{
	{ActionTake, byTriager, []Status{StatusSubmitted, StatusTriaging, StatusNeedsInfo}, nil, StatusTriaging},
	{ActionAsk, byTriager, []Status{StatusTriaging, StatusConfirmed}, nil, StatusNeedsInfo},
	{ActionReply, byReporter, []Status{StatusNeedsInfo}, nil, StatusTriaging},
	// A report the system closed because nobody answered comes back when the
	// reporter finally does; one a triager closed does not.
	{ActionReply, byReporter, []Status{StatusInformative}, closedBySystem, StatusTriaging},
	{ActionReply, byReporter, Statuses, nil, sameState},
	{ActionConfirm, byTriager, []Status{StatusTriaging, StatusConfirmed}, nil, StatusConfirmed},
	{ActionFix, byTriager, []Status{StatusConfirmed, StatusFixed}, nil, StatusFixed},
	{ActionDisclose, byTriagerOrSystem, []Status{StatusFixed}, nil, StatusDisclosed},
	{ActionClose, byTriager, openStates, nil, chosenResolution},
	{ActionAutoClose, bySystem, []Status{StatusNeedsInfo}, nil, StatusInformative},
	{ActionReopen, byTriager, closedStates, nil, StatusTriaging},
	{ActionReassign, byTriager, openOrFixed, nil, sameState},
	{ActionMessage, byTriager, Statuses, nil, sameState},
	{ActionAdvisory, byTriager, []Status{StatusFixed, StatusDisclosed}, nil, sameState},
}

// closedBySystem says whether the event that put the report in its current state
// was performed by the system.
func closedBySystem(r *Report) bool {
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		e := r.Timeline[i]
		if e.To == r.Status && e.From != e.To {
			return e.ActorKind == ActorSystem
		}
	}
	return false
}

// ErrRefused is matched (errors.Is) by every RefusedError.
var ErrRefused = errors.New("action refused")

// RefusedError says why the transition table refused an action. Its message is a
// sentence fit to show the person who tried.
type RefusedError struct {
	Action Action
	Actor  ActorKind
	Status Status
	Reason string
}

func (e *RefusedError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// InputError says which input field an otherwise allowed action lacks or got wrong.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Message }

// Input field keys, used by InputError.
const (
	FieldNote           = "note"
	FieldAssignee       = "assignee"
	FieldResolution     = "resolution"
	FieldDuplicateOf    = "duplicate_of"
	FieldFixedIn        = "fixed_in"
	FieldAdvisoryID     = "advisory_id"
	FieldCVEID          = "cve_id"
	FieldPublicTitle    = "public_title"
	FieldSummary        = "public_summary"
	FieldPublicAffected = "public_affected"
	FieldDiscloseOn     = "disclose_on"
)

// MaxAdvisoryIDRunes bounds an advisory id such as MMSA-2026-00123.
const MaxAdvisoryIDRunes = 64

// Apply performs action on r by actor, if the transition table allows it in r's
// current state, and appends the event to r's timeline as it is kept (keep:
// an excerpt of a long note). It returns the event whole, for the notices that
// carry its text. On any error r is left unchanged. The caller stores r (the
// store bumps Version).
func Apply(r *Report, action Action, actor Actor, in Input) (Event, error) {
	if err := checkActor(r, action, actor); err != nil {
		return Event{}, err
	}
	ru, err := findRule(r, action, actor.Kind)
	if err != nil {
		return Event{}, err
	}
	to := ru.to
	if to == sameState {
		to = r.Status
	}
	ch, err := prepare(r, action, actor, in)
	if err != nil {
		return Event{}, err
	}
	if to == chosenResolution {
		to = ch.resolution
	}

	at := in.At
	if at.IsZero() {
		at = time.Now()
	}
	ev := Event{
		At:        at.UTC(),
		ActorID:   actor.UserID,
		ActorKind: actor.Kind,
		Action:    action,
		From:      r.Status,
		To:        to,
		Note:      ch.note,
		Detail:    ch.detail,
	}
	if ch.assign {
		ev.Assignee = ch.assignee
	}
	ch.apply(r)
	r.Status = to
	r.Updated = ev.At
	r.keep(ev)
	return ev, nil
}

// Allowed says whether the table lets an actor of this kind perform action in r's
// current state. Adapters use it to show only the buttons that can work; Apply
// still checks everything.
func Allowed(r *Report, action Action, kind ActorKind) bool {
	_, err := findRule(r, action, kind)
	return err == nil
}

// AllowedActions lists what an actor of this kind may do to r now, in table order.
func AllowedActions(r *Report, kind ActorKind) []Action {
	var out []Action
	for _, a := range Actions {
		if Allowed(r, a, kind) {
			out = append(out, a)
		}
	}
	return out
}

func checkActor(r *Report, action Action, actor Actor) error {
	refuse := func(reason string) error {
		return &RefusedError{Action: action, Actor: actor.Kind, Status: r.Status, Reason: reason}
	}
	switch actor.Kind {
	case ActorTriager:
		if actor.UserID == "" {
			return refuse("A triager must be identified to act on a report.")
		}
	case ActorReporter:
		if actor.UserID == "" || actor.UserID != r.ReporterID {
			return refuse("Only the researcher who filed " + r.Key() + " can act on it as its reporter.")
		}
	case ActorSystem:
	default:
		return refuse(fmt.Sprintf("Unknown kind of actor %q.", actor.Kind))
	}
	return nil
}

// findRule returns the first matching rule, or a refusal that says what would
// have been needed.
func findRule(r *Report, action Action, kind ActorKind) (rule, error) {
	refuse := func(reason string) (rule, error) {
		return rule{}, &RefusedError{Action: action, Actor: kind, Status: r.Status, Reason: reason}
	}
	if action == ActionSubmit {
		return refuse("A report is submitted only once.")
	}
	var forAction, forActor []rule
	for _, ru := range transitions {
		if ru.action != action {
			continue
		}
		forAction = append(forAction, ru)
		if !containsKind(ru.actors, kind) {
			continue
		}
		forActor = append(forActor, ru)
		if containsStatus(ru.from, r.Status) && (ru.guard == nil || ru.guard(r)) {
			return ru, nil
		}
	}
	switch {
	case len(forAction) == 0:
		return refuse(fmt.Sprintf("Unknown action %q.", action))
	case len(forActor) == 0:
		return refuse(fmt.Sprintf("%s cannot %s.", kindArticle(kind), action.Phrase("a report")))
	}
	var from []Status
	for _, ru := range forActor {
		for _, s := range ru.from {
			if !containsStatus(from, s) {
				from = append(from, s)
			}
		}
	}
	return refuse(fmt.Sprintf("%s is %s: you can %s only when it is %s.",
		r.Key(), r.Status.Label(), action.Phrase("it"), statusList(from)))
}

func containsKind(list []ActorKind, k ActorKind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

func containsStatus(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindArticle(k ActorKind) string {
	switch k {
	case ActorTriager:
		return "A triager"
	case ActorReporter:
		return "The reporter"
	case ActorSystem:
		return "The system"
	}
	return "This actor"
}

// statusList reads "Submitted, Triaging or Needs information".
func statusList(ss []Status) string {
	labels := make([]string, len(ss))
	for i, s := range ss {
		labels[i] = s.Label()
	}
	if len(labels) == 1 {
		return labels[0]
	}
	return strings.Join(labels[:len(labels)-1], ", ") + " or " + labels[len(labels)-1]
}
