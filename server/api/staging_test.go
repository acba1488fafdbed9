package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

func TestStagingThroughDialogsAndButtons(t *testing.T) {
	h := newAPIHarness(t)
	submission := map[string]any{staging.FieldWhat: "Fuzz the API", staging.FieldWhy: "High load",
		staging.FieldStart: "2026-03-02", staging.FieldEnd: "2026-03-05", staging.FieldRules: true}

	// The request form's state is checked like every other form's.
	resp := dialogResponse(t, h.post(t, routes.StagingDialog, "alice", model.SubmitDialogRequest{State: "forged", Submission: submission}))
	assert.Contains(t, resp.Error, "expired")
	noRules := map[string]any{}
	for k, v := range submission {
		noRules[k] = v
	}
	noRules[staging.FieldRules] = false
	resp = dialogResponse(t, h.post(t, routes.StagingDialog, "alice", model.SubmitDialogRequest{
		State: h.signer.Sign(signing.Claims{UserID: "alice", Kind: dialog.KindStaging}, time.Hour), Submission: noRules}))
	assert.Contains(t, resp.Errors, staging.FieldRules)

	resp = dialogResponse(t, h.post(t, routes.StagingDialog, "alice", model.SubmitDialogRequest{
		State: h.signer.Sign(signing.Claims{UserID: "alice", Kind: dialog.KindStaging}, time.Hour), Submission: submission}))
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)
	list, _, err := h.svc.Staging.List("alice")
	require.NoError(t, err)
	require.Len(t, list, 1)
	r := list[0]

	press := func(user string) string {
		w := h.post(t, routes.StagingAction, user, model.PostActionIntegrationRequest{
			Context: map[string]any{"request_id": float64(r.ID), "version": float64(r.Version), "decision": "approve"}})
		var out model.PostActionIntegrationResponse
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out))
		return out.EphemeralText
	}
	assert.Contains(t, press("alice"), "Only the security team")
	assert.Empty(t, press("triager"))
	require.Len(t, h.dialogs, 1)
	state := h.dialogs[0].State

	// The decision comes from the signed state: a deny callback with an approve state fails.
	resp = dialogResponse(t, h.post(t, routes.StagingDecision, "triager", model.SubmitDialogRequest{CallbackId: "staging:deny", State: state,
		Submission: map[string]any{staging.FieldReason: "no"}}))
	assert.Contains(t, resp.Error, "expired")

	resp = dialogResponse(t, h.post(t, routes.StagingDecision, "triager", model.SubmitDialogRequest{CallbackId: "staging:approve", State: state,
		Submission: map[string]any{staging.FieldURL: "https://staging.example.com", staging.FieldCredentials: "ask Ada",
			staging.FieldStart: "2026-03-02", staging.FieldEnd: "2026-03-03"}}))
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)
	approved, err := h.store.GetStaging(r.ID)
	require.NoError(t, err)
	assert.Equal(t, staging.StatusApproved, approved.Status)
	assert.Contains(t, press("triager"), "already decided", "a decided request's buttons are stale")
}
