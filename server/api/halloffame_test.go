package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// countingKV counts reads by key, to show what a request costs.
type countingKV struct {
	*pluginapi.MemoryStore
	mu    sync.Mutex
	gets  map[string]int
	total int
}

func (c *countingKV) Get(key string, out any) error {
	c.mu.Lock()
	c.gets[key]++
	c.total++
	c.mu.Unlock()
	return c.MemoryStore.Get(key, out)
}

func (c *countingKV) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := c.gets
	c.gets = map[string]int{}
	return seen
}

type hallHarness struct {
	router     *Router
	svc        *servicetest.Env
	store      *store.Store
	kv         *countingKV
	signer     *signing.Signer
	settings   PublicSettings
	now        time.Time
	dialogs    []model.Dialog
	ephemerals []string
}

func newHallHarness(t *testing.T) *hallHarness {
	t.Helper()
	h := &hallHarness{
		kv:  &countingKV{MemoryStore: &pluginapi.MemoryStore{}, gets: map[string]int{}},
		now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		settings: PublicSettings{
			SiteURL: "https://chat.example.com/", PluginPath: "/plugins/x", HallOfFame: true,
			PreferredLanguages: []string{"en", "de"}, Policy: "policy",
		},
	}
	changes := &PublicChanges{}
	clock := func() time.Time { return h.now }
	signer, err := signing.New(bytes.Repeat([]byte{7}, signing.KeySize), clock)
	require.NoError(t, err)
	h.signer = signer
	h.svc = servicetest.New(servicetest.Options{
		KV:        changes.WatchKV(h.kv),
		Directory: servicetest.Directory{"triager": true, "admin": true},
		Intake:    servicetest.Fixed(config.Intake{Products: config.Defaults().Intake.Products, MaxReportsPerDay: 50}),
		Now:       clock,
	})
	h.store = h.svc.Store
	h.router = NewRouter(withServices(h.svc, Deps{
		Log:    servicetest.Logger{},
		Signer: signer,
		OpenDialog: func(_, _ string, d model.Dialog) error {
			h.dialogs = append(h.dialogs, d)
			return nil
		},
		Ephemeral: func(_, _, message string) { h.ephemerals = append(h.ephemerals, message) },
		PluginURL: "/plugins/x",
		Public:    h.settings,
		Now:       clock,
		Changes:   changes,
	}))
	return h
}

// credit files and discloses a report by user, credited under name.
func (h *hallHarness) credit(t *testing.T, user, name, affiliation string) {
	t.Helper()
	f := service.Filing{Report: report.Report{
		Title: "XSS", Product: "Server", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		TestedOn: report.TestedOnOwnInstallation, Description: "d", Steps: "s", Impact: "i", WantsCredit: true,
	}, Credit: report.CreditProfile{DisplayName: name, Affiliation: affiliation}}
	r, errs, err := h.svc.Intake.File(user, f)
	require.NoError(t, err)
	require.Empty(t, errs)
	for _, a := range []service.Action{
		{Action: report.ActionTake},
		{Action: report.ActionConfirm},
		{Action: report.ActionFix, Input: report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1"}}}},
		{Action: report.ActionDisclose},
	} {
		a.ActorID, a.ReportID = "triager", r.ID
		_, err := h.svc.Triage.Act(a)
		require.NoError(t, err, a.Action)
	}
	h.now = h.now.Add(24 * time.Hour) // the next one a day later
}

// get serves a request under h.settings: a test that changes them stands for
// an admin saving them, a configuration change.
func (h *hallHarness) get(t *testing.T, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	h.router.SetPublicSettings(h.settings)
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, r)
	return w
}

func (h *hallHarness) send(t *testing.T, method, path, userID, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	if userID != "" {
		r.Header.Set("Mattermost-User-ID", userID)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, r)
	return w
}

