package report

import (
	"fmt"
	"time"
)

// Action is something done to a report. The values are stored in timelines.
type Action string

// Actions. ActionSubmit only opens a timeline (see MarkFiled); every other action
// goes through Apply and the transition table.
const (
	ActionSubmit    Action = "submit"
	ActionTake      Action = "take"
	ActionAsk       Action = "ask"
	ActionReply     Action = "reply"
	ActionConfirm   Action = "confirm"
	ActionFix       Action = "fix"
	ActionDisclose  Action = "disclose"
	ActionClose     Action = "close"
	ActionAutoClose Action = "auto_close"
	ActionReopen    Action = "reopen"
	ActionReassign  Action = "reassign"
	ActionMessage   Action = "message"
	ActionAdvisory  Action = "advisory"
)

// Actions lists every action Apply knows, in the order of the transition table.
var Actions = []Action{
	ActionTake, ActionAsk, ActionReply, ActionConfirm, ActionFix, ActionDisclose,
	ActionClose, ActionAutoClose, ActionReopen, ActionReassign, ActionMessage, ActionAdvisory,
}

// actionPhrases say each action with a %s for its object, for messages such as
// "The reporter cannot confirm a report."
var actionPhrases = map[Action]string{
	ActionSubmit:    "submit %s",
	ActionTake:      "take %s",
	ActionAsk:       "ask the reporter about %s",
	ActionReply:     "reply to %s",
	ActionConfirm:   "confirm %s",
	ActionFix:       "mark %s as fixed",
	ActionDisclose:  "mark %s as disclosed",
	ActionClose:     "close %s",
	ActionAutoClose: "close %s for lack of an answer",
	ActionReopen:    "reopen %s",
	ActionReassign:  "reassign %s",
	ActionMessage:   "message the reporter about %s",
	ActionAdvisory:  "edit the advisory of %s",
}

// Phrase says the action done to object: ActionFix.Phrase("SEC-4") is
// "mark SEC-4 as fixed".
func (a Action) Phrase(object string) string {
	if p, ok := actionPhrases[a]; ok {
		return fmt.Sprintf(p, object)
	}
	return string(a) + " " + object
}

// ActorKind says in which role someone acts. Authorization (who is a triager)
// is decided by the service; the domain only checks that the role may perform
// the action in the report's state.
type ActorKind string

// Actor kinds.
const (
	ActorTriager  ActorKind = "triager"
	ActorReporter ActorKind = "reporter"
	ActorSystem   ActorKind = "system"
)

// ActorKinds lists every kind.
var ActorKinds = []ActorKind{ActorTriager, ActorReporter, ActorSystem}

// Actor is who performs an action. UserID is empty for the system.
type Actor struct {
	Kind   ActorKind
	UserID string
}

// Triager is a member of the security team acting on a report.
func Triager(userID string) Actor { return Actor{Kind: ActorTriager, UserID: userID} }

// Reporter is the researcher who filed the report.
func Reporter(userID string) Actor { return Actor{Kind: ActorReporter, UserID: userID} }

// System is the plugin itself (reminders, automatic closing, scheduled disclosure).
func System() Actor { return Actor{Kind: ActorSystem} }

// Input carries what an action needs besides the actor. Each action reads only
// its own fields; see Apply.
type Input struct {
	// At is when the action happened; zero means now.
	At time.Time
	// Note is the question (ask), the reply (reply), the message (message) or an
	// optional explanation (close, auto_close, reopen, others).
	Note string
	// Assignee is the new owner (reassign).
	Assignee string
	// Resolution is the closed state (close): duplicate, not_applicable or informative.
	Resolution Status
	// DuplicateOf is the report this one duplicates (close as duplicate).
	DuplicateOf int
	// Vector and Estimate revise the severity (confirm); both optional.
	Vector   string
	Estimate Rating
	// FixedIn lists the releases with the fix (fix, required); AdvisoryID and
	// CVEID are optional and kept from an earlier fix when left empty.
	FixedIn    []FixedVersion
	AdvisoryID string
	CVEID      string
	// The public advisory (fix, advisory): title, summary, affected versions
	// and the disclosure date (YYYY-MM-DD). Empty fields keep what is there.
	PublicTitle    string
	PublicSummary  string
	PublicAffected string
	DiscloseOn     string
}
