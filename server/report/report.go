// Package report is the domain of a vulnerability report: what it is, how
// it is validated, scored and identified, and which state changes are allowed.
// It is pure Go on purpose: no Mattermost API, so every rule here is tested
// without a server and every adapter shares the same rules.
package report

import "time"

// Report is one vulnerability report. The JSON form is what the store keeps,
// so tags are short and never renamed once released.
type Report struct {
	ID         int    `json:"id"`
	ReporterID string `json:"reporter"`

	Title   string `json:"title"`
	Product string `json:"product"`
	// Vector is an optional CVSS 3.1 base vector; when empty, Estimate holds the
	// researcher's own judgement. Scores are derived (see Severity), not stored,
	// so a scoring fix never leaves stale numbers behind.
	Vector           string   `json:"cvss,omitempty"`
	Estimate         Rating   `json:"estimate,omitempty"`
	AffectedVersions string   `json:"affected"`
	TestedOn         TestedOn `json:"tested_on"`
	Description      string   `json:"desc"`
	Steps            string   `json:"steps"`
	Impact           string   `json:"impact"`
	// WantsCredit is the researcher's choice for this report only; the name they
	// are credited under lives in their CreditProfile.
	WantsCredit bool `json:"credit"`

	Status   Status    `json:"status"`
	Assignee string    `json:"assignee,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Timeline []Event   `json:"timeline"`
	// Version increases by one with every stored change; the store compares it
	// so that two triagers never overwrite each other.
	Version int `json:"v"`

	// Where the report shows up in Mattermost, so button presses and DM replies
	// can be traced back to it.
	CardPostID      string `json:"card,omitempty"`
	TriageChannelID string `json:"channel,omitempty"`
	ThreadRootID    string `json:"thread,omitempty"`

	// Reporter replies relayed to the team: the newest relayed post's creation
	// time (ms) and the ids of the most recently relayed posts, so a reply is
	// relayed once even when it is seen twice (live, and again when catching up
	// after downtime).
	RelayHighWater int64    `json:"relay_hw,omitempty"`
	RelayedPosts   []string `json:"relayed,omitempty"`
	// RecentReplies are the times (ms) of the replies taken in the last hour,
	// for the hourly limit (TakeReply).
	RecentReplies []int64 `json:"recent_replies,omitempty"`
	// ReplyLimitTold is the end (ms) of the limit the reporter was last told
	// about, so a flood of replies gets one notice, not one each.
	ReplyLimitTold int64 `json:"limit_told,omitempty"`
	// ReplyLimitFrom is the creation time (ms) of the first reply that limit
	// refused: every reply created from then until ReplyLimitTold is refused,
	// so none of them is remembered one by one (WasHandled).
	ReplyLimitFrom int64 `json:"limit_from,omitempty"`
	// EarlierConversation counts the replies and messages the timeline no
	// longer holds (compactConversation); they are in the report's threads.
	EarlierConversation int `json:"earlier,omitempty"`

	// Outcome.
	FixedIn     []FixedVersion `json:"fixed_in,omitempty"`
	DuplicateOf int            `json:"dup_of,omitempty"`
	AdvisoryID  string         `json:"advisory,omitempty"`
	CVEID       string         `json:"cve,omitempty"`

	// The public advisory, written by the team for the public: never the
	// researcher's own text.
	PublicTitle    string `json:"pub_title,omitempty"`
	PublicSummary  string `json:"pub_summary,omitempty"`
	PublicAffected string `json:"pub_affected,omitempty"`
	// DiscloseOn is the disclosure date the team set (YYYY-MM-DD, UTC); empty
	// means the default delay after the earliest fix release (DisclosureDate).
	DiscloseOn string `json:"disclose_on,omitempty"`
}

// Event is one line of a report's timeline: who did what, when, and what the
// status was before and after.
type Event struct {
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor,omitempty"` // empty for the system
	ActorKind ActorKind `json:"kind"`
	Action    Action    `json:"action"`
	From      Status    `json:"from,omitempty"`
	To        Status    `json:"to"`
	// Note is free text from the actor: a question, a reply, a closing message.
	Note string `json:"note,omitempty"`
	// Assignee is set when the event changed who owns the report.
	Assignee string `json:"assignee,omitempty"`
	// Detail summarises structured input (versions, duplicate id, vector) in
	// words, so the timeline reads on its own.
	Detail string `json:"detail,omitempty"`
}

