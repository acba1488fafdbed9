package tests

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// TestMakeDeployInstallsWithAnAdminToken installs the bundle the way the README
// tells an admin to: `make deploy` with the server URL and a personal access token.
func TestMakeDeployInstallsWithAnAdminToken(t *testing.T) {
	repo, err := harness.RepoRoot()
	require.NoError(t, err)
	makeVars := makeEnv()

	probe := exec.Command("make", "-n", "deploy")
	probe.Dir, probe.Env = repo, makeVars
	if out, err := probe.CombinedOutput(); err != nil && strings.Contains(string(out), "No rule to make target") {
		t.Skipf("the root Makefile has no deploy target yet: %s", strings.TrimSpace(string(out)))
	}

	ctx, cancel := context.WithTimeout(ctxFor(t), 15*time.Minute)
	defer cancel()
	admin := env.Admin
	token, _, err := admin.Client.CreateUserAccessToken(ctx, admin.Id, "e2e make deploy")
	require.NoError(t, err, "creating a personal access token for the admin")
	auditBefore, err := env.MM.ReadAuditLog()
	require.NoError(t, err)

	deploy := exec.CommandContext(ctx, "make", "deploy")
	deploy.Dir = repo
	deploy.Env = append(makeVars,
		"MM_SERVICESETTINGS_SITEURL="+env.MM.URL,
		"MM_ADMIN_TOKEN="+token.Token,
	)
	out, err := deploy.CombinedOutput()
	require.NoError(t, err, "make deploy:\n%s", out)

	id := env.Bundle.ID
	require.NoError(t, env.MM.WaitPluginState(ctx, admin.Client, id, model.PluginStateRunning, time.Minute))

	// The audit log shows the upload was made with the admin's token, not over
	// the local socket the harness uses.
	auditAfter, err := env.MM.ReadAuditLog()
	require.NoError(t, err)
	uploaded := false
	for _, rec := range auditAfter[len(auditBefore):] {
		if rec.EventName == model.AuditEventUploadPlugin && rec.Status == model.AuditStatusSuccess && rec.Actor.UserID == admin.Id {
			uploaded = true
		}
	}
	assert.True(t, uploaded, "no successful uploadPlugin audit record by the admin after make deploy")

	// The reinstalled plugin keeps its triage channel and still answers.
	townSquare := env.DefaultChannel
	reply, err := env.User("researcher").CommandReply(ctx, env.Team.Id, townSquare.Id, "/security help", 15*time.Second)
	require.NoError(t, err)
	assert.Contains(t, reply, "/security help")
	_, _, err = admin.Client.GetChannelMember(ctx, env.TriageChannel.Id, env.Bot.Id, "")
	assert.NoError(t, err, "the bot is still in the triage channel")
}

// makeEnv is the environment for a nested make: without the outer make's job
// server flags, and without a local socket so the token path is the one used.
func makeEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MM_LOCALSOCKETPATH", "MM_SERVICESETTINGS_SITEURL", "MM_ADMIN_TOKEN":
			continue
		}
		out = append(out, kv)
	}
	return out
}
