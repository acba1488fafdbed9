package tests

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// The webapp in a real browser. The Mattermost web client cannot run here, so
// webapp/browser/host.tsx stands in for it: the globals the web client gives
// plugins, a real mattermost-redux store, the real @mattermost/client
// websocket, a cookie session with CSRF, and a minimal plugin registry. Headless
// Chromium (driven by webapp/browser/check.mjs with playwright-core) opens it
// as a triager and as a researcher, through a proxy that serves the page from
// the server's own origin; this scenario files the report they watch.
//
// E2E_CHROMIUM overrides Debian's chromium (see chromiumFind).
// E2E_UPDATE_SCREENSHOTS=1 also copies the screenshots to docs/screenshots for
// the README.

// browserScreenshots are the pictures the README shows.
var browserScreenshots = []string{"sidebar-queue.png", "sidebar-detail.png", "sidebar-researcher.png", "sidebar-researcher-dark.png", "hall-of-fame.png"}

type browserDone struct {
	Key    string `json:"key"`
	Before struct {
		TriagerRows    int `json:"triagerRows"`
		ResearcherRows int `json:"researcherRows"`
	} `json:"before"`
	TriagerLoads    int `json:"triagerLoads"`
	ResearcherLoads int `json:"researcherLoads"`
	PluginEvents    struct {
		Triager    int `json:"triager"`
		Researcher int `json:"researcher"`
	} `json:"pluginEvents"`
	HallOfFame int `json:"hallOfFame"`
}

func TestWebappSidebarInBrowser(t *testing.T) {
	chromium := os.Getenv("E2E_CHROMIUM")
	if chromium == "" {
		chromium = chromiumFind(t)
	}
	node, err := exec.LookPath("node")
	require.NoError(t, err, "the browser check runs with Node")
	repo, err := harness.RepoRoot()
	require.NoError(t, err)
	webapp := filepath.Join(repo, "webapp")
	_, err = os.Stat(filepath.Join(webapp, "node_modules", "playwright-core"))
	require.NoError(t, err, "webapp/node_modules has no playwright-core: run `npm ci` in webapp/ (make webapp does)")

	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()

	// The host page, built from webapp/browser (never part of the bundle).
	build := exec.CommandContext(ctx, "npm", "run", "--silent", "build:browser-check")
	build.Dir = webapp
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the browser check's page:\n%s", out)

	requireServedBundleIsBuilt(ctx, t)

	page, err := harness.StartSameOrigin(env.MM.URL, map[string][]string{
		"/_rdcheck/": {filepath.Join(webapp, "browser"), filepath.Join(webapp, "browser", "dist")},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = page.Close() })

	shots := filepath.Join(filepath.Dir(env.MM.LogPath), "browser")
	triager, researcher := env.User("triager"), env.User("researcher2")

	// Another researcher's report, open before the pages load: the triager
	// sees it, researcher2 must not.
	otherTag := uniqueTag("Other")
	other := fileReport(t, env.User("researcher"), with(reportForm(otherTag), map[string]any{
		"title": "Open redirect after login " + otherTag, "estimate": "medium", "product": "Webapp",
	}))
	cmd := exec.CommandContext(ctx, node, filepath.Join("browser", "check.mjs"))
	cmd.Dir = webapp
	cmd.Env = append(os.Environ(),
		"RD_BASE_URL="+page.URL,
		"RD_PLUGIN_ID="+env.Bundle.ID,
		"RD_TEAM="+env.Team.Name,
		"RD_TRIAGER="+triager.Username, "RD_TRIAGER_PASSWORD="+triager.Password,
		"RD_RESEARCHER="+researcher.Username, "RD_RESEARCHER_PASSWORD="+researcher.Password,
		"RD_OTHER_KEY="+other.key,
		"RD_SCREENSHOTS="+shots,
		"RD_CHROMIUM="+chromium,
		"RD_STEP_TIMEOUT_MS="+strconv.Itoa(int(wait/time.Millisecond)),
	)
	// Node and the Chromium it starts share a process group, stopped together.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	started := time.Now()
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
	})

	var filed struct{ key, title, tag string }
	var done *browserDone
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() {
		line := scanner.Text()
		msg, ok := strings.CutPrefix(line, "RDCHECK ")
		if !ok {
			t.Log(line)
			continue
		}
		var m struct {
			Need string       `json:"need"`
			Done *browserDone `json:"done"`
		}
		require.NoError(t, json.Unmarshal([]byte(msg), &m), "the browser check said %q", line)
		switch {
		case m.Need == "report":
			// Filed through the real dialog while both pages are open.
			filed.tag = uniqueTag("Browser")
			form := reportForm(filed.tag)
			filed.title = form["title"].(string)
			filed.key = fileReport(t, researcher, form).key
			answer, _ := json.Marshal(map[string]string{"key": filed.key, "title": filed.title, "credit": form["display_name"].(string)})
			_, err := fmt.Fprintf(stdin, "%s\n", answer)
			require.NoError(t, err)
		case m.Done != nil:
			done = m.Done
		default:
			t.Fatalf("the browser check said %q", line)
		}
	}
	waitErr := cmd.Wait()
	if stderr.Len() > 0 {
		t.Log(stderr.String())
	}
	require.NoError(t, waitErr, "the browser check failed (screenshots in %s)", shots)
	require.NotNil(t, done, "the browser check ended without its result")
	t.Logf("browser check passed in %s; screenshots in %s", time.Since(started).Round(time.Second), shots)

	// What the browser showed is what the server holds: the triager worked
	// the report from the sidebar, through the REST API.
	require.Equal(t, filed.key, done.Key)
	require.Equal(t, 1, done.TriagerLoads, "the triager's page never reloads")
	require.Equal(t, 1, done.ResearcherLoads, "the researcher's page never reloads")
	id, err := strconv.Atoi(strings.TrimPrefix(filed.key, "SEC-"))
	require.NoError(t, err)
	status, body, err := triager.PluginRequest(ctx, http.MethodGet, env.Bundle.ID, "/api/v1/reports/"+strconv.Itoa(id), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, "%s", body)
	var view struct {
		Status   string `json:"status"`
		Assignee string `json:"assignee_id"`
		Timeline []struct {
			Action string `json:"action"`
			Actor  string `json:"actor_id"`
			Note   string `json:"note"`
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal(body, &view))
	require.Equal(t, "disclosed", view.Status)
	require.Equal(t, triager.Id, view.Assignee)
	var acted []string
	question := ""
	for _, e := range view.Timeline {
		if e.Actor == triager.Id {
			acted = append(acted, e.Action)
		}
		if e.Action == "ask" {
			question = e.Note
		}
	}
	require.Equal(t, []string{"take", "ask", "take", "confirm", "fix", "disclose"}, acted, "the triager's actions from the sidebar")
	require.Equal(t, "Which browser showed it? "+filed.key, question)

	for _, name := range browserScreenshots {
		if name == "hall-of-fame.png" && done.HallOfFame == 0 {
			continue
		}
		_, err := os.Stat(filepath.Join(shots, name))
		require.NoError(t, err, "screenshot %s", name)
	}
	if os.Getenv("E2E_UPDATE_SCREENSHOTS") == "1" {
		copyScreenshots(t, shots, filepath.Join(repo, "docs", "screenshots"))
	}
}

