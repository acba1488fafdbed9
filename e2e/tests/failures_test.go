package tests

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// These scenarios prove that each way of failing ends quickly and says what failed
// and where the log is. They start their own pieces; the shared server is only
// the target of the rejected bundles.

func TestTakenPortFailsFastAndNamesThePort(t *testing.T) {
	for _, which := range []string{"Mattermost", "PostgreSQL"} {
		t.Run(which, func(t *testing.T) {
			ctx := ctxFor(t)
			l, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			defer l.Close()
			port := l.Addr().(*net.TCPAddr).Port

			opts := harness.Options{Build: env.Opts.Build, LogDir: t.TempDir()}
			if which == "Mattermost" {
				opts.Port = port
			} else {
				opts.PGPort = port
			}
			s := harness.New(opts)
			defer s.Close()

			start := time.Now()
			err = s.Start(ctx)
			require.Error(t, err)
			t.Logf("reported: %v", err)
			assert.Less(t, time.Since(start), 10*time.Second)
			assert.Contains(t, err.Error(), "127.0.0.1:"+strconv.Itoa(port))
			assert.Contains(t, err.Error(), "already in use")
			assert.Contains(t, err.Error(), which)
			assert.Nil(t, s.PG, "nothing was started")
		})
	}
}

func TestMissingPostgresIsReportedClearly(t *testing.T) {
	ctx := ctxFor(t)
	dir := t.TempDir()
	port, err := harness.FreePort()
	require.NoError(t, err)
	search := filepath.Join(dir, "no-postgresql", "*", "bin")

	start := time.Now()
	_, err = harness.StartPostgres(ctx, harness.PostgresOptions{
		Search:  []string{search},
		Install: false,
		DataDir: filepath.Join(dir, "pg"),
		Port:    port,
		LogPath: filepath.Join(dir, "postgres.log"),
	})
	require.Error(t, err)
	t.Logf("reported: %v", err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Contains(t, err.Error(), "PostgreSQL server binaries")
	assert.Contains(t, err.Error(), search, "the message says where it looked")
	assert.Contains(t, err.Error(), "apt-get install postgresql", "the message says how to fix it")
}

func TestUnhealthyServerEndsWithinTheBoundAndNamesTheLog(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		want    []string
	}{
		{
			name:    "never answers ping",
			script:  "echo fake server listening nowhere\nexec sleep 600\n",
			timeout: 3 * time.Second,
			want:    []string{"did not become healthy within 3s", "/api/v4/system/ping", "fake server listening nowhere"},
		},
		{
			name:    "exits at start",
			script:  "echo 'fatal: cannot open the database' >&2\nexit 3\n",
			timeout: time.Minute,
			want:    []string{"exit status 3", "before answering", "fatal: cannot open the database"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctxFor(t)
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "pid")
			fake := filepath.Join(dir, "fake-mattermost")
			require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\necho $$ > "+pidFile+"\n"+tt.script), 0o755))
			port, err := harness.FreePort()
			require.NoError(t, err)
			logPath := filepath.Join(dir, "mattermost.log")

			start := time.Now()
			_, err = harness.StartServer(ctx, harness.ServerOptions{
				Build:         env.Opts.Build,
				Binary:        fake,
				DataDir:       filepath.Join(dir, "data"),
				LogPath:       logPath,
				AuditLogPath:  filepath.Join(dir, "audit.log"),
				Port:          port,
				DSN:           "postgres://nobody@127.0.0.1:1/none?sslmode=disable",
				HealthTimeout: tt.timeout,
			})
			elapsed := time.Since(start)
			require.Error(t, err)
			t.Logf("reported after %s: %v", elapsed.Round(time.Millisecond), err)
			assert.Less(t, elapsed, tt.timeout+15*time.Second, "bounded by the health timeout")
			assert.Contains(t, err.Error(), "server log: "+logPath)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}

			// The stand-in is gone: no stray process.
			data, err := os.ReadFile(pidFile)
			require.NoError(t, err)
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			require.NoError(t, err)
			assert.True(t, errors.Is(syscall.Kill(pid, 0), syscall.ESRCH), "process %d still exists", pid)
		})
	}
}

func TestRejectedBundleFailsWithTheServersReason(t *testing.T) {
	tests := []struct {
		name     string
		manifest string // empty: not a bundle at all
		pluginID string
		want     string
	}{
		{name: "not a tar.gz", want: "Unable to add plugin"},
		{
			name:     "invalid manifest id",
			manifest: `{"id": "Not A Valid Id!", "name": "Bad", "version": "0.0.1"}`,
			pluginID: "Not A Valid Id!",
			want:     "Unable to add plugin",
		},
		{
			// Accepted on upload, refused on activation.
			name:     "needs a newer server",
			manifest: `{"id": "com.example.e2e-too-new", "name": "Too new", "version": "0.0.1", "min_server_version": "99.0.0", "server": {"executable": "server/plugin"}}`,
			pluginID: "com.example.e2e-too-new",
			want:     "com.example.e2e-too-new",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctxFor(t)
			path := filepath.Join(t.TempDir(), "bundle.tar.gz")
			if tt.manifest == "" {
				require.NoError(t, os.WriteFile(path, []byte("this is not a plugin bundle"), 0o644))
			} else {
				require.NoError(t, writeBundle(path, tt.manifest))
			}
			if tt.pluginID != "" {
				t.Cleanup(func() { _, _ = env.MM.Mmctl(ctx, "plugin", "delete", tt.pluginID) })
			}

			start := time.Now()
			err := env.MM.InstallAndEnable(ctx, env.Admin.Client, path, tt.pluginID)
			require.Error(t, err)
			t.Logf("reported: %v", err)
			assert.Less(t, time.Since(start), time.Minute)
			assert.Contains(t, err.Error(), "server log: "+env.MM.LogPath)
			assert.Contains(t, err.Error(), tt.want, "the message says what failed")

			if tt.pluginID != "" {
				state, err := harness.PluginState(ctx, env.Admin.Client, tt.pluginID)
				require.NoError(t, err)
				assert.NotEqual(t, model.PluginStateRunning, state, "the rejected plugin does not run")
			}
			state, err := harness.PluginState(ctx, env.Admin.Client, env.Bundle.ID)
			require.NoError(t, err)
			assert.Equal(t, model.PluginStateRunning, state, "our plugin is unaffected")
		})
	}
}

// writeBundle writes a tar.gz holding only a plugin.json, as a plugin bundle does.
func writeBundle(path, manifest string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "plugin/plugin.json", Mode: 0o644, Size: int64(len(manifest))}); err != nil {
		return err
	}
	if _, err := tw.Write([]byte(manifest)); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	return f.Close()
}
