package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// TimelineEntry is one line of a report's history as a viewer may see it.
type TimelineEntry struct {
	At      time.Time     `json:"at"`
	Action  report.Action `json:"action"`
	Summary string        `json:"summary"`
	From    report.Status `json:"from,omitempty"`
	To      report.Status `json:"to"`
	// Actor, Note and Detail are shown to the team only.
	Actor  string `json:"actor_id,omitempty"`
	Note   string `json:"note,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// ReportView is a report as one viewer may see it. Reporters get their own
// report without internal notes or who in the team did what; triagers get all.
type ReportView struct {
	ID          int                   `json:"id"`
	Key         string                `json:"key"`
	Title       string                `json:"title"`
	Product     string                `json:"product"`
	Severity    string                `json:"severity"`
	Rating      report.Rating         `json:"rating,omitempty"`
	Status      report.Status         `json:"status"`
	StatusLabel string                `json:"status_label"`
	Created     time.Time             `json:"created"`
	Updated     time.Time             `json:"updated"`
	FixedIn     []report.FixedVersion `json:"fixed_in,omitempty"`
	Version     int                   `json:"version"`
	// ThreadPostID is the reporter's DM thread; CardPostID the team's card.
	ThreadPostID string `json:"thread_post_id,omitempty"`
	CardPostID   string `json:"card_post_id,omitempty"`
	ReporterID   string `json:"reporter_id,omitempty"`
	Assignee     string `json:"assignee_id,omitempty"`
	Description  string `json:"description,omitempty"`
	Steps        string `json:"steps,omitempty"`
	Impact       string `json:"impact,omitempty"`
	Affected     string `json:"affected_versions,omitempty"`
	// Encrypted: the description is an armored PGP message, to copy and
	// decrypt with the team's key.
	Encrypted bool            `json:"encrypted,omitempty"`
	Actions   []report.Action `json:"actions,omitempty"`
	Timeline  []TimelineEntry `json:"timeline"`
	// Earlier says how many replies and messages the timeline no longer
	// holds, in a sentence; empty when it holds them all.
	Earlier string `json:"earlier,omitempty"`
}

func baseView(r *report.Report) ReportView {
	sev := r.Severity()
	return ReportView{
		ID: r.ID, Key: r.Key(), Title: r.Title, Product: r.Product, Severity: sev.String(), Rating: sev.Rating,
		Status: r.Status, StatusLabel: r.Status.Label(), Created: r.Created, Updated: r.Updated, FixedIn: r.FixedIn,
		Version: r.Version, Earlier: notify.EarlierConversationText(r.EarlierConversation),
	}
}

// ReporterView is what the reporter sees of their own report.
func ReporterView(r *report.Report) ReportView {
	v := baseView(r)
	v.ThreadPostID = r.ThreadRootID
	for _, e := range r.Timeline {
		if summary := notify.ReporterSummary(e); summary != "" {
			v.Timeline = append(v.Timeline, TimelineEntry{At: e.At, Action: e.Action, Summary: summary, From: e.From, To: e.To})
		}
	}
	return v
}

// TeamView is everything about a report, for triagers.
func TeamView(r *report.Report) ReportView {
	v := baseView(r)
	v.ThreadPostID, v.CardPostID = r.ThreadRootID, r.CardPostID
	v.ReporterID, v.Assignee = r.ReporterID, r.Assignee
	v.Description, v.Steps, v.Impact, v.Affected = r.Description, r.Steps, r.Impact, r.AffectedVersions
	v.Encrypted = r.Encrypted()
	v.Actions = report.AllowedActions(r, report.ActorTriager)
	for _, e := range r.Timeline {
		v.Timeline = append(v.Timeline, TimelineEntry{At: e.At, Action: e.Action, Summary: notify.TeamSummary(e), From: e.From, To: e.To,
			Actor: e.ActorID, Note: e.Note, Detail: e.Detail})
	}
	return v
}
