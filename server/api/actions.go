package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

// dialogTTL bounds how long an opened form stays valid.
const dialogTTL = 2 * time.Hour

// readPress reads a button press and checks that it comes from the user the
// server authenticated; otherwise it answers and returns false.
func readPress(w http.ResponseWriter, r *http.Request) (*model.PostActionIntegrationRequest, bool) {
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "bad_request", "The request could not be read.")
		return nil, false
	}
	if req.UserId != "" && req.UserId != UserID(r) {
		writeJSONError(w, http.StatusForbidden, "forbidden", "This request belongs to someone else.")
		return nil, false
	}
	return &req, true
}

// answerPress answers a button press with a message only the presser sees.
func answerPress(w http.ResponseWriter, text string) {
	writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{EphemeralText: text})
}

// cardAction handles a card button. The server only checked that the presser can
// read the post; anyone can also call this route directly with a crafted body, so
// everything is checked again: who presses, which report, which version.
func (a *API) cardAction(w http.ResponseWriter, r *http.Request) {
	req, ok := readPress(w, r)
	if !ok {
		return
	}
	userID := UserID(r)
	answer := func(text string) { answerPress(w, text) }

	if id, ok := whereNowPress(req.Context); ok {
		text, err := a.triage.WhereIsCard(userID, id)
		if err != nil {
			text = userMessage(err)
		}
		answer(text)
		return
	}
	id, version, action, valid := parseActionContext(req.Context)
	if !valid {
		answer("This button is not valid any more.")
		return
	}
	if !a.triage.IsTriager(userID) {
		answer(userMessage(a.triage.Refusal(userID)))
		return
	}

	if dialog.NeedsInput(action) {
		current, err := a.triage.ReportForTeam(userID, id)
		if err != nil {
			answer(userMessage(err))
			return
		}
		if current.Version != version {
			answer((&service.ConflictError{Current: current}).Error())
			return
		}
		state := a.signer.Sign(signing.Claims{UserID: userID, Kind: dialog.KindAction + string(action), ReportID: id, Version: version}, dialogTTL)
		if err := a.openDialog(req.TriggerId, a.actionDialogURL, dialog.ActionDialog(action, current, state)); err != nil {
			a.log.Warn("Could not open a triage dialog", "error", err.Error())
			answer("The form could not be opened. Please try again.")
			return
		}
		writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{})
		return
	}

	if _, err := a.triage.Act(service.Action{ActorID: userID, ReportID: id, Version: version, Action: action}); err != nil {
		answer(userMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{})
}

// parseActionContext reads the button context the card carries. JSON numbers
// arrive as float64.
func parseActionContext(ctx map[string]any) (id, version int, action report.Action, ok bool) {
	idF, ok1 := ctx["report_id"].(float64)
	versionF, ok2 := ctx["version"].(float64)
	name, ok3 := ctx["action"].(string)
	if !ok1 || !ok2 || !ok3 || idF < 1 || versionF < 1 {
		return 0, 0, "", false
	}
	action = report.Action(name)
	for _, known := range report.Actions {
		if known == action {
			return int(idF), int(versionF), action, true
		}
	}
	return 0, 0, "", false
}

// whereNowPress reads the context of the one button a moved card keeps
// (notify.ActionWhereNow).
func whereNowPress(ctx map[string]any) (int, bool) {
	idF, ok := ctx["report_id"].(float64)
	if !ok || idF < 1 || ctx["action"] != notify.ActionWhereNow {
		return 0, false
	}
	return int(idF), true
}
