package sla

import "time"

// Record is the follow-up bookkeeping of one report: which reminders and
// messages were sent. It lives apart from the report so that the job's writes
// never change the report's version (a triager's card would go stale).
type Record struct {
	// Claims of one-off messages, keyed by what they are about, such as
	// "first_response:due_soon" or "progress:1767225600".
	Claims map[string]Claim `json:"claims,omitempty"`
	// LastNudge is when the reporter last asked the team for an update.
	LastNudge time.Time `json:"nudge,omitempty"`
}

// Claim marks a message one server is sending. Done is set once it was posted;
// a claim left undone past a bound means the server died in between.
type Claim struct {
	At     time.Time `json:"at"`
	Done   bool      `json:"done,omitempty"`
	PostID string    `json:"post,omitempty"`
}

// ClaimState says what a run may do about a message.
type ClaimState int

// Claim states.
const (
	// Free: nobody sent or is sending it; claim it and send.
	Free ClaimState = iota
	// Held: sent, or being sent by someone else right now; leave it.
	Held
	// Stale: claimed long ago and never confirmed; check whether it went out
	// before sending it again.
	Stale
)

// StateOf says whether key may be claimed at now. A claim older than staleAfter
// that was never confirmed is stale.
func (r *Record) StateOf(key string, now time.Time, staleAfter time.Duration) ClaimState {
	c, ok := r.Claims[key]
	switch {
	case !ok:
		return Free
	case c.Done || now.Sub(c.At) < staleAfter:
		return Held
	default:
		return Stale
	}
}

// Claim records that key is being sent at now.
func (r *Record) Claim(key string, now time.Time) {
	if r.Claims == nil {
		r.Claims = map[string]Claim{}
	}
	r.Claims[key] = Claim{At: now}
}

// Confirm records that key went out as postID.
func (r *Record) Confirm(key, postID string) {
	if r.Claims == nil {
		r.Claims = map[string]Claim{}
	}
	c := r.Claims[key]
	c.Done, c.PostID = true, postID
	r.Claims[key] = c
}
