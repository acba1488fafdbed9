// Command bench measures the plugin on a real server and prints each figure
// with its floor, measured in the same run on the same server, and the ratio
// (see ../shared/performance.md: absolute times move ±20% between runs here).
//
// It starts PostgreSQL and Mattermost with the harness, installs the plugin
// and the floor plugin (e2e/floorplugin: the cheapest route and command a
// plugin can have), optionally seeds a program's history of N reports into the
// KV table while the plugin is disabled (build/seed, in the plugin's module),
// then enables the plugin and measures: activation time and plugin memory,
// plain posts, ping, the floor route and command, the public pages, filing,
// and the REST lists. Throughput runs alternate floor and page, several
// rounds, and the table gives the median ratio.
//
// `make bench [SEED=N] [SEED_REV=rev]` builds the bundle and the server first,
// then runs this.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// config is what one run measures and how hard.
type config struct {
	seed              int
	seedRev           string
	seedLayout        int
	rounds            int
	roundDuration     time.Duration
	conns             int
	posts             int
	filings           int
	restCalls         int
	pageSize          int
	activationTimeout time.Duration
	settleTimeout     time.Duration
	logDir            string
}

func main() {
	var c config
	flag.IntVar(&c.seed, "seed", 0, "reports to seed into the KV store before the plugin is enabled (0: none)")
	flag.StringVar(&c.seedRev, "seed-rev", "", "build the seeder against the store of this git revision (one with today's store API)")
	flag.IntVar(&c.seedLayout, "seed-layout", 2, "store layout of the seeded rows: 2, or 1 (wave 1's) to measure the migration")
	flag.IntVar(&c.rounds, "rounds", 5, "throughput rounds; the table gives the median ratio")
	flag.DurationVar(&c.roundDuration, "round", 2*time.Second, "length of one throughput run")
	flag.IntVar(&c.conns, "conns", 16, "keep-alive connections of a throughput run")
	flag.IntVar(&c.posts, "posts", 60, "plain posts, floor commands and REST calls timed for p50/p99")
	flag.IntVar(&c.filings, "filings", 30, "reports filed through the dialog")
	flag.IntVar(&c.pageSize, "page-size", 50, "list page size asked of the REST routes (the webapp's)")
	flag.DurationVar(&c.activationTimeout, "activation-timeout", 15*time.Minute, "how long to wait for the plugin to answer after enabling it")
	flag.DurationVar(&c.settleTimeout, "settle-timeout", 10*time.Minute, "how long to wait for the plugin's background work after activation")
	flag.StringVar(&c.logDir, "log-dir", "", "folder for the server and PostgreSQL logs (default e2e/.logs/bench-<time>)")
	flag.Parse()
	c.restCalls = c.posts
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "\nmake bench:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.seed < 0 || c.rounds < 1 || c.conns < 1 || c.posts < 1 || c.filings < 1 || c.roundDuration <= 0 {
		return errors.New("-seed must be 0 or more, and -rounds, -round, -conns, -posts and -filings positive")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	e2eDir, err := harness.E2EDir()
	if err != nil {
		return err
	}
	repo := filepath.Dir(e2eDir)
	if c.logDir == "" {
		c.logDir = filepath.Join(e2eDir, ".logs", "bench-"+time.Now().Format("20060102-150405"))
	}
	if err := os.MkdirAll(c.logDir, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "rd-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	build, err := harness.LocateServerBuild()
	if err != nil {
		return err
	}
	bundle, err := harness.FindBundle(repo)
	if err != nil {
		return err
	}
	pgpKey, err := os.ReadFile(filepath.Join(e2eDir, "tests", "testdata", "team-pgp-public.asc"))
	if err != nil {
		return fmt.Errorf("the test team's PGP key, served by the PGP key route: %w", err)
	}
	stack := newStack(build, bundle, string(pgpKey), c.logDir)
	// Ctrl-C stops the servers and exits; the parent-death signal stops them
	// even if this process is killed outright.
	restore := harness.ExitOnInterrupt(cancel, func() {
		_ = stack.Close()
		_ = os.RemoveAll(work)
		fmt.Fprintf(os.Stderr, "make bench: interrupted; logs in %s\n", c.logDir)
	})
	defer restore()
	defer func() {
		if err := stack.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping:", err)
		}
	}()

	if err := build.Ensure(ctx, os.Stderr); err != nil {
		return err
	}
	progress("building the floor plugin")
	floor, err := buildFloorBundle(ctx, e2eDir, work, os.Stderr)
	if err != nil {
		return err
	}
	var seeder string
	if c.seed > 0 {
		progress("building the seeder from %s", describeRev(c.seedRev))
		if seeder, err = buildSeeder(ctx, repo, c.seedRev, work, os.Stderr); err != nil {
			return err
		}
	}
	progress("starting PostgreSQL and Mattermost (logs: %s)", c.logDir)
	if err := stack.Start(ctx); err != nil {
		return err
	}
	if err := stack.MM.InstallAndEnable(ctx, stack.Admin.Client, floor.Path, floor.ID); err != nil {
		return fmt.Errorf("the floor plugin: %w", err)
	}

	b := &bench{cfg: c, ctx: ctx, stack: stack, pluginID: bundle.ID}
	if err := b.prepare(); err != nil {
		return err
	}
	res := &results{cfg: c, serverVersion: build.Version, plugin: bundle.ID + " " + bundle.Version, revision: gitDescribe(repo)}
	if err := b.measure(seeder, res); err != nil {
		res.failure = err.Error()
	}
	res.print(os.Stdout)
	fmt.Fprintf(os.Stderr, "make bench: logs in %s\n", c.logDir)
	if res.failure != "" {
		return errors.New(res.failure)
	}
	return nil
}

// newStack is the bench's server: a researcher who owns a share of the seeded
// reports, a triager, and settings that let every public page answer.
func newStack(build harness.ServerBuild, bundle harness.Bundle, pgpKey, logDir string) *harness.Stack {
	return harness.New(harness.Options{
		Build:           build,
		Bundle:          &bundle,
		LogDir:          logDir,
		InstallPostgres: true,
		Users: []harness.UserSpec{
			{Username: "researcher", Role: "files reports; owns a share of the seeded ones"},
			{Username: "triager", Role: "security team", Triage: true},
		},
		PluginSettings: map[string]any{
			"MaxReportsPerDay":     "1000",
			"PGPPublicKey":         pgpKey,
			"SecurityContactEmail": "security@example.com",
			// The follow-up job walks every open report; at scale one pass
			// would land in the middle of a measurement. The bench measures
			// requests; the job has its own figures.
			"JobInterval": "24h",
		},
		Websockets: true,
		Progress:   os.Stderr,
	})
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// gitDescribe names the revision measured, "" when git cannot tell.
func gitDescribe(repo string) string {
	out, err := execOutput(repo, "git", "describe", "--always", "--dirty")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}
