package notify

import (
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// Button is one action on a card. The card's buttons send Context to the plugin's
// action route; the plugin re-checks who pressed and what they may do.
type Button struct {
	ID      string
	Name    string
	Style   string
	Context map[string]any
}

// actionLabels name the card's buttons. An action without a label (reply,
// automatic closing) is never a button.
var actionLabels = map[report.Action]string{
	report.ActionTake:     "Take",
	report.ActionAsk:      "Ask reporter",
	report.ActionConfirm:  "Confirm",
	report.ActionFix:      "Mark fixed",
	report.ActionDisclose: "Mark disclosed",
	report.ActionClose:    "Close",
	report.ActionReopen:   "Reopen",
	report.ActionReassign: "Reassign",
	report.ActionMessage:  "Message reporter",
	report.ActionAdvisory: "Edit advisory",
}

// CardButtons lists a report card's buttons: one for each action a triager may
// take now. Each carries the report's version, so a press on a card that
// changed meanwhile is refused rather than applied to a state the triager did
// not see.
func CardButtons(r *report.Report) []Button {
	var out []Button
	for _, a := range report.AllowedActions(r, report.ActorTriager) {
		label, ok := actionLabels[a]
		if !ok {
			continue
		}
		style := "default"
		if a == report.ActionTake || a == report.ActionConfirm {
			style = "primary"
		}
		out = append(out, Button{
			ID:      string(a),
			Name:    label,
			Style:   style,
			Context: map[string]any{"report_id": r.ID, "version": r.Version, "action": string(a)},
		})
	}
	return out
}

// StagingButtons lists a staging request card's buttons: Approve and Deny
// while it is pending, none once decided. Like a report's, they carry the
// request's version.
func StagingButtons(r *staging.Request) []Button {
	if r.Status != staging.StatusPending {
		return nil
	}
	ctx := func(decision string) map[string]any {
		return map[string]any{"request_id": r.ID, "version": r.Version, "decision": decision}
	}
	return []Button{
		{ID: staging.DecisionApprove, Name: "Approve", Style: "primary", Context: ctx(staging.DecisionApprove)},
		{ID: staging.DecisionDeny, Name: "Deny", Style: "danger", Context: ctx(staging.DecisionDeny)},
	}
}

// postActions turns buttons into the post actions of a card, posting to url.
func postActions(buttons []Button, url string) []*model.PostAction {
	var actions []*model.PostAction
	for _, b := range buttons {
		actions = append(actions, &model.PostAction{
			Id:    b.ID,
			Type:  model.PostActionTypeButton,
			Name:  b.Name,
			Style: b.Style,
			Integration: &model.PostActionIntegration{
				URL:     url,
				Context: b.Context,
			},
		})
	}
	return actions
}
