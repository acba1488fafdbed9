package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost/server/public/pluginapi"
)

// updatesHarness serves the public routes over a real service and store.
type updatesHarness struct {
	svc      *servicetest.Env
	router   *Router
	settings PublicSettings
}

func newUpdatesHarness(t *testing.T) *updatesHarness {
	t.Helper()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h := &updatesHarness{settings: PublicSettings{SiteURL: "https://chat.example.com", PluginPath: "/plugins/x", SecurityUpdates: true,
		OSVEcosystem: "Go", OSVPackage: "github.com/mattermost/mattermost/server/v8"}}
	changes := &PublicChanges{}
	h.svc = servicetest.New(servicetest.Options{
		KV:              changes.WatchKV(&pluginapi.MemoryStore{}),
		Directory:       servicetest.Directory{"triager": true},
		TriageChannelID: servicetest.Fixed("c"),
		Disclosure:      servicetest.Fixed(config.Disclosure{DelayDays: 30}),
		Now:             func() time.Time { return now },
	})
	signer, err := signing.New(bytes.Repeat([]byte{1}, signing.KeySize), time.Now)
	require.NoError(t, err)
	h.router = NewRouter(withServices(h.svc, Deps{Log: servicetest.Logger{}, Signer: signer,
		Public: h.settings, Now: func() time.Time { return now }, PluginURL: "/plugins/x", Changes: changes}))
	return h
}

// fixReport files a report and marks it fixed in versions; disclose says
// whether it is then disclosed.
func (h *updatesHarness) fixReport(t *testing.T, title, credit string, versions []report.FixedVersion, disclose bool) *report.Report {
	t.Helper()
	f := service.Filing{Report: report.Report{Title: "raw researcher title", Product: "Server", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		AffectedVersions: "1", TestedOn: report.TestedOnOwnInstallation, Description: "secret details", Steps: "s", Impact: "i", WantsCredit: credit != ""}}
	f.Credit.DisplayName = credit
	r, errs, err := h.svc.Intake.File("u-"+title, f)
	require.NoError(t, err)
	require.Empty(t, errs)
	for _, a := range []report.Action{report.ActionTake, report.ActionConfirm} {
		_, err := h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Action: a})
		require.NoError(t, err)
	}
	r, err = h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Action: report.ActionFix,
		Input: report.Input{FixedIn: versions, PublicTitle: title, PublicSummary: "Summary of " + title, CVEID: "CVE-2026-10001"}})
	require.NoError(t, err)
	if disclose {
		r, err = h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Action: report.ActionDisclose})
		require.NoError(t, err)
	}
	return r
}

// get serves a request under h.settings: a test that changes them stands for
// an admin saving them, a configuration change.
func (h *updatesHarness) get(path string, header ...string) *httptest.ResponseRecorder {
	h.router.SetPublicSettings(h.settings)
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, r)
	return w
}

