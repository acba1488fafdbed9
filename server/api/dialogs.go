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
)

// decodeSubmission reads a dialog submission and checks that it comes from the
// user the server authenticated. The server fills user_id itself; a body naming
// someone else was not sent through the server's dialog endpoint.
func decodeSubmission(w http.ResponseWriter, r *http.Request) (*model.SubmitDialogRequest, bool) {
	var req model.SubmitDialogRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "bad_request", "The submission could not be read.")
		return nil, false
	}
	if req.UserId != "" && req.UserId != UserID(r) {
		writeJSONError(w, http.StatusForbidden, "forbidden", "This submission belongs to someone else.")
		return nil, false
	}
	return &req, true
}

// readSubmission reads a dialog submission and checks its signed state, which
// must have been issued to this user for the kind kindOf names. It answers the
// client itself when there is nothing more to do (a cancelled dialog, a bad
// body, a missing, forged or expired state) and then returns false.
func readSubmission(w http.ResponseWriter, r *http.Request, signer *signing.Signer, kindOf func(*model.SubmitDialogRequest) string) (*model.SubmitDialogRequest, signing.Claims, bool) {
	req, ok := decodeSubmission(w, r)
	if !ok {
		return nil, signing.Claims{}, false
	}
	if req.Cancelled {
		w.WriteHeader(http.StatusOK)
		return nil, signing.Claims{}, false
	}
	claims, err := signer.Verify(req.State, UserID(r), kindOf(req))
	if err != nil {
		dialogError(w, signing.ErrInvalid.Error())
		return nil, signing.Claims{}, false
	}
	return req, claims, true
}

// kind is the kindOf of a dialog that always has the same kind.
func kind(k string) func(*model.SubmitDialogRequest) string {
	return func(*model.SubmitDialogRequest) string { return k }
}

func dialogError(w http.ResponseWriter, message string) {
	writeJSON(w, http.StatusOK, model.SubmitDialogResponse{Error: message})
}

func fieldErrors(w http.ResponseWriter, errs report.FieldErrors) {
	writeJSON(w, http.StatusOK, model.SubmitDialogResponse{Errors: errs})
}

// submitReport files a report from the report dialog.
func (a *API) submitReport(w http.ResponseWriter, r *http.Request) {
	req, _, ok := readSubmission(w, r, a.signer, kind(dialog.KindReport))
	if !ok {
		return
	}
	userID := UserID(r)

	filing, errs := dialog.ParseReport(req.Submission)
	for field, msg := range a.intake.ValidateFiling(userID, filing) {
		errs[field] = msg
	}
	if len(errs) > 0 {
		fieldErrors(w, errs)
		return
	}

	// The channel id comes from the client: it is used only to reply there.
	filing.Confirm = func(filed *report.Report) {
		a.ephemeral(userID, req.ChannelId, "Your report **"+filed.Key()+"** was filed. The security team has it; "+
			"the bot sent you a receipt in a direct message, and you can follow it with `/security status "+filed.Key()+"`.")
	}
	_, errs, err := a.intake.File(userID, filing)
	switch {
	case err != nil:
		a.log.Warn("Filing a report failed", "user_id", userID, "error", err.Error())
		dialogError(w, userMessage(err))
		return
	case len(errs) > 0:
		fieldErrors(w, errs)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// submitAction applies a triage action from its dialog. The action, report and
// version come from the signed state, never from the client's callback id.
func (a *API) submitAction(w http.ResponseWriter, r *http.Request) {
	// The action comes from the callback id, but only a state signed for that
	// action verifies: a client that swaps the callback id fails here.
	req, claims, ok := readSubmission(w, r, a.signer, func(req *model.SubmitDialogRequest) string { return req.CallbackId })
	if !ok {
		return
	}
	userID := UserID(r)
	action := report.Action(strings.TrimPrefix(req.CallbackId, dialog.KindAction))
	if dialog.KindAction+string(action) != req.CallbackId {
		dialogError(w, signing.ErrInvalid.Error())
		return
	}
	in, inputErr := dialog.ParseAction(action, req.Submission)
	if inputErr != nil {
		fieldErrors(w, report.FieldErrors{inputErr.Field: inputErr.Message})
		return
	}
	_, err := a.triage.Act(service.Action{ActorID: userID, ReportID: claims.ReportID, Version: claims.Version, Action: action, Input: in})
	var inErr *report.InputError
	if errors.As(err, &inErr) && isElement(inErr.Field, action) {
		fieldErrors(w, report.FieldErrors{inErr.Field: inErr.Message})
		return
	}
	if err != nil {
		dialogError(w, userMessage(err))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// isElement says whether the action's dialog has an element for field, so an
// error can be shown next to it (otherwise it is shown for the whole form).
func isElement(field string, action report.Action) bool {
	d := dialog.ActionDialog(action, &report.Report{}, "")
	for _, e := range d.Elements {
		if e.Name == field {
			return true
		}
	}
	return false
}

// userMessage is what a person sees for an error (the cause goes to the log).
func userMessage(err error) string { return service.Message(err) }

// submitCredit saves a researcher's credit profile.
func (a *API) submitCredit(w http.ResponseWriter, r *http.Request) {
	req, _, ok := readSubmission(w, r, a.signer, kind(dialog.KindCredit))
	if !ok {
		return
	}
	userID := UserID(r)
	errs, err := a.hall.SaveCreditProfile(userID, dialog.ParseCredit(req.Submission))
	switch {
	case err != nil:
		dialogError(w, userMessage(err))
	case len(errs) > 0:
		fieldErrors(w, errs)
	default:
		a.ephemeral(userID, req.ChannelId, "Your credit profile was saved.")
		w.WriteHeader(http.StatusOK)
	}
}
