package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

type apiHarness struct {
	router     http.Handler
	svc        *servicetest.Env
	store      *store.Store
	signer     *signing.Signer
	notify     *servicetest.Notifier
	now        time.Time
	dialogs    []model.Dialog
	ephemerals []string
	limit      int
}

func newAPIHarness(t *testing.T) *apiHarness {
	t.Helper()
	h := &apiHarness{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), limit: 10}
	clock := func() time.Time { return h.now }
	signer, err := signing.New(bytes.Repeat([]byte{7}, signing.KeySize), clock)
	require.NoError(t, err)
	h.signer = signer
	h.svc = servicetest.New(servicetest.Options{
		Directory: servicetest.Directory{"triager": true},
		Intake: func() config.Intake {
			return config.Intake{Products: config.Defaults().Intake.Products, MaxReportsPerDay: h.limit}
		},
		Staging: servicetest.Fixed(config.Staging{MaxDays: 14, MaxOpen: 2}),
		Now:     clock,
	})
	h.store, h.notify = h.svc.Store, h.svc.Bot.Notifier
	h.router = NewRouter(withServices(h.svc, Deps{
		Log:    servicetest.Logger{},
		Signer: signer,
		Public: PublicSettings{Policy: "policy"},
		OpenDialog: func(_, _ string, d model.Dialog) error {
			h.dialogs = append(h.dialogs, d)
			return nil
		},
		Ephemeral: func(_, _, message string) { h.ephemerals = append(h.ephemerals, message) },
		PluginURL: "/plugins/x",
	}))
	return h
}

// withServices gives the router every use case of env.
func withServices(env *servicetest.Env, d Deps) Deps {
	d.Intake, d.Triage, d.Clocks = env.Intake, env.Triage, env.Clocks
	d.Staging, d.Disclosure, d.HallOfFame = env.Staging, env.Disclosure, env.HallOfFame
	return d
}

func (h *apiHarness) post(t *testing.T, path, userID string, body any) *httptest.ResponseRecorder {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(data))
	if userID != "" {
		r.Header.Set("Mattermost-User-ID", userID)
	}
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, r)
	return w
}

func validSubmission() map[string]any {
	return map[string]any{
		report.FieldTitle:            "Stored XSS",
		report.FieldProduct:          "Server",
		report.FieldVector:           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		report.FieldAffectedVersions: "11.4.0",
		report.FieldTestedOn:         string(report.TestedOnOwnInstallation),
		report.FieldDescription:      "desc",
		report.FieldSteps:            "steps",
		report.FieldImpact:           "impact",
		dialog.FieldCredit:           false,
		dialog.FieldPolicyAgreed:     true,
	}
}

func dialogResponse(t *testing.T, w *httptest.ResponseRecorder) model.SubmitDialogResponse {
	t.Helper()
	var resp model.SubmitDialogResponse
	if w.Body.Len() > 0 {
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
	}
	return resp
}

