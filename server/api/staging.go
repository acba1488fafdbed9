package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// Staging request routes.
const (
	PathStagingDialog   = "/dialog/staging"
	PathStagingDecision = "/dialog/staging/decide"
	PathStagingAction   = "/staging/action"
)

func stagingMessage(err error) string {
	var tooMany *service.ErrTooManyStaging
	if errors.As(err, &tooMany) || errors.Is(err, service.ErrStagingChanged) {
		return capitalize(err.Error()) + "."
	}
	return userMessage(err)
}

// submitStaging files a researcher's request for a staging server.
func (a *API) submitStaging(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeSubmission(w, r)
	if !ok {
		return
	}
	userID := UserID(r)
	if req.Cancelled {
		w.WriteHeader(http.StatusOK)
		return
	}
	if _, err := a.signer.Verify(req.State, userID, dialog.KindStaging); err != nil {
		dialogError(w, signing.ErrInvalid.Error())
		return
	}
	filed, errs, err := a.service.RequestStaging(userID, dialog.ParseStaging(req.Submission))
	switch {
	case err != nil:
		dialogError(w, stagingMessage(err))
	case len(errs) > 0:
		fieldErrors(w, report.FieldErrors(errs))
	default:
		a.ephemeral(userID, req.ChannelId, "Your staging server request **"+filed.Key()+"** was sent to the security team. You will get their decision by direct message; `/security staging list` shows your requests.")
		w.WriteHeader(http.StatusOK)
	}
}

// stagingAction handles Approve and Deny on a request's card: it checks the
// presser and the version, then opens the decision form.
func (a *API) stagingAction(w http.ResponseWriter, r *http.Request) {
	var req model.PostActionIntegrationRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "bad_request", "The request could not be read.")
		return
	}
	userID := UserID(r)
	if req.UserId != "" && req.UserId != userID {
		writeJSONError(w, http.StatusForbidden, "forbidden", "This request belongs to someone else.")
		return
	}
	answer := func(text string) {
		writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{EphemeralText: text})
	}
	idF, ok1 := req.Context["request_id"].(float64)
	versionF, ok2 := req.Context["version"].(float64)
	decision, _ := req.Context["decision"].(string)
	if !ok1 || !ok2 || (decision != service.StagingApprove && decision != service.StagingDeny) {
		answer("This button is not valid any more.")
		return
	}
	current, err := a.service.StagingForTeam(userID, int(idF))
	if err != nil {
		answer(stagingMessage(err))
		return
	}
	if current.Status != staging.StatusPending || current.Version != int(versionF) {
		answer(stagingMessage(service.ErrStagingChanged))
		return
	}
	state := a.signer.Sign(signing.Claims{UserID: userID, Kind: dialog.KindStagingDecision + decision, ReportID: current.ID, Version: current.Version}, dialogTTL)
	if err := a.openDialog(req.TriggerId, a.stagingDecisionURL, dialog.StagingDecisionDialog(decision, current, state)); err != nil {
		answer("The form could not be opened. Please try again.")
		return
	}
	writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{})
}

// submitStagingDecision applies Approve or Deny; the decision, request and
// version come from the signed state.
func (a *API) submitStagingDecision(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeSubmission(w, r)
	if !ok {
		return
	}
	userID := UserID(r)
	if req.Cancelled {
		w.WriteHeader(http.StatusOK)
		return
	}
	decision := strings.TrimPrefix(req.CallbackId, dialog.KindStagingDecision)
	claims, err := a.signer.Verify(req.State, userID, dialog.KindStagingDecision+decision)
	if err != nil {
		dialogError(w, signing.ErrInvalid.Error())
		return
	}
	url, credentials, start, end, reason := dialog.ParseStagingDecision(req.Submission)
	var errs staging.FieldErrors
	if decision == service.StagingApprove {
		errs, err = a.service.ApproveStaging(userID, claims.ReportID, claims.Version, url, credentials, start, end)
	} else {
		errs, err = a.service.DenyStaging(userID, claims.ReportID, claims.Version, reason)
	}
	switch {
	case err != nil:
		dialogError(w, stagingMessage(err))
	case len(errs) > 0:
		fieldErrors(w, report.FieldErrors(errs))
	default:
		w.WriteHeader(http.StatusOK)
	}
}
