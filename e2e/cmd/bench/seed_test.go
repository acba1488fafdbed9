package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gitRepo makes a repository with one commit holding files, and returns it
// with the commit's id.
func gitRepo(t *testing.T, files map[string]string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "."},
		{"-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "one"},
	} {
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	rev, err := execOutput(dir, "git", "rev-parse", "HEAD")
	require.NoError(t, err)
	return dir, rev
}

func TestExportRevisionWritesThatTree(t *testing.T) {
	repo, rev := gitRepo(t, map[string]string{"go.mod": "module example\n", "server/store/store.go": "package store\n"})
	// A change after the commit is not part of the revision.
	require.NoError(t, os.WriteFile(filepath.Join(repo, "go.mod"), []byte("changed\n"), 0o644))

	dst := filepath.Join(t.TempDir(), "rev")
	require.NoError(t, exportRevision(context.Background(), repo, rev, dst))
	data, err := os.ReadFile(filepath.Join(dst, "go.mod"))
	require.NoError(t, err)
	assert.Equal(t, "module example\n", string(data))
	assert.FileExists(t, filepath.Join(dst, "server", "store", "store.go"))

	worktrees, err := execOutput(repo, "git", "worktree", "list")
	require.NoError(t, err)
	assert.Len(t, splitLines(worktrees), 1, "no worktree is registered in the shared repository")
}

func TestExportRevisionRefusesWhatIsNotARevision(t *testing.T) {
	repo, _ := gitRepo(t, map[string]string{"a": "a"})
	for _, rev := range []string{"--output=/tmp/x", "no-such-revision"} {
		t.Run(rev, func(t *testing.T) {
			assert.Error(t, exportRevision(context.Background(), repo, rev, filepath.Join(t.TempDir(), "rev")))
		})
	}
}

func TestCopySeederSourceLeavesTestsBehind(t *testing.T) {
	from, to := t.TempDir(), filepath.Join(t.TempDir(), "build", "seed")
	for _, name := range []string{"main.go", "rows.go", "seed_test.go", "notes.txt"} {
		require.NoError(t, os.WriteFile(filepath.Join(from, name), []byte("package main\n"), 0o644))
	}
	require.NoError(t, copySeederSource(from, to))
	entries, err := os.ReadDir(to)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"main.go", "rows.go"}, names)
}

func splitLines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }
