// Package staging is the domain of staging-server access requests: a researcher
// asks for a private server to run tests that might break things, the security
// team approves (with a time-boxed grant) or denies. Pure Go, no Mattermost API.
package staging

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Status of a request. Values are stored.
type Status string

// Statuses.
const (
	StatusPending  Status = "pending"
	StatusApproved Status = "approved"
	StatusDenied   Status = "denied"
	StatusExpired  Status = "expired"
)

// Label is the status as people read it.
func (s Status) Label() string {
	switch s {
	case StatusPending:
		return "Pending"
	case StatusApproved:
		return "Approved"
	case StatusDenied:
		return "Denied"
	case StatusExpired:
		return "Expired"
	}
	return string(s)
}

// IsOpen says whether the request still counts against the researcher's limit.
func (s Status) IsOpen() bool { return s == StatusPending || s == StatusApproved }

// Field keys, shared with the dialogs.
const (
	FieldWhat        = "what"
	FieldWhy         = "why"
	FieldStart       = "start"
	FieldEnd         = "end"
	FieldRules       = "rules"
	FieldURL         = "url"
	FieldCredentials = "credentials"
	FieldReason      = "reason"
)

// Limits in characters.
const (
	MaxTextRunes        = 4000
	MaxURLRunes         = 500
	MaxCredentialsRunes = 4000
	DateLayout          = "2006-01-02"
)

// Request is one staging-server access request.
type Request struct {
	ID          int       `json:"id"`
	RequesterID string    `json:"requester"`
	What        string    `json:"what"`
	Why         string    `json:"why"`
	Start       time.Time `json:"start"` // wanted window, UTC days
	End         time.Time `json:"end"`
	Status      Status    `json:"status"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	Version     int       `json:"v"`

	DeciderID string    `json:"decider,omitempty"`
	DecidedAt time.Time `json:"decided,omitempty"`
	Reason    string    `json:"reason,omitempty"` // why it was denied
	// Granted window; the access details are stored apart and expire with it.
	GrantStart time.Time `json:"grant_start,omitempty"`
	GrantEnd   time.Time `json:"grant_end,omitempty"`
	ExpiredAt  time.Time `json:"expired,omitempty"`

	ChannelID     string `json:"channel,omitempty"`
	CardPostID    string `json:"card,omitempty"`
	DetailsPostID string `json:"details_post,omitempty"`
}

// Key is the human id, e.g. "STG-3".
func (r *Request) Key() string { return FormatID(r.ID) }

// FormatID is "STG-<n>".
func FormatID(n int) string { return "STG-" + strconv.Itoa(n) }

// Draft is what a researcher submits.
type Draft struct {
	What, Why, Start, End string
	RulesAccepted         bool
}

// FieldErrors maps a field key to what is wrong with it.
type FieldErrors map[string]string

// ParseDraft validates a draft against the longest allowed window and today's
// date; it returns the request to store, or the problems.
func ParseDraft(d Draft, maxDays int, now time.Time) (*Request, FieldErrors) {
	errs := FieldErrors{}
	what, why := strings.TrimSpace(d.What), strings.TrimSpace(d.Why)
	if msg := checkText("what you will test", what, MaxTextRunes); msg != "" {
		errs[FieldWhat] = msg
	}
	if msg := checkText("why it may be disruptive", why, MaxTextRunes); msg != "" {
		errs[FieldWhy] = msg
	}
	start, end, windowErrs := ParseWindow(d.Start, d.End, maxDays, now)
	for k, v := range windowErrs {
		errs[k] = v
	}
	if !d.RulesAccepted {
		errs[FieldRules] = "Accept the testing rules to ask for a staging server."
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &Request{What: what, Why: why, Start: start, End: end, Status: StatusPending}, nil
}

// ParseWindow reads a window of whole UTC days, start to end inclusive: it may
// not start before today and may last at most maxDays days.
func ParseWindow(startText, endText string, maxDays int, now time.Time) (time.Time, time.Time, FieldErrors) {
	errs := FieldErrors{}
	today := now.UTC().Truncate(24 * time.Hour)
	start, err := time.Parse(DateLayout, strings.TrimSpace(startText))
	if err != nil {
		errs[FieldStart] = "Give the first day as YYYY-MM-DD."
	} else if start.Before(today) {
		errs[FieldStart] = "The window cannot start in the past."
	}
	end, err := time.Parse(DateLayout, strings.TrimSpace(endText))
	if err != nil {
		errs[FieldEnd] = "Give the last day as YYYY-MM-DD."
	}
	if len(errs) == 0 {
		days := int(end.Sub(start).Hours()/24) + 1
		switch {
		case end.Before(start):
			errs[FieldEnd] = "The last day is before the first."
		case days > maxDays:
			errs[FieldEnd] = fmt.Sprintf("A window lasts at most %d days; this one is %d.", maxDays, days)
		}
	}
	return start, end, errs
}

// GrantLayout is a precise grant end: "2026-05-10 18:00" (UTC).
const GrantLayout = "2006-01-02 15:04"

// ParseGrant reads the window a triager grants. The end is a day (access ends
// when that UTC day ends) or a UTC time "YYYY-MM-DD HH:MM"; it must lie in the
// future, after the start, and within maxDays of the start.
func ParseGrant(startText, endText string, maxDays int, now time.Time) (time.Time, time.Time, FieldErrors) {
	errs := FieldErrors{}
	start, err := time.Parse(DateLayout, strings.TrimSpace(startText))
	if err != nil {
		errs[FieldStart] = "Give the first day as YYYY-MM-DD."
	}
	endText = strings.TrimSpace(endText)
	end, err := time.Parse(GrantLayout, endText)
	if err != nil {
		day, dayErr := time.Parse(DateLayout, endText)
		if dayErr != nil {
			errs[FieldEnd] = "Give the end as YYYY-MM-DD (end of that day, UTC) or YYYY-MM-DD HH:MM (UTC)."
		}
		end = day.Add(24 * time.Hour)
	}
	if len(errs) == 0 {
		switch {
		case !end.After(start):
			errs[FieldEnd] = "The end is before the start."
		case !end.After(now):
			errs[FieldEnd] = "The end is in the past."
		case end.Sub(start) > time.Duration(maxDays)*24*time.Hour:
			errs[FieldEnd] = fmt.Sprintf("A window lasts at most %d days.", maxDays)
		}
	}
	return start, end, errs
}

func checkText(name, value string, limit int) string {
	switch n := utf8.RuneCountInString(value); {
	case n == 0:
		return "Say " + name + "."
	case n > limit:
		return fmt.Sprintf("Keep %s under %d characters (it has %d).", name, limit, n)
	}
	return ""
}

// Details are the access details of a grant. They reach the researcher by DM
// and are never stored by the plugin.
type Details struct {
	URL         string
	Credentials string
}

// ParseDetails validates what a triager gives when approving.
func ParseDetails(url, credentials string) (Details, FieldErrors) {
	d := Details{URL: strings.TrimSpace(url), Credentials: strings.TrimSpace(credentials)}
	errs := FieldErrors{}
	switch {
	case d.URL == "":
		errs[FieldURL] = "Give the staging server's URL."
	case !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://"):
		errs[FieldURL] = "The URL starts with https://."
	case utf8.RuneCountInString(d.URL) > MaxURLRunes:
		errs[FieldURL] = fmt.Sprintf("Keep the URL under %d characters.", MaxURLRunes)
	}
	if msg := checkText("the credentials, or how to get them", d.Credentials, MaxCredentialsRunes); msg != "" {
		errs[FieldCredentials] = msg
	}
	return d, errs
}