func decodeHall(t *testing.T, w *httptest.ResponseRecorder) []map[string]any {
	t.Helper()
	var body struct {
		Entries []map[string]any `json:"entries"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), w.Body.String())
	return body.Entries
}

func TestHallOfFameRoutesAnswer404WhenTurnedOff(t *testing.T) {
	h := newHallHarness(t)
	h.credit(t, "alice", "Alice", "")
	h.settings.HallOfFame = false
	for _, path := range []string{"/hall-of-fame", "/api/v1/hall-of-fame"} {
		w := h.get(t, path)
		assert.Equal(t, http.StatusNotFound, w.Code, path)
		assert.NotContains(t, w.Body.String(), "Alice", path)
	}
	h.settings.HallOfFame = true
	assert.Equal(t, http.StatusOK, h.get(t, "/hall-of-fame").Code)
}

func TestHallOfFamePageIsStrictCachedAndRevalidated(t *testing.T) {
	h := newHallHarness(t)
	h.credit(t, "alice", "Alice", "from Example")

	w := h.get(t, "/hall-of-fame")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, pageCSP, w.Header().Get("Content-Security-Policy"))
	assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"), "an opt-out must show at once")
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	etag := w.Header().Get("ETag")
	require.NotEmpty(t, etag)
	body := w.Body.String()
	assert.Contains(t, body, `<html lang="en">`)
	assert.Contains(t, body, "<h1>Hall of Fame</h1>")
	assert.Contains(t, body, `<ol class="hall-of-fame">`)
	assert.Contains(t, body, "<li><bdi>Alice</bdi> <bdi>from Example</bdi></li>")
	assert.NotContains(t, body, "<script", "the page runs no script")

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		w = h.get(t, "/hall-of-fame", "If-None-Match", inm)
		assert.Equal(t, http.StatusNotModified, w.Code, inm)
		assert.Empty(t, w.Body.String())
		assert.Equal(t, etag, w.Header().Get("ETag"))
		assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"))
	}

	// A change gives a new ETag; the old one no longer matches.
	h.credit(t, "bob", "Bob", "")
	w = h.get(t, "/hall-of-fame", "If-None-Match", etag)
	require.Equal(t, http.StatusOK, w.Code)
	assert.NotEqual(t, etag, w.Header().Get("ETag"))
	assert.Regexp(t, `(?s)<li><bdi>Bob</bdi></li>.*<li><bdi>Alice</bdi>`, w.Body.String(), "the more recent contribution first")

	// The JSON has its own ETag and answers 304 the same way.
	j := h.get(t, "/api/v1/hall-of-fame")
	require.Equal(t, http.StatusOK, j.Code)
	assert.Equal(t, "no-cache", j.Header().Get("Cache-Control"))
	assert.Equal(t, http.StatusNotModified, h.get(t, "/api/v1/hall-of-fame", "If-None-Match", j.Header().Get("ETag")).Code)
}

// Serving a list rendered earlier costs nothing within the check interval and
// one read of the small revision key after it; a change is rendered once,
// whatever the number of requests.
func TestHallOfFameRequestsReadOnlyTheRevision(t *testing.T) {
	h := newHallHarness(t)
	h.credit(t, "alice", "Alice", "")
	require.Equal(t, http.StatusOK, h.get(t, "/hall-of-fame").Code)

	h.kv.reset()
	for i := 0; i < 5; i++ {
		require.Equal(t, http.StatusOK, h.get(t, "/hall-of-fame").Code)
		require.Equal(t, http.StatusOK, h.get(t, "/api/v1/hall-of-fame").Code)
	}
	assert.Empty(t, h.kv.reset(), "served from memory within the interval")
	h.now = h.now.Add(revisionCheckInterval)
	for i := 0; i < 5; i++ {
		require.Equal(t, http.StatusOK, h.get(t, "/hall-of-fame").Code)
		require.Equal(t, http.StatusOK, h.get(t, "/api/v1/hall-of-fame").Code)
	}
	assert.Equal(t, map[string]int{"v1/hofrev": 1}, h.kv.reset(), "one revision read per interval, nothing else")

	// Another server (same KV, its own store and router) changes the list:
	// this one serves the change once its interval has passed.
	other := servicetest.New(servicetest.Options{KV: h.kv, Now: func() time.Time { return h.now }})
	_, err := other.HallOfFame.Import("admin", []halloffame.ImportedEntry{{Name: "Bob", Contributions: 1}})
	require.NoError(t, err)
	h.kv.reset()
	assert.Len(t, decodeHall(t, h.get(t, "/api/v1/hall-of-fame")), 1, "within the interval")
	h.now = h.now.Add(revisionCheckInterval)
	w := h.get(t, "/api/v1/hall-of-fame")
	assert.Len(t, decodeHall(t, w), 2)
	gets := h.kv.reset()
	assert.Equal(t, 1, gets["v1/hof"], "the aggregate is read once to render the change")
	for key := range gets {
		assert.NotContains(t, key, "v1/r/", "no report is read to serve the list")
	}
}

// A revision key left behind (a crash between the record and the key) or
// damaged is repaired by the next load, and the list is served meanwhile.
func TestHallOfFameRepairsItsRevisionKey(t *testing.T) {
	for _, damage := range []any{[]byte("garbage"), nil} {
		h := newHallHarness(t)
		h.credit(t, "alice", "Alice", "")
		_, err := h.kv.Set("v1/hofrev", damage)
		require.NoError(t, err)

		w := h.get(t, "/api/v1/hall-of-fame")
		require.Equal(t, http.StatusOK, w.Code)
		assert.Len(t, decodeHall(t, w), 1)
		rev, err := h.svc.HallOfFame.Revision()
		require.NoError(t, err)
		stored, err := h.store.HallOfFame()
		require.NoError(t, err)
		assert.Equal(t, stored.Rev, rev, "the revision key is repaired")
	}
}

// Names with bidi overrides are refused when given (report.CheckLine); the
// page still isolates each name (<bdi>) for those saved before that.
func TestHallOfFameEscapesNames(t *testing.T) {
	names := []struct {
		name, affiliation string
		html              []string // what the page must contain
	}{
		{"<script>alert(1)</script>", "", []string{"<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>"}},
		{`Tom "Quotes" O'Neil`, `from "Q" & A`, []string{"<bdi>Tom &#34;Quotes&#34; O&#39;Neil</bdi> <bdi>from &#34;Q&#34; &amp; A</bdi>"}},
		{"AT&T <b>bold</b>", "", []string{"<bdi>AT&amp;T &lt;b&gt;bold&lt;/b&gt;</bdi>"}},
		{"محمد رضوی", "من تیم امنیتی", []string{"<bdi>محمد رضوی</bdi> <bdi>من تیم امنیتی</bdi>"}},
		{`<img src=x onerror="document.title='x'">`, "", []string{"<bdi>&lt;img src=x onerror=&#34;document.title=&#39;x&#39;&#34;&gt;</bdi>"}},
	}
	h := newHallHarness(t)
	for i, n := range names {
		h.credit(t, "user"+string(rune('a'+i)), n.name, n.affiliation)
	}
	page := h.get(t, "/hall-of-fame").Body.String()
	for _, n := range names {
		for _, want := range n.html {
			assert.Contains(t, page, want)
		}
	}
	assert.NotContains(t, page, "<script>alert")
	assert.NotContains(t, page, "<img")
	assert.NotContains(t, page, "<b>")

	// The JSON carries the names exactly, as JSON strings.
	entries := decodeHall(t, h.get(t, "/api/v1/hall-of-fame"))
	var got []string
	for _, e := range entries {
		got = append(got, e["name"].(string))
	}
	for _, n := range names {
		assert.Contains(t, got, n.name)
	}
}

