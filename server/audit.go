package main

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// ReportChanged writes one server audit record per state change of a report.
// It names the report, the action and the states, never the report's content.
func (p *Plugin) ReportChanged(actorID string, r *report.Report, e report.Event) {
	rec := plugin.MakeAuditRecord("responsibleDisclosure."+string(e.Action), model.AuditStatusSuccess)
	rec.Actor.UserId = actorID
	rec.AddEventObjectType("security_report")
	rec.EventData.Parameters["report"] = r.Key()
	rec.EventData.Parameters["action"] = string(e.Action)
	rec.EventData.Parameters["actor_kind"] = string(e.ActorKind)
	rec.EventData.PriorState["status"] = string(e.From)
	rec.EventData.ResultState["status"] = string(e.To)
	rec.EventData.ResultState["version"] = r.Version
	if e.Assignee != "" {
		rec.EventData.ResultState["assignee"] = e.Assignee
	}
	p.client.Audit.Record(rec)
}

// Decided writes the server audit record of a decision that is not a state
// change of a report (a staging decision, a Hall of Fame import or link, a
// credit change, a nudge). An empty actor is the plugin acting on its own.
func (p *Plugin) Decided(actorID string, a event.Audited) {
	rec := plugin.MakeAuditRecord("responsibleDisclosure."+a.Action, model.AuditStatusSuccess)
	rec.Actor.UserId = actorID
	rec.AddEventObjectType(a.Object)
	for k, v := range a.Params {
		rec.EventData.Parameters[k] = v
	}
	for k, v := range a.Prior {
		rec.EventData.PriorState[k] = v
	}
	for k, v := range a.Result {
		rec.EventData.ResultState[k] = v
	}
	p.client.Audit.Record(rec)
}
