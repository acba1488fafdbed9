package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

func (h *apiHarness) fileAs(t *testing.T, user, title string) *report.Report {
	t.Helper()
	r, errs, err := h.svc.Intake.File(user, service.Filing{Report: report.Report{Title: title, Product: "Server", Estimate: report.RatingHigh,
		AffectedVersions: "1", TestedOn: report.TestedOnOwnInstallation, Description: "secret description", Steps: "s", Impact: "i"}})
	require.NoError(t, err)
	require.Empty(t, errs)
	return r
}

func (h *apiHarness) get(t *testing.T, path, user string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if user != "" {
		r.Header.Set("Mattermost-User-ID", user)
	}
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, r)
	return w
}

func TestGetReportByRole(t *testing.T) {
	h := newAPIHarness(t)
	h.limit = 0
	r := h.fileAs(t, "alice", "XSS")
	path := fmt.Sprintf("/api/v1/reports/%d", r.ID)
	tests := []struct {
		user        string
		status      int
		description bool
	}{
		{"", http.StatusUnauthorized, false},
		{"bob", http.StatusNotFound, false},
		{"alice", http.StatusOK, false},
		{"triager", http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run("user "+tt.user, func(t *testing.T) {
			w := h.get(t, path, tt.user)
			require.Equal(t, tt.status, w.Code, w.Body.String())
			assert.Equal(t, tt.description, strings.Contains(w.Body.String(), "secret description"), "only the team sees the full text")
			if tt.status == http.StatusNotFound {
				assert.JSONEq(t, h.get(t, "/api/v1/reports/9999", tt.user).Body.String(), w.Body.String(), "same answer as an unknown id")
			}
		})
	}
}

func TestMineAndQueuePagination(t *testing.T) {
	h := newAPIHarness(t)
	h.limit = 0
	for i := 0; i < 30; i++ {
		user := "alice"
		if i%3 == 0 {
			user = "bob"
		}
		h.fileAs(t, user, fmt.Sprintf("r%d", i))
	}
	collect := func(path, user string) []int {
		var ids []int
		cursor := 0
		for pages := 0; pages < 20; pages++ {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			w := h.get(t, fmt.Sprintf("%s%slimit=4&cursor=%d", path, sep, cursor), user)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			var page service.ViewPage
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &page))
			for _, v := range page.Reports {
				ids = append(ids, v.ID)
			}
			if page.Next == 0 {
				return ids
			}
			cursor = page.Next
		}
		t.Fatal("pagination does not end")
		return nil
	}
	mine := collect(routes.Mine, "alice")
	assert.Len(t, mine, 20)
	assert.Greater(t, mine[0], mine[len(mine)-1], "newest first")

	assert.Equal(t, http.StatusForbidden, h.get(t, routes.Queue, "alice").Code)
	assert.Len(t, collect(routes.Queue, "triager"), 30)

	// A filter that keeps few reports still pages through all of them.
	_, err := h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: 29, Action: report.ActionTake})
	require.NoError(t, err)
	_, err = h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: 2, Action: report.ActionTake})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 29}, collect(routes.Queue+"?status=triaging", "triager"))
	assert.Equal(t, []int{29, 2}, collect(routes.Queue+"?assignee=triager&order=newest", "triager"))
	assert.Len(t, collect(routes.Queue+"?assignee=none", "triager"), 28)
}

func TestReportActionThroughREST(t *testing.T) {
	h := newAPIHarness(t)
	r := h.fileAs(t, "alice", "XSS")
	path := fmt.Sprintf("/api/v1/reports/%d/actions/", r.ID)
	act := func(user, action string, body map[string]any) *httptest.ResponseRecorder {
		return h.post(t, path+action, user, body)
	}

	w := act("alice", "take", map[string]any{"version": r.Version})
	assert.Equal(t, http.StatusForbidden, w.Code, "a reporter cannot act as the team")
	w = act("triager", "take", map[string]any{})
	assert.Equal(t, http.StatusBadRequest, w.Code, "the version the user saw is required")
	w = act("triager", "frobnicate", map[string]any{"version": r.Version})
	assert.Equal(t, http.StatusNotFound, w.Code)

	w = act("triager", "take", map[string]any{"version": r.Version})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var v service.ReportView
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v))
	assert.Equal(t, report.StatusTriaging, v.Status)

	w = act("triager", "close", map[string]any{"version": r.Version, "resolution": "informative"})
	require.Equal(t, http.StatusConflict, w.Code, "a stale version is a conflict")
	var apiErr ErrorBody
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &apiErr))
	assert.Equal(t, "conflict", apiErr.Error)
	require.NotNil(t, apiErr.Current)
	assert.Equal(t, v.Version, apiErr.Current.Version)

	w = act("triager", "fix", map[string]any{"version": v.Version, "fixed_in": "x y z"})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &apiErr))
	assert.Equal(t, report.FieldFixedIn, apiErr.Field)

	w = act("triager", "fix", map[string]any{"version": v.Version, "fixed_in": "11.5.1"})
	require.Equal(t, http.StatusConflict, w.Code, "fixing a report that is not confirmed is refused")
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &apiErr))
	assert.Equal(t, "refused", apiErr.Error)
	assert.Greater(t, h.notify.Published[r.ID], 1, "every change is published to the webapps")
}