func TestHallOfFameJSONHasNoIDs(t *testing.T) {
	h := newHallHarness(t)
	h.credit(t, "alice-user-id", "Alice", "of Example")
	h.credit(t, "alice-user-id", "Alice", "of Example")
	w := h.get(t, "/api/v1/hall-of-fame")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	entries := decodeHall(t, w)
	require.Len(t, entries, 1)
	assert.Equal(t, map[string]any{
		"position": 1.0, "name": "Alice", "affiliation": "of Example", "contributions": 2.0,
		"latest_contribution": "2026-03-03", "credit": "Alice of Example (2 contributions)",
	}, entries[0])
	assert.NotContains(t, w.Body.String(), "alice-user-id")
	assert.NotContains(t, w.Body.String(), "SEC-")

	// An empty list is an empty array, not null.
	empty := newHallHarness(t)
	assert.JSONEq(t, `{"entries": [], "page": 1, "pages": 1}`, empty.get(t, "/api/v1/hall-of-fame").Body.String())
}

// A program credits names over the years: the Hall of Fame is paged, so a
// request costs a page, and positions run on across pages.
func TestHallOfFameIsPaged(t *testing.T) {
	h := newHallHarness(t)
	const names = 2*namesPerPage + 5
	for i := range names {
		h.credit(t, fmt.Sprintf("user-%d", i), fmt.Sprintf("Researcher %03d", i), "")
	}
	type page struct {
		Entries  []map[string]any `json:"entries"`
		Page     int              `json:"page"`
		Pages    int              `json:"pages"`
		Next     string           `json:"next"`
		Previous string           `json:"previous"`
	}
	read := func(path string) page {
		w := h.get(t, path)
		require.Equal(t, http.StatusOK, w.Code, path)
		var p page
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &p))
		return p
	}
	const base = "https://chat.example.com/plugins/x/api/v1/hall-of-fame"
	first := read("/api/v1/hall-of-fame")
	assert.Len(t, first.Entries, namesPerPage)
	assert.Equal(t, 1.0, first.Entries[0]["position"])
	assert.Equal(t, page{Page: 1, Pages: 3, Next: base + "?page=2"}, page{Page: first.Page, Pages: first.Pages, Next: first.Next, Previous: first.Previous})
	last := read("/api/v1/hall-of-fame?page=3")
	assert.Len(t, last.Entries, 5)
	assert.Equal(t, float64(2*namesPerPage+1), last.Entries[0]["position"], "positions run on")
	assert.Equal(t, base+"?page=2", last.Previous)
	assert.Empty(t, last.Next)

	html := h.get(t, "/hall-of-fame?page=2").Body.String()
	assert.Contains(t, html, fmt.Sprintf(`<ol class="hall-of-fame" start="%d">`, namesPerPage+1))
	assert.Contains(t, html, `<a rel="prev" href="hall-of-fame">Previous names</a> · Page 2 of 3 · <a rel="next" href="hall-of-fame?page=3">More names</a>`)

	assert.Equal(t, http.StatusNotFound, h.get(t, "/hall-of-fame?page=4").Code)
	assert.Equal(t, http.StatusBadRequest, h.get(t, "/api/v1/hall-of-fame?page=0").Code)
}