func TestSubmitReport(t *testing.T) {
	tests := []struct {
		name      string
		header    string
		bodyUser  string
		state     func(h *apiHarness) string
		mutate    func(map[string]any)
		limit     int
		status    int
		errorText string
		fields    []string
		filed     bool
	}{
		{name: "valid", header: "alice", status: 200, filed: true},
		{name: "missing header", header: "", status: 401},
		{name: "spoofed user id", header: "alice", bodyUser: "bob", status: 403},
		{name: "forged state", header: "alice", state: func(*apiHarness) string { return "eyJ1IjoiYWxpY2UifQ.AAAA" }, status: 200, errorText: "expired"},
		{name: "missing state", header: "alice", state: func(*apiHarness) string { return "" }, status: 200, errorText: "expired"},
		{name: "expired state", header: "alice", state: func(h *apiHarness) string {
			s := h.signer.Sign(signing.Claims{UserID: "alice", Kind: dialog.KindReport}, time.Hour)
			h.now = h.now.Add(2 * time.Hour)
			return s
		}, status: 200, errorText: "expired"},
		{name: "other user's state", header: "alice", state: func(h *apiHarness) string {
			return h.signer.Sign(signing.Claims{UserID: "bob", Kind: dialog.KindReport}, time.Hour)
		}, status: 200, errorText: "expired"},
		{name: "state of another dialog", header: "alice", state: func(h *apiHarness) string {
			return h.signer.Sign(signing.Claims{UserID: "alice", Kind: dialog.KindCredit}, time.Hour)
		}, status: 200, errorText: "expired"},
		{name: "policy unchecked", header: "alice", mutate: func(s map[string]any) { s[dialog.FieldPolicyAgreed] = false }, status: 200, fields: []string{dialog.FieldPolicyAgreed}},
		{name: "policy as string false", header: "alice", mutate: func(s map[string]any) { s[dialog.FieldPolicyAgreed] = "false" }, status: 200, fields: []string{dialog.FieldPolicyAgreed}},
		{name: "every required field missing", header: "alice", mutate: func(s map[string]any) {
			for _, f := range []string{report.FieldTitle, report.FieldProduct, report.FieldVector, report.FieldTestedOn, report.FieldDescription, report.FieldSteps, report.FieldImpact} {
				delete(s, f)
			}
		}, status: 200, fields: []string{report.FieldTitle, report.FieldProduct, report.FieldEstimate, report.FieldTestedOn, report.FieldDescription, report.FieldSteps, report.FieldImpact}},
		{name: "bad vector", header: "alice", mutate: func(s map[string]any) { s[report.FieldVector] = "CVSS:2.0/AV:N" }, status: 200, fields: []string{report.FieldVector}},
		{name: "unknown product", header: "alice", mutate: func(s map[string]any) { s[report.FieldProduct] = "Toaster" }, status: 200, fields: []string{report.FieldProduct}},
		{name: "unknown place", header: "alice", mutate: func(s map[string]any) { s[report.FieldTestedOn] = "customer_instance" }, status: 200, fields: []string{report.FieldTestedOn}},
		{name: "oversized title and steps", header: "alice", mutate: func(s map[string]any) {
			s[report.FieldTitle] = strings.Repeat("t", report.MaxTitleRunes+1)
			s[report.FieldSteps] = strings.Repeat("s", report.MaxStepsRunes+1)
		}, status: 200, fields: []string{report.FieldTitle, report.FieldSteps}},
		{name: "credit without a name", header: "alice", mutate: func(s map[string]any) { s[dialog.FieldCredit] = true }, status: 200, fields: []string{report.FieldDisplayName}},
		{name: "wrong types are empty", header: "alice", mutate: func(s map[string]any) { s[report.FieldTitle] = 42.0 }, status: 200, fields: []string{report.FieldTitle}},
		{name: "rate limited", header: "alice", limit: -1, status: 200, errorText: "maximum number of reports"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newAPIHarness(t)
			if tt.limit < 0 {
				h.limit = 1
				h.post(t, routes.ReportDialog, "alice", model.SubmitDialogRequest{State: h.signer.Sign(signing.Claims{UserID: "alice", Kind: dialog.KindReport}, time.Hour), Submission: validSubmission()})
			}
			submission := validSubmission()
			if tt.mutate != nil {
				tt.mutate(submission)
			}
			state := h.signer.Sign(signing.Claims{UserID: "alice", Kind: dialog.KindReport}, time.Hour)
			if tt.state != nil {
				state = tt.state(h)
			}
			before, _ := h.svc.Intake.Mine("alice")
			w := h.post(t, routes.ReportDialog, tt.header, model.SubmitDialogRequest{UserId: tt.bodyUser, State: state, Submission: submission, ChannelId: "town-square"})
			require.Equal(t, tt.status, w.Code, w.Body.String())

			after, _ := h.svc.Intake.Mine("alice")
			if tt.filed {
				require.Len(t, after, len(before)+1)
				assert.Equal(t, "Stored XSS", after[0].Title)
				assert.Contains(t, h.ephemerals[len(h.ephemerals)-1], after[0].Key())
				assert.Empty(t, dialogResponse(t, w).Errors)
				return
			}
			assert.Len(t, after, len(before), "nothing was filed")
			if tt.status != 200 {
				return
			}
			resp := dialogResponse(t, w)
			if tt.errorText != "" {
				assert.Contains(t, resp.Error, tt.errorText)
			}
			for _, f := range tt.fields {
				assert.Contains(t, resp.Errors, f)
			}
		})
	}
}

