package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Seeding: the plugin's own module writes the rows (build/seed, which runs the
// plugin's store); this module only builds that command and loads its output
// into the server's PluginKeyValueStore table while the plugin is disabled.

const seederPackage = "./build/seed"

// pluginIDPattern is what a plugin id may hold (the manifest's rule), so it
// can be quoted into SQL as is.
var pluginIDPattern = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// copyStatement loads rows in the seeder's column order.
const copyStatement = "COPY pluginkeyvaluestore (pluginid, pkey, pvalue, expireat) FROM STDIN"

// buildSeeder compiles build/seed into dir: from the working tree, or from
// revision rev of the repository, so a history can be seeded in an older
// store layout (wave 1's, to measure a migration). A revision older than the
// seeder gets today's seeder source dropped into its tree: it uses only the
// store's public API, which the older store must then have.
func buildSeeder(ctx context.Context, repo, rev, dir string, progress io.Writer) (string, error) {
	src := repo
	if rev != "" {
		src = filepath.Join(dir, "rev")
		if err := exportRevision(ctx, repo, rev, src); err != nil {
			return "", err
		}
		if _, err := os.Stat(filepath.Join(src, "build", "seed")); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(progress, "bench: %s has no build/seed; building today's seeder against its store\n", rev)
			if err := copySeederSource(filepath.Join(repo, "build", "seed"), filepath.Join(src, "build", "seed")); err != nil {
				return "", err
			}
		}
	}
	bin := filepath.Join(dir, "seed")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, seederPackage)
	build.Dir = src
	// The plugin's module is tidy and has its go.sum: no -mod=mod, which the
	// e2e module needs and which could rewrite this go.mod.
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-buildvcs=false")
	build.Stdout, build.Stderr = progress, progress
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the seeder from %s (output above): %w", describeRev(rev), err)
	}
	return bin, nil
}

func describeRev(rev string) string {
	if rev == "" {
		return "the working tree"
	}
	return "revision " + rev
}

// exportRevision writes the tree of rev into dst with git archive: no
// checkout, no worktree registered in the repository that others share.
func exportRevision(ctx context.Context, repo, rev, dst string) error {
	if strings.HasPrefix(rev, "-") {
		return fmt.Errorf("SEED_REV %q is not a revision", rev)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	archive := exec.CommandContext(ctx, "git", "-C", repo, "archive", "--format=tar", rev)
	extract := exec.CommandContext(ctx, "tar", "-x", "-C", dst)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		return err
	}
	var archiveErr, extractErr bytes.Buffer
	archive.Stderr, extract.Stderr = &archiveErr, &extractErr
	extract.Stdin = pipe
	if err := archive.Start(); err != nil {
		return err
	}
	if err := extract.Run(); err != nil {
		_ = archive.Wait()
		return fmt.Errorf("extracting revision %s: %w: %s", rev, err, extractErr.String())
	}
	if err := archive.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %w: %s", rev, err, strings.TrimSpace(archiveErr.String()))
	}
	return nil
}

// copySeederSource copies the seeder's Go files (not its tests, which may use
// helpers of the newer store).
func copySeederSource(from, to string) error {
	files, err := filepath.Glob(filepath.Join(from, "*.go"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// seedRequest is who the seeded history involves on this server.
type seedRequest struct {
	reports         int
	pluginID        string
	reporters       []string
	triagers        []string
	triageChannelID string
	pageSize        int
	layout          int // store layout of the rows (the seeder's -layout)
}

// seedResult is what the seeder and the load said.
type seedResult struct {
	summary  []string // the seeder's summary lines
	rows     int
	duration time.Duration // generating and loading, streamed together
}

// seed runs the seeder and streams its rows into the table. The seeded rows
// are the plugin's whole layout-2 state: what the plugin wrote there when the
// stack first started it on an empty store (the migration marked done, among
// others) is removed first, so a history seeded in wave 1's layout is
// migrated as an upgraded server's would be.
func seed(ctx context.Context, pg *harness.Postgres, seeder string, req seedRequest) (seedResult, error) {
	start := time.Now()
	if !pluginIDPattern.MatchString(req.pluginID) {
		return seedResult{}, fmt.Errorf("plugin id %q is not one", req.pluginID)
	}
	// v1/upd too: the first start converted the empty Security Updates,
	// leaving v1/upd's moved marker, and every seed writes v1/upd.
	if _, err := pg.Query(ctx, "DELETE FROM pluginkeyvaluestore WHERE pluginid = '"+req.pluginID+"' AND (pkey LIKE 'v2/%' OR pkey = 'v1/upd')"); err != nil {
		return seedResult{}, err
	}
	cmd := exec.CommandContext(ctx, seeder,
		"-reports", strconv.Itoa(req.reports),
		"-plugin-id", req.pluginID,
		"-reporters", strings.Join(req.reporters, ","),
		"-triagers", strings.Join(req.triagers, ","),
		"-triage-channel", req.triageChannelID,
		"-page-size", strconv.Itoa(req.pageSize),
		"-layout", strconv.Itoa(req.layout))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	rows, err := cmd.StdoutPipe()
	if err != nil {
		return seedResult{}, err
	}
	if err := cmd.Start(); err != nil {
		return seedResult{}, err
	}
	answer, copyErr := pg.CopyFrom(ctx, copyStatement, rows)
	// Whatever psql did, drain the pipe so the seeder can finish and say why
	// it failed, if it did.
	_, _ = io.Copy(io.Discard, rows)
	seedErr := cmd.Wait()
	if seedErr != nil {
		return seedResult{}, fmt.Errorf("the seeder failed: %w: %s", seedErr, strings.TrimSpace(stderr.String()))
	}
	if copyErr != nil {
		return seedResult{}, copyErr
	}
	n, err := strconv.Atoi(strings.TrimPrefix(answer, "COPY "))
	if err != nil {
		return seedResult{}, fmt.Errorf("psql answered %q to the COPY", answer)
	}
	if _, err := pg.Query(ctx, "ANALYZE pluginkeyvaluestore"); err != nil {
		return seedResult{}, err
	}
	return seedResult{summary: strings.Split(strings.TrimSpace(stderr.String()), "\n"), rows: n, duration: time.Since(start)}, nil
}