func TestSecurityUpdatesListsDisclosedAdvisoriesByRelease(t *testing.T) {
	h := newUpdatesHarness(t)
	a := h.fixReport(t, "Advisory A", "Ada <script>alert(1)</script>", []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3", Released: "2026-02-10"}}, true)
	b := h.fixReport(t, "Advisory B", "", []report.FixedVersion{{Version: "11.10.0", Released: "2026-03-01"}}, true)
	embargoed := h.fixReport(t, "Advisory C", "Eve", []report.FixedVersion{{Version: "11.10.0", Released: "2026-03-01"}}, false)

	w := h.get(routes.SecurityUpdatesJSON)
	require.Equal(t, http.StatusOK, w.Code)
	var got updatesJSON
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
	var order []string
	for _, rel := range got.Releases {
		for _, adv := range rel.Advisories {
			order = append(order, rel.Version+":"+adv.ID)
		}
	}
	assert.Equal(t, []string{"11.10.0:" + b.AdvisoryID, "11.5.1:" + a.AdvisoryID}, order, "newest release first, each advisory once, under its newest release")
	assert.NotContains(t, w.Body.String(), embargoed.AdvisoryID, "an embargoed advisory is not listed")
	assert.NotContains(t, w.Body.String(), "raw researcher title", "only the public text")
	assert.NotContains(t, w.Body.String(), `"report"`, "no report ids")

	page := h.get(routes.SecurityUpdates)
	require.Equal(t, http.StatusOK, page.Code)
	body := page.Body.String()
	assert.Contains(t, page.Header().Get("Content-Security-Policy"), "default-src 'none'")
	assert.Equal(t, "no-cache", page.Header().Get("Cache-Control"))
	assert.Contains(t, body, `id="`+a.AdvisoryID+`"`)
	assert.Contains(t, body, "Critical (9.8)")
	assert.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.NotContains(t, body, "<script>alert(1)")
	assert.NotContains(t, body, "Advisory C")

	etag := page.Header().Get("ETag")
	require.NotEmpty(t, etag)
	assert.Equal(t, http.StatusNotModified, h.get(routes.SecurityUpdates, "If-None-Match", etag).Code)

	// A disclosure changes the page (and its ETag) at once.
	_, err := h.svc.Triage.Act(service.Action{ActorID: "triager", ReportID: embargoed.ID, Action: report.ActionDisclose})
	require.NoError(t, err)
	again := h.get(routes.SecurityUpdates, "If-None-Match", etag)
	assert.Equal(t, http.StatusOK, again.Code)
	assert.Contains(t, again.Body.String(), "Advisory C")
}

func TestNothingUndisclosedIsReachable(t *testing.T) {
	h := newUpdatesHarness(t)
	public := h.fixReport(t, "Public one", "", []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}, true)
	secret := h.fixReport(t, "Secret two", "", []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}}, false)

	for _, route := range []struct {
		of func(id string) string
		// dotSegments: a path that ends in one is cleaned by the router
		// (a redirect, whatever the route), so such guesses say nothing.
		dotSegments bool
	}{
		{func(id string) string { return "/api/v1/advisories/" + id + ".osv.json" }, false},
		{func(id string) string { return routes.SecurityUpdates + "/" + id }, true},
	} {
		unknown := h.get(route.of("MMSA-2026-999"))
		require.Equal(t, http.StatusNotFound, unknown.Code)
		for _, guess := range []string{secret.AdvisoryID, strings.ToLower(secret.AdvisoryID), "MMSA-2026-2", "MMSA-2026-0", "..", "%2e%2e", strings.Repeat("A", 200)} {
			if route.dotSegments && (guess == ".." || guess == "%2e%2e") {
				continue
			}
			w := h.get(route.of(guess))
			assert.Equal(t, unknown.Code, w.Code, guess)
			assert.Equal(t, unknown.Body.String(), w.Body.String(), "%s answers exactly like an unknown id", route.of(guess))
		}
	}
	for _, path := range []string{routes.SecurityUpdates, routes.SecurityUpdatesJSON} {
		body := h.get(path).Body.String()
		assert.NotContains(t, body, secret.AdvisoryID)
		assert.NotContains(t, body, "Secret two")
	}
	assert.Equal(t, http.StatusOK, h.get("/api/v1/advisories/"+public.AdvisoryID+".osv.json").Code)

	assert.Equal(t, http.StatusOK, h.get(routes.SecurityUpdates+"/"+public.AdvisoryID).Code)

	h.settings.SecurityUpdates = false
	for _, path := range []string{routes.SecurityUpdates, routes.SecurityUpdatesJSON, "/api/v1/advisories/" + public.AdvisoryID + ".osv.json",
		routes.SecurityUpdates + "/" + public.AdvisoryID} {
		assert.Equal(t, http.StatusNotFound, h.get(path).Code, "%s with the setting off", path)
	}
}