func publishedCSV(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../halloffame/testdata/hall-of-fame-2026.csv")
	require.NoError(t, err)
	return data
}

func TestImportRoute(t *testing.T) {
	h := newHallHarness(t)
	csv := publishedCSV(t)

	tests := []struct {
		name, user, contentType string
		body                    []byte
		status                  int
		want                    string
	}{
		{"anonymous", "", "text/csv", csv, http.StatusUnauthorized, "not_authenticated"},
		{"not an admin", "triager", "text/csv", csv, http.StatusForbidden, "Only system admins"},
		{"unknown type", "admin", "application/xml", csv, http.StatusUnsupportedMediaType, "text/csv or application/json"},
		{"bad csv", "admin", "text/csv", []byte("name,contributions\nA,zero\n"), http.StatusBadRequest, "Line 2: contributions"},
		{"bad json", "admin", "application/json", []byte(`{"name": "A"}`), http.StatusBadRequest, "array"},
		{"too large", "admin", "text/csv", bytes.Repeat([]byte("x"), maxBodyBytes+1), http.StatusRequestEntityTooLarge, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.send(t, http.MethodPost, "/api/v1/hall-of-fame/import", tt.user, tt.contentType, tt.body)
			assert.Equal(t, tt.status, w.Code, w.Body.String())
			assert.Contains(t, w.Body.String(), tt.want)
		})
	}
	assert.Empty(t, decodeHall(t, h.get(t, "/api/v1/hall-of-fame")), "nothing refused was imported")

	w := h.send(t, http.MethodPost, "/api/v1/hall-of-fame/import", "admin", "text/csv; charset=utf-8", csv)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.JSONEq(t, `{"imported": 17, "dropped_links": []}`, w.Body.String())
	entries := decodeHall(t, h.get(t, "/api/v1/hall-of-fame"))
	require.Len(t, entries, 17)
	assert.Equal(t, "Andreas Lindh (11 contributions)", entries[0]["credit"])
	assert.Equal(t, "2025-06-01", entries[0]["latest_contribution"])
	assert.Equal(t, "Yoni Ramon from Tesla security team (7 contributions)", entries[1]["credit"])

	// A JSON import replaces it.
	w = h.send(t, http.MethodPost, "/api/v1/hall-of-fame/import", "admin", "application/json",
		[]byte(`[{"name": "Solo", "affiliation": "of One", "contributions": 1}]`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	entries = decodeHall(t, h.get(t, "/api/v1/hall-of-fame"))
	require.Len(t, entries, 1)
	assert.Equal(t, "Solo of One", entries[0]["credit"])
	assert.Equal(t, "", entries[0]["latest_contribution"], "no date given, none shown")
}

func TestImportDialogSubmission(t *testing.T) {
	h := newHallHarness(t)
	submit := func(user, kind, csv string) *httptest.ResponseRecorder {
		state := h.signer.Sign(signing.Claims{UserID: user, Kind: kind}, time.Hour)
		body, err := json.Marshal(model.SubmitDialogRequest{UserId: user, ChannelId: "c1", State: state, Submission: map[string]any{dialog.FieldHallCSV: csv}})
		require.NoError(t, err)
		return h.send(t, http.MethodPost, routes.HallImportDialog, user, "application/json", body)
	}
	csv := string(publishedCSV(t))

	resp := dialogResponse(t, submit("triager", dialog.KindHallImport, csv))
	assert.Contains(t, resp.Error, "Only system admins")
	resp = dialogResponse(t, submit("admin", dialog.KindCredit, csv))
	assert.Contains(t, resp.Error, "expired", "a state signed for another dialog is refused")
	resp = dialogResponse(t, submit("admin", dialog.KindHallImport, "name,contributions\nA,1\na,2\n"))
	assert.Contains(t, resp.Errors[dialog.FieldHallCSV], `Line 3: "a" is listed twice`)
	assert.Empty(t, decodeHall(t, h.get(t, "/api/v1/hall-of-fame")))

	w := submit("admin", dialog.KindHallImport, csv)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, dialogResponse(t, w).Error)
	require.Len(t, h.ephemerals, 1)
	assert.Contains(t, h.ephemerals[0], "Imported 17 Hall of Fame entries")
	assert.Len(t, decodeHall(t, h.get(t, "/api/v1/hall-of-fame")), 17)
}

