package api

import (
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// submitStaging files a researcher's request for a staging server.
func (a *API) submitStaging(w http.ResponseWriter, r *http.Request) {
	req, _, ok := readSubmission(w, r, a.signer, kind(dialog.KindStaging))
	if !ok {
		return
	}
	userID := UserID(r)
	filed, errs, err := a.staging.Request(userID, dialog.ParseStaging(req.Submission))
	switch {
	case err != nil:
		dialogError(w, userMessage(err))
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
	req, ok := readPress(w, r)
	if !ok {
		return
	}
	userID := UserID(r)
	answer := func(text string) { answerPress(w, text) }
	idF, ok1 := req.Context["request_id"].(float64)
	versionF, ok2 := req.Context["version"].(float64)
	decision, _ := req.Context["decision"].(string)
	if !ok1 || !ok2 || (decision != staging.DecisionApprove && decision != staging.DecisionDeny) {
		answer("This button is not valid any more.")
		return
	}
	current, err := a.staging.ForTeam(userID, int(idF))
	if err != nil {
		answer(userMessage(err))
		return
	}
	if current.Status != staging.StatusPending || current.Version != int(versionF) {
		answer(userMessage(service.ErrStagingChanged))
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
	// The decision, request and version come from the signed state.
	req, claims, ok := readSubmission(w, r, a.signer, func(req *model.SubmitDialogRequest) string { return req.CallbackId })
	if !ok {
		return
	}
	userID := UserID(r)
	decision := strings.TrimPrefix(req.CallbackId, dialog.KindStagingDecision)
	if dialog.KindStagingDecision+decision != req.CallbackId {
		dialogError(w, signing.ErrInvalid.Error())
		return
	}
	var err error
	url, credentials, start, end, reason := dialog.ParseStagingDecision(req.Submission)
	var errs staging.FieldErrors
	if decision == staging.DecisionApprove {
		errs, err = a.staging.Approve(userID, claims.ReportID, claims.Version, url, credentials, start, end)
	} else {
		errs, err = a.staging.Deny(userID, claims.ReportID, claims.Version, reason)
	}
	switch {
	case err != nil:
		dialogError(w, userMessage(err))
	case len(errs) > 0:
		fieldErrors(w, report.FieldErrors(errs))
	default:
		w.WriteHeader(http.StatusOK)
	}
}