// TestedOn says where the researcher tested. The policy allows only these
// places; the values are stored.
type TestedOn string

// Places a researcher may have tested on.
const (
	TestedOnCommunityServer TestedOn = "community_server"
	TestedOnOwnInstallation TestedOn = "own_installation"
	TestedOnArrangedStaging TestedOn = "arranged_staging"
)

// TestedOnChoices lists the allowed places in display order.
var TestedOnChoices = []TestedOn{TestedOnCommunityServer, TestedOnOwnInstallation, TestedOnArrangedStaging}

var testedOnLabels = map[TestedOn]string{
	TestedOnCommunityServer: "Community test server",
	TestedOnOwnInstallation: "My own installation",
	TestedOnArrangedStaging: "A staging server arranged with the security team",
}

// Valid says whether t is one of the allowed places.
func (t TestedOn) Valid() bool {
	_, ok := testedOnLabels[t]
	return ok
}

// Label is the place as people read it.
func (t TestedOn) Label() string {
	if l, ok := testedOnLabels[t]; ok {
		return l
	}
	return string(t)
}

// IsOpen reports whether the team still has work to do on r.
func (r *Report) IsOpen() bool { return r.Status.IsOpen() }

// IsFinal reports whether r is closed or disclosed.
func (r *Report) IsFinal() bool { return r.Status.IsFinal() }

// Key is the human id, e.g. "SEC-12".
func (r *Report) Key() string { return FormatID(r.ID) }

// MarkFiled turns a validated draft into a newly filed report with the given id:
// status submitted, version 1, and the first timeline event. The store calls it
// once the id is known.
func (r *Report) MarkFiled(id int, at time.Time) {
	at = at.UTC()
	r.ID = id
	r.Status = StatusSubmitted
	r.Assignee = ""
	r.Created = at
	r.Updated = at
	r.Version = 1
	r.Timeline = []Event{{
		At:        at,
		ActorID:   r.ReporterID,
		ActorKind: ActorReporter,
		Action:    ActionSubmit,
		To:        StatusSubmitted,
	}}
}

// PostIDs lists the posts that lead back to r (its card and its DM thread).
func (r *Report) PostIDs() []string {
	var ids []string
	if r.CardPostID != "" {
		ids = append(ids, r.CardPostID)
	}
	if r.ThreadRootID != "" && r.ThreadRootID != r.CardPostID {
		ids = append(ids, r.ThreadRootID)
	}
	return ids
}

// LastEvent is the most recent timeline event, or false for an empty timeline.
func (r *Report) LastEvent() (Event, bool) {
	if len(r.Timeline) == 0 {
		return Event{}, false
	}
	return r.Timeline[len(r.Timeline)-1], true
}

// MaxRelayedPosts bounds RelayedPosts; older ids fall off, and the high-water
// mark keeps them from being relayed again.
const MaxRelayedPosts = 100

// WasHandled says whether a reporter's post was already relayed to the team
// or refused over the hourly limit: a catch-up skips it.
func (r *Report) WasHandled(postID string, createAt int64) bool {
	return r.refusedByLimit(createAt) || r.WasRelayed(postID, createAt)
}

// WasRelayed says whether a reporter's post was already relayed to the team.
func (r *Report) WasRelayed(postID string, createAt int64) bool {
	for _, id := range r.RelayedPosts {
		if id == postID {
			return true
		}
	}
	// Ids older than the remembered window are certainly relayed: posts are
	// relayed in order, and the window covers far more than any reordering.
	return len(r.RelayedPosts) == MaxRelayedPosts && createAt < r.RelayHighWater-relayReorderWindowMs
}

// MarkRelayed remembers a relayed post.
func (r *Report) MarkRelayed(postID string, createAt int64) {
	r.RelayedPosts = append(r.RelayedPosts, postID)
	if len(r.RelayedPosts) > MaxRelayedPosts {
		r.RelayedPosts = r.RelayedPosts[len(r.RelayedPosts)-MaxRelayedPosts:]
	}
	if createAt > r.RelayHighWater {
		r.RelayHighWater = createAt
	}
}

// relayReorderWindowMs is how far out of order two replies may be seen (two
// servers of a cluster, a catch-up racing a live relay).
const relayReorderWindowMs = 10 * 60 * 1000
