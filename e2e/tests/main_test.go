// Package tests drives the plugin inside one real Mattermost server per `go test`
// run, through the REST API and websockets, as real clients do.
//
// Adding a scenario: write a TestXxx in a file of this package and use `env`, the
// shared Stack. Act as env.User("researcher"), "researcher2", "triager" (member of
// the triage channel) or "outsider" (in the team, not in the channel), or env.Admin;
// each has a model.Client4 (Client) and collected websocket events (Events). Use
// ctxFor(t) for a bounded context, and the Wait* helpers of harness.Events or
// harness.Eventually for anything asynchronous. A scenario that changes shared
// state (settings, the triage channel, plugin state) restores it with t.Cleanup.
//
// Report scenarios file their own reports (fileReport with reportForm and a
// uniqueTag) and work them through the card (press, pressWithDialog); see
// reports_test.go. harness.StartPushSink and harness.StartSMTPSink capture what
// the server would send to phones and mailboxes.
package tests

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// env is the shared server; TestMain brings it up before any test runs.
var env *harness.Stack

// policyMarker is a word only the configured policy contains, so a page showing
// it can only come from the plugin.
const policyMarker = "E2EPolicyMarker4711"

// Users every scenario can act as.
var users = []harness.UserSpec{
	{Username: "researcher", Role: "files reports"},
	{Username: "researcher2", Role: "a second researcher"},
	{Username: "triager", Role: "security team, in the triage channel", Triage: true},
	{Username: "outsider", Role: "team member outside the triage channel"},
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("e2e: skipped in -short mode (it runs a real Mattermost server)")
		os.Exit(0)
	}
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	logDir, err := newLogDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	build, err := harness.LocateServerBuild()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if err := build.Ensure(ctx, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	repo, err := harness.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	bundle, err := harness.FindBundle(repo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}

	env = harness.New(harness.Options{
		Build:           build,
		Bundle:          &bundle,
		LogDir:          logDir,
		InstallPostgres: true,
		Users:           users,
		PluginSettings: map[string]any{
			"PolicyText": "## Our policy\n\nReport privately. " + policyMarker,
			// Every scenario files reports as the same researchers; the daily
			// limit itself is covered by the unit tests.
			"MaxReportsPerDay": "1000",
		},
		Websockets: true,
		// The notification scenario turns email on against its own SMTP sink.
		ConfigurableEmail: true,
		Progress:          os.Stdout,
	})
	restore := harness.ExitOnInterrupt(cancel, func() {
		_ = env.Close()
		fmt.Fprintf(os.Stderr, "e2e: interrupted; logs in %s\n", logDir)
	})
	defer restore()
	stopTimer := closeBeforeTestTimeout(logDir)
	defer stopTimer()

	fmt.Printf("e2e: Mattermost server %s from %s; logs in %s\n", build.Version, build.Dir, logDir)
	if err := env.Start(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: setting up the server failed: %v\nlogs: %s\n", err, logDir)
		_ = env.Close()
		return 1
	}
	code := m.Run()
	if err := env.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: stopping the server: %v\n", err)
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "e2e: FAILED; server log: %s (audit log: %s)\n", env.MM.LogPath, env.MM.AuditLogPath)
	}
	return code
}

// newLogDir makes a log folder for this run under e2e/.logs (or $E2E_LOG_DIR),
// keeping the ten newest runs, so a failure's logs survive the teardown.
func newLogDir() (string, error) {
	root := os.Getenv("E2E_LOG_DIR")
	if root == "" {
		dir, err := harness.E2EDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(dir, ".logs")
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for len(names) >= 10 {
		_ = os.RemoveAll(filepath.Join(root, names[0]))
		names = names[1:]
	}
	dir := filepath.Join(root, fmt.Sprintf("%s-%d", time.Now().Format("20060102-150405"), os.Getpid()))
	return dir, os.MkdirAll(dir, 0o755)
}

// closeBeforeTestTimeout stops the servers shortly before `go test -timeout`
// would kill the test binary without running any cleanup.
func closeBeforeTestTimeout(logDir string) (stop func()) {
	f := flag.Lookup("test.timeout")
	if f == nil {
		return func() {}
	}
	timeout, ok := f.Value.(flag.Getter).Get().(time.Duration)
	if !ok || timeout <= time.Minute {
		return func() {}
	}
	timer := time.AfterFunc(timeout-30*time.Second, func() {
		fmt.Fprintf(os.Stderr, "e2e: the test binary reaches -timeout %s in 30s; stopping the server now (logs: %s)\n", timeout, logDir)
		harness.StopAll()
	})
	return func() { timer.Stop() }
}

// ctxFor returns a context bounded by two minutes and by the test's deadline.
func ctxFor(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	if deadline, ok := t.Deadline(); ok {
		var cancelDeadline context.CancelFunc
		ctx, cancelDeadline = context.WithDeadline(ctx, deadline)
		t.Cleanup(cancelDeadline)
	}
	return ctx
}
