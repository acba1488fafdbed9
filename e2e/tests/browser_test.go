package tests

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A real browser loads the public Hall of Fame: Debian's chromium, headless,
// with a fresh profile. --dump-dom prints the document after its scripts ran,
// so a script that ran shows in what it changed.

// chromiumFlags are the flags every run uses: headless, no sandbox (root in
// CI), and nothing that reaches the network by itself.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
}

// chromiumFind returns the browser, installing Debian's chromium with apt-get
// when it is missing and the test runs as root; it skips the test, saying why,
// only when the browser cannot be had.
func chromiumFind(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("chromium is not installed and the test does not run as root to install it: apt-get install -y chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	t.Log("chromium is missing; installing it with apt-get (a few minutes)")
	for _, args := range [][]string{{"update", "-q"}, {"install", "-y", "-q", "chromium"}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("chromium could not be installed (apt-get %s: %v):\n%s", strings.Join(args, " "), err, chromiumTail(string(out), 2000))
		}
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is still missing after apt-get install chromium")
	}
	return path
}

func chromiumTail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// chromiumDumpDOM loads url in a fresh headless chromium and returns the document as
// it stands once loaded.
func chromiumDumpDOM(t *testing.T, chromium, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(append([]string{}, chromiumFlags...), "--user-data-dir="+t.TempDir(), "--virtual-time-budget=3000", "--dump-dom", url)
	cmd := exec.CommandContext(ctx, chromium, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("chromium did not finish loading %s within 90s; stderr:\n%s", url, chromiumTail(stderr.String(), 3000))
	}
	require.NoError(t, err, "chromium on %s; stderr:\n%s", url, chromiumTail(stderr.String(), 3000))
	return string(out)
}

var (
	hofListItem = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	hofAnyTag   = regexp.MustCompile(`<[^>]*>`)
)

// hofRenderedList is the text of the page's list items, as a reader sees them.
func hofRenderedList(dom string) []string {
	start := strings.Index(dom, `<ol class="hall-of-fame">`)
	end := strings.Index(dom, "</ol>")
	if start < 0 || end < start {
		return nil
	}
	var out []string
	for _, m := range hofListItem.FindAllStringSubmatch(dom[start:end], -1) {
		out = append(out, html.UnescapeString(hofAnyTag.ReplaceAllString(m[1], "")))
	}
	return out
}

func TestHallOfFameInARealBrowser(t *testing.T) {
	chromium := chromiumFind(t)

	// Control: in this headless setup a page's own script does run, so its
	// absence below means something.
	control := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>before</title></head><body><script>document.title='script ran';document.body.setAttribute('data-pwned','1')</script></body></html>`))
	}))
	defer control.Close()
	controlDOM := chromiumDumpDOM(t, chromium, control.URL)
	require.Contains(t, controlDOM, "<title>script ran</title>", "chromium runs a page's scripts: %s", controlDOM)
	require.Contains(t, controlDOM, `data-pwned="1"`)

	// A researcher credited under names that are scripts if interpreted.
	const scriptName = `<script>document.title='pwned'</script>`
	const imgAffiliation = `<img src=x onerror="document.body.setAttribute('data-pwned','1')">`
	mallory := hofUser(t, "hof-mallory")
	r := hofFile(t, mallory, scriptName, imgAffiliation, true)
	hofAdvance(t, r, "Disclosed")
	entries, _ := hofList(t)
	require.Contains(t, hofCredits(entries, scriptName), scriptName+" "+imgAffiliation)

	dom := chromiumDumpDOM(t, chromium, hofURL("/hall-of-fame"))
	assert.Contains(t, dom, "<title>Hall of Fame</title>", "no credited name changed the title")
	assert.NotContains(t, dom, `data-pwned="1"`, "no credited name's handler ran")
	assert.NotContains(t, dom, "<script", "no script element in the document")
	assert.NotContains(t, dom, "<img", "no image element in the document")
	assert.Contains(t, dom, "&lt;script&gt;document.title='pwned'&lt;/script&gt;", "the name is shown as text")

	// The list renders in the served order, every entry as its credit line.
	// The JSON is read after the page so no scenario's change falls between.
	rendered := hofRenderedList(dom)
	entries, _ = hofList(t)
	want := make([]string, len(entries))
	for i, e := range entries {
		want[i] = e.Credit
	}
	assert.Equal(t, want, rendered, "the page lists the entries in the ranked order")
	assert.Contains(t, rendered, scriptName+" "+imgAffiliation)
}
