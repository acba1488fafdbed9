package harness

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestRequiredVersion(t *testing.T) {
	goMod := filepath.Join(t.TempDir(), "go.mod")
	content := `module example.com/x

go 1.26

require example.com/single v1.2.3

require (
	github.com/mattermost/mattermost/server/public v0.1.22-0.20260113165922-8e4cadbc88ee
	github.com/mattermost/mattermost/server/v8 v8.0.0-20260113162330-9e1d4c2072c0
	example.com/indirect v0.0.1 // indirect
)
`
	if err := os.WriteFile(goMod, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		module, want string
		wantErr      bool
	}{
		{ServerModule, "v8.0.0-20260113162330-9e1d4c2072c0", false},
		{"example.com/single", "v1.2.3", false},
		{"example.com/indirect", "v0.0.1", false},
		{"github.com/mattermost/mattermost/server", "", true},
	}
	for _, tt := range tests {
		got, err := requiredVersion(goMod, tt.module)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("requiredVersion(%s) = %q, %v; want %q (error: %v)", tt.module, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestEventually(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name     string
		cond     func(calls int) (bool, error)
		cancel   bool
		wantErr  string // empty: success
		maxCalls int
	}{
		{"succeeds on the third try", func(c int) (bool, error) { return c >= 3, nil }, false, "", 3},
		{"times out with the last error", func(int) (bool, error) { return false, boom }, false, "timed out after 200ms waiting for thing (last error: boom)", 0},
		{"stops at a permanent error", func(int) (bool, error) { return false, Permanent(boom) }, false, "waiting for thing: boom", 1},
		{"stops when the caller cancels", func(int) (bool, error) { return false, nil }, true, "context canceled", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				time.AfterFunc(50*time.Millisecond, cancel)
			}
			calls := 0
			start := time.Now()
			err := Eventually(ctx, 200*time.Millisecond, 10*time.Millisecond, "thing", func(context.Context) (bool, error) {
				calls++
				return tt.cond(calls)
			})
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Fatalf("Eventually took %s, past its bound", elapsed)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
			}
			if tt.maxCalls > 0 && calls != tt.maxCalls {
				t.Errorf("cond called %d times, want %d", calls, tt.maxCalls)
			}
		})
	}
}

func TestTailAndGrepFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	lines := []string{"info start", "error plugin_id=a boom", "debug x", "error plugin_id=b other", "error plugin_id=a again"}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := tailFile(path, 2), "error plugin_id=b other\nerror plugin_id=a again"; got != want {
		t.Errorf("tailFile = %q, want %q", got, want)
	}
	if got, want := grepFile(path, []string{"plugin_id=a", "error"}, 5), "error plugin_id=a boom\nerror plugin_id=a again"; got != want {
		t.Errorf("grepFile = %q, want %q", got, want)
	}
	if got := tailFile(filepath.Join(t.TempDir(), "missing"), 3); !strings.Contains(got, "cannot read") {
		t.Errorf("tailFile of a missing file = %q, want it to say so", got)
	}
}

func TestCheckPortFree(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	err = checkPortFree(port, "Mattermost", "E2E_RUN_PORT=1 make run")
	if err == nil {
		t.Fatal("a taken port was reported free")
	}
	for _, want := range []string{"127.0.0.1:" + strconv.Itoa(port), "Mattermost", "already in use", "E2E_RUN_PORT=1 make run"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	free, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if err := checkPortFree(free, "Mattermost", ""); err != nil {
		t.Errorf("a free port was reported taken: %v", err)
	}
}

// A stopped process takes its whole group with it: the grandchild a shell leaves
// behind (as plugin processes of a server are) is killed too.
func TestStopKillsTheProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild.pid")
	// The shell ignores SIGTERM, so stop must escalate to killing the group.
	cmd := exec.Command("sh", "-c", "trap '' TERM; sleep 600 & echo $! > "+pidFile+"; wait")
	p, err := startProcess("test shell", cmd, filepath.Join(dir, "log"), nil, syscall.SIGTERM)
	if err != nil {
		t.Fatal(err)
	}
	var grandchild int
	if err := Eventually(context.Background(), 5*time.Second, 20*time.Millisecond, "the grandchild's pid", func(context.Context) (bool, error) {
		data, err := os.ReadFile(pidFile)
		if err != nil || len(strings.TrimSpace(string(data))) == 0 {
			return false, err
		}
		grandchild, err = strconv.Atoi(strings.TrimSpace(string(data)))
		return err == nil, err
	}); err != nil {
		t.Fatal(err)
	}

	err = p.stop(300 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not stop within") {
		t.Errorf("stop of a process ignoring SIGTERM = %v, want a 'did not stop within' report", err)
	}
	if !p.exited() {
		t.Error("the shell is still running")
	}
	if err := Eventually(context.Background(), 5*time.Second, 20*time.Millisecond, "the grandchild to die", func(context.Context) (bool, error) {
		// The killed grandchild is reaped by init; until then it is a zombie,
		// which signal 0 still finds, so look at its state.
		data, err := os.ReadFile("/proc/" + strconv.Itoa(grandchild) + "/stat")
		return err != nil || strings.Contains(string(data), ") Z "), nil
	}); err != nil {
		t.Error(err)
	}
}

func TestHoldsFullText(t *testing.T) {
	fence := "\n```\ntext\n```"
	tests := []struct {
		name     string
		messages []string
		want     bool
	}{
		{"nothing yet", nil, false},
		{"the first post of two", []string{"**Title**" + fence + "\n\n**Description**" + fence}, false},
		{"the impact in one post", []string{"**Title**" + fence, "**Steps to reproduce**" + fence + "\n\n**Impact**" + fence}, true},
		{"the impact's first part", []string{"**Impact** (part 1 of 2)" + fence}, false},
		{"the impact's last part", []string{"**Impact** (part 1 of 2)" + fence, "**Impact** (part 2 of 2)" + fence}, true},
	}
	for _, tt := range tests {
		var ps []*model.Post
		for _, m := range tt.messages {
			ps = append(ps, &model.Post{Message: m})
		}
		if got := holdsFullText(ps); got != tt.want {
			t.Errorf("%s: holdsFullText = %v, want %v", tt.name, got, tt.want)
		}
	}
}
