// Package event is what the use cases decide happened, in their own terms: a
// target fell due, a reporter waits for news, the week is over. Package service
// decides these facts and hands them to package notify, which alone decides
// what the bot says about them and which buttons a card carries. So the facts
// hold no sentence, no Markdown and no Mattermost type, and this package
// imports only the domain packages: both service and notify depend on it, and
// neither on the other's words.
package event

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// Post is a message someone wrote in Mattermost, as the conversation with a
// reporter needs it: the plugin's hooks and the thread reads produce it, the
// relay reads it, and notify copies it to the team.
type Post struct {
	ID        string
	UserID    string
	ChannelID string
	RootID    string
	Message   string
	FileIDs   []string
	CreateAt  int64
	Edited    bool
}

// Clock names one of the three targets every report runs.
type Clock string

// The clocks of a report; all start when it is filed.
const (
	ClockFirstResponse Clock = "first_response"
	ClockTriage        Clock = "triage"
	ClockResolution    Clock = "resolution"
)

// ClockState is a running clock as the card shows it.
type ClockState struct {
	Clock Clock
	State sla.State
	Due   time.Time
}

// CardView is what a report's card shows besides the report itself.
type CardView struct {
	Credit *report.CreditProfile // nil or empty: no credit profile
	// Clocks are the report's running clocks, in clock order; none once it is
	// closed.
	Clocks []ClockState
}

// Owners are who a message to the team pings: the assignee, or the
// responders when nobody took the report.
type Owners struct {
	Assignee   string   // a user id; empty when nobody took the report
	Responders []string // usernames from the settings
}

// Reminder says a target of a report is due soon or was missed.
type Reminder struct {
	Report *report.Report
	Clock  Clock
	Target sla.Target
	Level  sla.State // sla.DueSoon or sla.Breached
	Due    time.Time
	Owners Owners
}

// Progress says a reporter heard nothing about their open report for
// Interval.
type Progress struct {
	Report   *report.Report
	Interval sla.Target
	// Resolution is the report's resolution target while it runs; zero once
	// the report is resolved or when none is set.
	Resolution sla.Target
}

// QuestionReminder says the team's question to a reporter is unanswered.
type QuestionReminder struct {
	Report *report.Report
	// AutoClose is how long after the question the report closes unanswered;
	// zero when it never does.
	AutoClose sla.Target
}

// Nudge says a reporter asks for an update on a report that missed Missed.
type Nudge struct {
	Report *report.Report
	Missed Clock
	Owners Owners
}

// Overdue is a running clock past its target.
type Overdue struct {
	Report string // the report's key
	Clock  Clock
}

// Digest is the week's summary of the open reports.
type Digest struct {
	Open     int
	ByStatus map[report.Status]int
	Overdue  []Overdue
	Untaken  []string        // keys of the reports nobody took, as the open list orders them
	Oldest   *report.Summary // nil when none is open
}

// Disclosed says a fixed report reached its disclosure date and is public now.
type Disclosed struct {
	Report *report.Report
	// UpdatesURL is the public Security Updates page; empty when unknown.
	UpdatesURL string
}

// Audited is a decision the server's audit log records besides the state
// changes of reports (which the report's own event carries): a staging
// decision, a Hall of Fame import or link, a change of credit, a nudge. It
// holds keys, ids, states and counts, never what someone wrote: no report
// text, no credentials, no credit name (an opt-out must not leave the name in
// the audit log).
type Audited struct {
	// Action names the decision, e.g. "staging.approve"; the audit record's
	// event is "responsibleDisclosure." + Action.
	Action string
	// Object is the kind of thing decided on, e.g. "staging_request".
	Object string
	// Params identify the object and the decision; Prior and Result are its
	// state before and after, where it has one.
	Params, Prior, Result map[string]any
}
