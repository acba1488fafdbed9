package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

func (a *API) restError(w http.ResponseWriter, err error) {
	var refused *report.RefusedError
	var input *report.InputError
	var conflict *service.ConflictError
	switch {
	case errors.As(err, &conflict):
		v := service.TeamView(conflict.Current)
		writeJSON(w, http.StatusConflict, ErrorBody{Error: "conflict", Message: err.Error(), Current: &v})
	case errors.As(err, &input):
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: "invalid_input", Message: input.Message, Field: input.Field})
	case errors.As(err, &refused):
		writeJSON(w, http.StatusConflict, ErrorBody{Error: "refused", Message: refused.Error()})
	case errors.Is(err, service.ErrNotFound):
		writeJSON(w, http.StatusNotFound, ErrorBody{Error: "not_found", Message: "No such report."})
	case errors.Is(err, service.ErrNotTriager):
		writeJSON(w, http.StatusForbidden, ErrorBody{Error: "forbidden", Message: "Only the security team can do that."})
	case errors.Is(err, service.ErrBusy):
		writeJSON(w, http.StatusServiceUnavailable, ErrorBody{Error: "busy", Message: userMessage(err)})
	default:
		a.log.Warn("REST request failed", "error", err.Error())
		writeJSON(w, http.StatusInternalServerError, ErrorBody{Error: "internal", Message: "Something went wrong; nothing was saved."})
	}
}

func queryInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}

func (a *API) mine(w http.ResponseWriter, r *http.Request) {
	page, err := a.intake.MinePage(UserID(r), queryInt(r, "cursor"), queryInt(r, "limit"))
	if err != nil {
		a.restError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (a *API) queue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := a.triage.QueuePage(UserID(r), service.QueueFilter{
		Status:   report.Status(q.Get("status")),
		Assignee: q.Get("assignee"),
		Rating:   report.Rating(q.Get("severity")),
		Newest:   q.Get("order") == "newest",
		After:    queryInt(r, "cursor"),
		Limit:    queryInt(r, "limit"),
	})
	if err != nil {
		a.restError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func reportID(r *http.Request) int {
	id, _ := strconv.Atoi(mux.Vars(r)["id"])
	return id
}

func (a *API) getReport(w http.ResponseWriter, r *http.Request) {
	v, err := a.triage.ViewFor(UserID(r), reportID(r))
	if err != nil {
		a.restError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// ActionRequest is the body of a report action: the version the user saw and
// the action's input, named as in the card's dialogs.
type ActionRequest struct {
	Version     int    `json:"version"`
	Note        string `json:"note"`
	Assignee    string `json:"assignee"`
	Resolution  string `json:"resolution"`
	DuplicateOf string `json:"duplicate_of"`
	Vector      string `json:"cvss"`
	Estimate    string `json:"estimate"`
	FixedIn     string `json:"fixed_in"`
	AdvisoryID  string `json:"advisory_id"`
	CVEID       string `json:"cve_id"`

	PublicTitle    string `json:"public_title"`
	PublicSummary  string `json:"public_summary"`
	PublicAffected string `json:"public_affected"`
	DiscloseOn     string `json:"disclose_on"`
}

func (a *API) reportAction(w http.ResponseWriter, r *http.Request) {
	var body ActionRequest
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: "bad_request", Message: "The request body is not valid JSON."})
		return
	}
	if body.Version < 1 {
		// Acting without saying which version was seen could overwrite a change
		// the user never saw.
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: "invalid_input", Field: "version", Message: "Say which version of the report you acted on."})
		return
	}
	action := report.Action(mux.Vars(r)["action"])
	known := false
	for _, k := range report.Actions {
		known = known || k == action
	}
	if !known || action == report.ActionReply || action == report.ActionAutoClose {
		writeJSON(w, http.StatusNotFound, ErrorBody{Error: "not_found", Message: "No such action."})
		return
	}
	in := report.Input{Note: body.Note, Assignee: body.Assignee, Resolution: report.Status(body.Resolution),
		Vector: body.Vector, Estimate: report.Rating(body.Estimate), AdvisoryID: body.AdvisoryID, CVEID: body.CVEID,
		PublicTitle: body.PublicTitle, PublicSummary: body.PublicSummary, PublicAffected: body.PublicAffected, DiscloseOn: body.DiscloseOn}
	if body.FixedIn != "" {
		versions, err := report.ParseFixedVersions(body.FixedIn)
		if err != nil {
			a.restError(w, &report.InputError{Field: report.FieldFixedIn, Message: err.Error()})
			return
		}
		in.FixedIn = versions
	}
	if body.DuplicateOf != "" {
		id, err := report.ParseID(body.DuplicateOf)
		if err != nil {
			a.restError(w, &report.InputError{Field: report.FieldDuplicateOf, Message: "Give a report id like SEC-12."})
			return
		}
		in.DuplicateOf = id
	}
	updated, err := a.triage.Act(service.Action{ActorID: UserID(r), ReportID: reportID(r), Version: body.Version, Action: action, Input: in})
	if err != nil {
		a.restError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, service.TeamView(updated))
}
