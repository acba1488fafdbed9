package notify

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// EventReportChanged is the websocket event the webapp listens to (the server
// prefixes it with "custom_<plugin id>_").
const EventReportChanged = "report_changed"

// Publish tells the members of the report's triage channel and its reporter that
// the report changed. The event carries only the id, status and version: each
// webapp refetches what its user may see. Like a post, it goes to the channel
// only while the channel is safe (guard): a public channel's members may be
// anyone.
func (n *Notifier) Publish(r *report.Report) {
	payload := map[string]any{"report_id": r.ID, "status": string(r.Status), "version": r.Version}
	if r.TriageChannelID != "" && n.guard(r.TriageChannelID) == nil {
		n.client.Frontend.PublishWebSocketEvent(EventReportChanged, payload, &model.WebsocketBroadcast{ChannelId: r.TriageChannelID})
	}
	n.client.Frontend.PublishWebSocketEvent(EventReportChanged, payload, &model.WebsocketBroadcast{UserId: r.ReporterID})
}