// parseSecurityTxt reads fields the way RFC 9116 section 2.2 lays them out.
func parseSecurityTxt(t *testing.T, text string) map[string][]string {
	t.Helper()
	fields := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		require.True(t, ok, "not a field line: %q", line)
		fields[strings.ToLower(name)] = append(fields[strings.ToLower(name)], value)
	}
	return fields
}

func testPublicKey(t *testing.T) string {
	t.Helper()
	entity, err := openpgp.NewEntity("Security Team", "", "security@example.com", nil)
	require.NoError(t, err)
	var pub bytes.Buffer
	w, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	require.NoError(t, err)
	require.NoError(t, entity.Serialize(w))
	require.NoError(t, w.Close())
	return pub.String()
}

func TestSecurityTxt(t *testing.T) {
	h := newHallHarness(t)
	key := testPublicKey(t)
	h.settings.PGPKey = key
	h.settings.ContactEmail = "security@example.com"
	h.settings.Canonical = []string{"https://chat.example.com/.well-known/security.txt"}

	w := h.get(t, "/security.txt")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
	fields := parseSecurityTxt(t, w.Body.String())
	assert.Equal(t, []string{"https://chat.example.com/", "mailto:security@example.com"}, fields["contact"])
	require.Len(t, fields["expires"], 1)
	expires, err := time.Parse(time.RFC3339, fields["expires"][0])
	require.NoError(t, err)
	assert.True(t, expires.After(h.now.Add(29*24*time.Hour)) && expires.Before(h.now.AddDate(1, 0, 0)), "Expires %s lies within the next year", expires)
	assert.Equal(t, []string{"https://chat.example.com/plugins/x/pgp-key.txt"}, fields["encryption"])
	assert.Equal(t, []string{"https://chat.example.com/plugins/x/hall-of-fame"}, fields["acknowledgments"])
	assert.Equal(t, []string{"https://chat.example.com/plugins/x/policy"}, fields["policy"])
	assert.Equal(t, []string{"en, de"}, fields["preferred-languages"])
	assert.Equal(t, []string{"https://chat.example.com/.well-known/security.txt"}, fields["canonical"])

	// It renews itself: a later request gives a later Expires.
	h.now = h.now.AddDate(0, 6, 0)
	later := parseSecurityTxt(t, h.get(t, "/security.txt").Body.String())
	laterExpires, err := time.Parse(time.RFC3339, later["expires"][0])
	require.NoError(t, err)
	assert.True(t, laterExpires.After(h.now))

	// The key route serves the configured key.
	k := h.get(t, "/pgp-key.txt")
	require.Equal(t, http.StatusOK, k.Code)
	assert.Equal(t, "text/plain; charset=utf-8", k.Header().Get("Content-Type"))
	assert.Equal(t, strings.TrimSpace(key), strings.TrimSpace(k.Body.String()))

	// Without a key, no Encryption and no key route; without the Hall of
	// Fame, no Acknowledgments.
	h.settings.PGPKey = ""
	h.settings.HallOfFame = false
	fields = parseSecurityTxt(t, h.get(t, "/security.txt").Body.String())
	assert.NotContains(t, fields, "encryption")
	assert.NotContains(t, fields, "acknowledgments")
	assert.Equal(t, http.StatusNotFound, h.get(t, "/pgp-key.txt").Code)

	// A pasted private key would never be saved; were one there, it is not served.
	h.settings.PGPKey = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxyz\n-----END PGP PRIVATE KEY BLOCK-----"
	assert.Equal(t, http.StatusNotFound, h.get(t, "/pgp-key.txt").Code)

	// No site URL and no email: no contact to give, so no file.
	h.settings.SiteURL, h.settings.ContactEmail = "", ""
	assert.Equal(t, http.StatusNotFound, h.get(t, "/security.txt").Code)
	h.settings.ContactEmail = "security@example.com"
	fields = parseSecurityTxt(t, h.get(t, "/security.txt").Body.String())
	assert.Equal(t, []string{"mailto:security@example.com"}, fields["contact"])
	assert.NotContains(t, fields, "policy", "no site URL, no absolute link")
}
