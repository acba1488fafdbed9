package main

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

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
