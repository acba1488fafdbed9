package report

// Status is where a report stands in its life. The values are stored in the KV
// store, so they never change once released.
type Status string

// Open states: the team still owes the researcher work.
const (
	StatusSubmitted Status = "submitted"
	StatusTriaging  Status = "triaging"
	StatusNeedsInfo Status = "needs_info"
	StatusConfirmed Status = "confirmed"
)

// StatusFixed is neither open nor final: the fix shipped, disclosure is pending.
const StatusFixed Status = "fixed"

// Final states.
const (
	StatusDisclosed     Status = "disclosed"
	StatusDuplicate     Status = "duplicate"
	StatusNotApplicable Status = "not_applicable"
	StatusInformative   Status = "informative"
)

// Statuses lists every status in the order a report normally moves through them.
var Statuses = []Status{
	StatusSubmitted, StatusTriaging, StatusNeedsInfo, StatusConfirmed, StatusFixed,
	StatusDisclosed, StatusDuplicate, StatusNotApplicable, StatusInformative,
}

// Resolutions are the states a triager may close an open report into.
var Resolutions = []Status{StatusDuplicate, StatusNotApplicable, StatusInformative}

var statusLabels = map[Status]string{
	StatusSubmitted:     "Submitted",
	StatusTriaging:      "Triaging",
	StatusNeedsInfo:     "Needs information",
	StatusConfirmed:     "Confirmed",
	StatusFixed:         "Fixed",
	StatusDisclosed:     "Disclosed",
	StatusDuplicate:     "Closed as duplicate",
	StatusNotApplicable: "Closed as not applicable",
	StatusInformative:   "Closed as informative",
}

// IsOpen says whether the team still has work to do before a fix ships.
func (s Status) IsOpen() bool {
	switch s {
	case StatusSubmitted, StatusTriaging, StatusNeedsInfo, StatusConfirmed:
		return true
	}
	return false
}

// IsFinal says whether the report is closed or disclosed; only reopen (for
// closed ones) or a message can touch it again.
func (s Status) IsFinal() bool {
	switch s {
	case StatusDisclosed, StatusDuplicate, StatusNotApplicable, StatusInformative:
		return true
	}
	return false
}

// IsResolution says whether s is a state a triager may close a report into.
func (s Status) IsResolution() bool {
	switch s {
	case StatusDuplicate, StatusNotApplicable, StatusInformative:
		return true
	}
	return false
}

// Label is the status as people read it on cards and in messages.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}
