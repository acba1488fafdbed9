package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Migrate carries the migration of a wave-1 history through every step at
// once, where a job run stops after migrationRunTime; a cancelled context
// stops it between steps, and the next call resumes from the cursor.
func TestMigrateRunsUntilTheHistoryIsMigrated(t *testing.T) {
	kv := &pluginapi.MemoryStore{}
	wave1 := store.New(kv, store.WithLayout1())
	const reports = 1200 // three steps of 500
	for i := range reports {
		_, err := wave1.File(report.Report{
			ReporterID: fmt.Sprintf("researcher%d", i%7), Title: "XSS", Product: "Server", TriageChannelID: "triage",
			Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", TestedOn: report.TestedOnOwnInstallation,
			Description: "d", Steps: "s", Impact: "i",
		}, 0, t0.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
	}
	env := servicetest.New(servicetest.Options{KV: kv, Directory: servicetest.Directory{"triager": true}})

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	p := env.Recovery.Migrate(cancelled)
	assert.False(t, p.Done, "a cancelled context stops after the step begun")

	p = env.Recovery.Migrate(context.Background())
	assert.True(t, p.Done)
	migrated, err := env.Store.Migrated()
	require.NoError(t, err)
	assert.True(t, migrated)
	queue, err := env.Triage.Queue("triager")
	require.NoError(t, err)
	assert.Len(t, queue, reports, "the queue, read from the summaries now, has every open report")
}