func TestCardActionChecksWhoPresses(t *testing.T) {
	h := newAPIHarness(t)
	r, _, err := h.svc.Intake.File("alice", service.Filing{Report: report.Report{Title: "t", Product: "Server", Estimate: report.RatingHigh,
		AffectedVersions: "1", TestedOn: report.TestedOnOwnInstallation, Description: "d", Steps: "s", Impact: "i"}})
	require.NoError(t, err)
	press := func(user string, ctx map[string]any) string {
		w := h.post(t, routes.CardAction, user, model.PostActionIntegrationRequest{UserId: user, Context: ctx, TriggerId: "trigger"})
		require.Equal(t, 200, w.Code)
		var resp model.PostActionIntegrationResponse
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
		return resp.EphemeralText
	}
	ctx := func(action string, version int) map[string]any {
		return map[string]any{"report_id": float64(r.ID), "version": float64(version), "action": action}
	}

	// Outsiders, the reporter and crafted contexts change nothing.
	for _, user := range []string{"alice", "mallory"} {
		assert.Contains(t, press(user, ctx("take", r.Version)), "Only the security team")
	}
	assert.Contains(t, press("triager", map[string]any{"report_id": "1"}), "not valid")
	assert.Contains(t, press("triager", ctx("delete_everything", r.Version)), "not valid")
	w := h.post(t, routes.CardAction, "", model.PostActionIntegrationRequest{Context: ctx("take", r.Version)})
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	unchanged, _ := h.store.Get(r.ID)
	assert.Equal(t, r.Version, unchanged.Version)

	// A triager's press applies.
	assert.Empty(t, press("triager", ctx("take", r.Version)))
	taken, _ := h.store.Get(r.ID)
	assert.Equal(t, report.StatusTriaging, taken.Status)

	// A press on a card that changed meanwhile is refused with the current state.
	assert.Contains(t, press("triager", ctx("take", r.Version)), "changed while you were looking")

	// An action needing input opens its dialog with a signed state.
	assert.Empty(t, press("triager", ctx("ask", taken.Version)))
	require.Len(t, h.dialogs, 1)
	claims, err := h.signer.Verify(h.dialogs[0].State, "triager", dialog.KindAction+"ask")
	require.NoError(t, err)
	assert.Equal(t, r.ID, claims.ReportID)
	assert.Equal(t, taken.Version, claims.Version)
}

func TestSubmitActionDialog(t *testing.T) {
	h := newAPIHarness(t)
	r, _, err := h.svc.Intake.File("alice", service.Filing{Report: report.Report{Title: "t", Product: "Server", Estimate: report.RatingHigh,
		AffectedVersions: "1", TestedOn: report.TestedOnOwnInstallation, Description: "d", Steps: "s", Impact: "i"}})
	require.NoError(t, err)
	taken, err := h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Action: report.ActionTake})
	require.NoError(t, err)
	state := func(user, action string, version int) string {
		return h.signer.Sign(signing.Claims{UserID: user, Kind: dialog.KindAction + action, ReportID: r.ID, Version: version}, time.Hour)
	}
	submit := func(user, callback, st string, submission map[string]any) model.SubmitDialogResponse {
		w := h.post(t, routes.ActionDialog, user, model.SubmitDialogRequest{CallbackId: callback, State: st, Submission: submission})
		require.Equal(t, 200, w.Code)
		return dialogResponse(t, w)
	}

	// The action comes from the signed state: swapping the callback id fails.
	resp := submit("triager", "action:close", state("triager", "ask", taken.Version), map[string]any{"note": "q", "resolution": "informative"})
	assert.Contains(t, resp.Error, "expired")

	// A triager removed from the channel after opening the form is refused.
	resp = submit("mallory", "action:ask", state("mallory", "ask", taken.Version), map[string]any{"note": "q"})
	assert.Contains(t, resp.Error, "Only the security team")

	// Input errors land next to their element.
	resp = submit("triager", "action:fix", state("triager", "fix", taken.Version), map[string]any{"fixed_in": "not a version!"})
	assert.Contains(t, resp.Errors, report.FieldFixedIn)
	resp = submit("triager", "action:close", state("triager", "close", taken.Version), map[string]any{"resolution": "duplicate", "duplicate_of": "SEC-77"})
	assert.Contains(t, resp.Errors, report.FieldDuplicateOf)
	resp = submit("triager", "action:ask", state("triager", "ask", taken.Version), map[string]any{"note": " "})
	assert.Contains(t, resp.Errors, report.FieldNote)

	// A valid submission applies; the same form submitted again is a conflict.
	resp = submit("triager", "action:ask", state("triager", "ask", taken.Version), map[string]any{"note": "Which version?"})
	assert.Empty(t, resp.Error)
	asked, _ := h.store.Get(r.ID)
	assert.Equal(t, report.StatusNeedsInfo, asked.Status)
	resp = submit("triager", "action:ask", state("triager", "ask", taken.Version), map[string]any{"note": "Again?"})
	assert.Contains(t, resp.Error, "Needs information")
}

func TestStatsRouteIsForSystemAdmins(t *testing.T) {
	h := newAPIHarness(t)
	get := func(user string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, routes.Stats, nil)
		if user != "" {
			r.Header.Set("Mattermost-User-ID", user)
		}
		w := httptest.NewRecorder()
		h.router.ServeHTTP(w, r)
		return w
	}
	assert.Equal(t, http.StatusUnauthorized, get("").Code)
	assert.Equal(t, http.StatusNotFound, get("triager").Code, "the team uses /security stats; the JSON route is for admins")
	assert.Equal(t, http.StatusNotFound, get("alice").Code)
	w := get("admin1")
	require.Equal(t, http.StatusOK, w.Code)
	var st service.Stats
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &st))
	assert.Zero(t, st.Reports)
	assert.Contains(t, w.Body.String(), `"first_response"`)
}