// The listing is compact: each advisory's summary, affected versions and
// vector are on its own page, linked from the listing (and its OSV document).
func TestAnAdvisoryHasAPageOfItsOwn(t *testing.T) {
	h := newUpdatesHarness(t)
	a := h.fixReport(t, "Advisory <b>A</b>", "Ada", []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3"}}, true)

	listing := h.get(routes.SecurityUpdates).Body.String()
	assert.Contains(t, listing, `<a href="security-updates/`+a.AdvisoryID+`">`)
	assert.NotContains(t, listing, "Summary of", "the summary is on the advisory's page")
	var list updatesJSON
	require.NoError(t, json.Unmarshal(h.get(routes.SecurityUpdatesJSON).Body.Bytes(), &list))
	listed := list.Releases[0].Advisories[0]
	assert.Equal(t, "https://chat.example.com/plugins/x/security-updates/"+a.AdvisoryID, listed.URL)

	w := h.get(routes.SecurityUpdates + "/" + strings.ToLower(a.AdvisoryID))
	require.Equal(t, http.StatusOK, w.Code)
	page := w.Body.String()
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'none'")
	assert.NotEmpty(t, w.Header().Get("ETag"))
	for _, want := range []string{
		a.AdvisoryID + ": <bdi>Advisory &lt;b&gt;A&lt;/b&gt;</bdi>", // escaped
		"Critical (9.8) <code>CVSS:3.1/",
		"CVE-2026-10001",
		"11.5.1 (released 2026-02-10), 11.4.3",
		"<p>Summary of Advisory &lt;b&gt;A&lt;/b&gt;</p>",
		`href="../security-updates"`,
		`href="../api/v1/advisories/` + a.AdvisoryID + `.osv.json"`,
	} {
		assert.Contains(t, page, want)
	}
	assert.Equal(t, http.StatusNotModified, h.get(routes.SecurityUpdates+"/"+a.AdvisoryID, "If-None-Match", w.Header().Get("ETag")).Code)
}

func TestOSVMatchesTheSchema(t *testing.T) {
	raw, err := os.ReadFile("testdata/osv.schema.json")
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("osv.schema.json", doc))
	schema, err := c.Compile("osv.schema.json")
	require.NoError(t, err)

	h := newUpdatesHarness(t)
	a := h.fixReport(t, "Advisory A", "Ada Lovelace", []report.FixedVersion{{Version: "11.5.1", Released: "2026-02-10"}, {Version: "11.4.3"}, {Version: "10.11.12"}}, true)

	for _, withPackage := range []bool{true, false} {
		if !withPackage {
			h.settings.OSVEcosystem, h.settings.OSVPackage = "", ""
		}
		w := h.get("/api/v1/advisories/" + a.AdvisoryID + ".osv.json")
		require.Equal(t, http.StatusOK, w.Code)
		instance, err := jsonschema.UnmarshalJSON(bytes.NewReader(w.Body.Bytes()))
		require.NoError(t, err)
		require.NoError(t, schema.Validate(instance), "%s", w.Body.String())

		var osv OSVDocument
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &osv))
		assert.Equal(t, a.AdvisoryID, osv.ID)
		assert.Equal(t, []string{"CVE-2026-10001"}, osv.Aliases)
		assert.Equal(t, "https://chat.example.com/plugins/x/security-updates/"+a.AdvisoryID, osv.References[0].URL)
		assert.Equal(t, []OSVCredit{{Name: "Ada Lovelace", Type: "FINDER"}}, osv.Credits)
		if !withPackage {
			assert.Empty(t, osv.Affected, "no package is guessed")
			continue
		}
		require.Len(t, osv.Affected, 1)
		assert.Equal(t, []OSVRange{
			{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "0"}, {"fixed": "10.11.12"}}},
			{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "11.4.0"}, {"fixed": "11.4.3"}}},
			{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "11.5.0"}, {"fixed": "11.5.1"}}},
		}, osv.Affected[0].Ranges)
	}

	// The schema itself catches mistakes.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"schema_version":"1.6.0","id":"MMSA-2026-1","modified":"yesterday","published":"2026-01-01T00:00:00Z","summary":"x","references":[]}`))
	assert.Error(t, schema.Validate(bad))
}

func TestSecurityTxtLinksTheSecurityUpdates(t *testing.T) {
	text, ok := SecurityTxt(PublicSettings{SiteURL: "https://chat.example.com", PluginPath: "/plugins/x", SecurityUpdates: true}, time.Now())
	require.True(t, ok)
	assert.Contains(t, text, "# Security updates by release: https://chat.example.com/plugins/x/security-updates\n")
	text, _ = SecurityTxt(PublicSettings{SiteURL: "https://chat.example.com", PluginPath: "/plugins/x"}, time.Now())
	assert.NotContains(t, text, "security-updates")
}