// requireServedBundleIsBuilt checks that the bundle the server hands browsers
// (the web client loads it from the path /api/v4/plugins/webapp lists) is the
// webapp/dist/main.js of the installed tarball: the page tests the build.
func requireServedBundleIsBuilt(ctx context.Context, t *testing.T) {
	t.Helper()
	manifests, _, err := env.Admin.Client.GetWebappPlugins(ctx)
	require.NoError(t, err)
	path := ""
	for _, m := range manifests {
		if m.Id == env.Bundle.ID && m.Webapp != nil {
			path = m.Webapp.BundlePath
		}
	}
	require.NotEmpty(t, path, "the server lists no webapp bundle for %s", env.Bundle.ID)
	// The server lists /static/<id>/…; the web client loads it from
	// /static/plugins/<id>/…, where the server serves plugin bundles.
	if !strings.Contains(path, "/static/plugins/") {
		path = strings.Replace(path, "/static/", "/static/plugins/", 1)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, env.MM.URL+path, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	served, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s: %s", path, served)
	built, err := bundleFile(env.Bundle.Path, env.Bundle.ID+"/webapp/dist/main.js")
	require.NoError(t, err)
	require.True(t, bytes.Equal(built, served), "the server serves %s (%d bytes), not the bundle's main.js (%d bytes)", path, len(served), len(built))
}

// bundleFile reads one file of a .tar.gz bundle.
func bundleFile(bundle, name string) ([]byte, error) {
	f, err := os.Open(bundle)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s has no %s", bundle, name)
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimPrefix(h.Name, "./") == name {
			return io.ReadAll(tr)
		}
	}
}

func copyScreenshots(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(to, 0o755))
	for _, name := range browserScreenshots {
		data, err := os.ReadFile(filepath.Join(from, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(to, name), data, 0o644))
		t.Logf("updated %s", filepath.Join(to, name))
	}
}
