package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Issue 8: the public Hall of Fame (HTML and JSON), its import and links,
// security.txt and the PGP key route, as anonymous clients see them on the real
// server. Every scenario credits researchers of its own, and other scenarios
// credit theirs on the same server, so lists are compared on the names a
// scenario knows; the whole list is checked against the ranking rule.

const hofWait = 20 * time.Second

// hofURL is the absolute URL of a plugin route.
func hofURL(path string) string {
	return env.MM.URL + "/plugins/" + env.Bundle.ID + path
}

// hofGet fetches a URL anonymously: no cookie, no token. header holds
// name/value pairs.
func hofGet(t *testing.T, rawURL string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxFor(t), http.MethodGet, rawURL, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// hofStatus is the status an anonymous GET of rawURL answers with (0 when the
// request fails); for polling and cleanups, which must not stop the test.
func hofStatus(ctx context.Context, rawURL string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// hofEntry is one entry of the public JSON.
type hofEntry struct {
	Position           int    `json:"position"`
	Name               string `json:"name"`
	Affiliation        string `json:"affiliation"`
	Contributions      int    `json:"contributions"`
	LatestContribution string `json:"latest_contribution"`
	Credit             string `json:"credit"`
}

// hofList reads the public JSON as an anonymous client.
func hofList(t *testing.T) ([]hofEntry, []byte) {
	t.Helper()
	resp, body := hofGet(t, hofURL("/api/v1/hall-of-fame"))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var list struct {
		Entries []hofEntry `json:"entries"`
	}
	require.NoError(t, json.Unmarshal(body, &list), "%s", body)
	hofAssertRanked(t, list.Entries)
	return list.Entries, body
}

// hofCredits lists the credit lines of the entries whose name is one of names,
// in served order.
func hofCredits(entries []hofEntry, names ...string) []string {
	out := []string{}
	for _, e := range entries {
		for _, n := range names {
			if e.Name == n {
				out = append(out, e.Credit)
				break
			}
		}
	}
	return out
}

// hofAssertRanked checks the rule on the whole list: contributions descending,
// then latest contribution descending (undated last), then name.
func hofAssertRanked(t *testing.T, entries []hofEntry) {
	t.Helper()
	for i := 1; i < len(entries); i++ {
		a, b := entries[i-1], entries[i]
		assert.Equal(t, i+1, b.Position)
		switch {
		case a.Contributions != b.Contributions:
			assert.Greater(t, a.Contributions, b.Contributions, "%q before %q", a.Credit, b.Credit)
		case a.LatestContribution != b.LatestContribution:
			// Dates are YYYY-MM-DD, so they compare as strings; "" (undated) is last.
			assert.True(t, b.LatestContribution == "" || a.LatestContribution > b.LatestContribution, "%q (%s) before %q (%s)", a.Credit, a.LatestContribution, b.Credit, b.LatestContribution)
		default:
			assert.LessOrEqual(t, strings.ToLower(a.Name), strings.ToLower(b.Name), "%q before %q", a.Credit, b.Credit)
		}
	}
}

// hofUser creates (or logs in as) a researcher of this file's scenarios, in the
// team, with a websocket.
func hofUser(t *testing.T, username string) *harness.User {
	t.Helper()
	ctx := ctxFor(t)
	u, err := harness.LoginUser(ctx, env.MM.URL, username, harness.Password(username))
	if err != nil {
		_, _, err = env.Admin.Client.CreateUser(ctx, &model.User{Username: username, Email: username + "@example.com", Password: harness.Password(username)})
		require.NoError(t, err, "creating %s", username)
		u, err = harness.LoginUser(ctx, env.MM.URL, username, harness.Password(username))
		require.NoError(t, err)
	}
	_, _, err = env.Admin.Client.AddTeamMember(ctx, env.Team.Id, u.Id)
	require.NoError(t, err)
	require.NoError(t, u.ConnectEvents(context.Background()))
	t.Cleanup(u.Close)
	return u
}

// hofReport is a report a scenario filed.
type hofReport struct {
	key      string
	card     *model.Post
	reporter *harness.User
}

// hofFile files a report as u through the real form, with credit (or not)
// under name and affiliation.
func hofFile(t *testing.T, u *harness.User, name, affiliation string, credit bool) hofReport {
	t.Helper()
	ctx := ctxFor(t)
	tag := strings.ToUpper(model.NewId()[:8])
	form := map[string]any{
		"title":             "Hall of Fame scenario " + tag,
		"product":           "Server",
		"estimate":          "medium",
		"affected_versions": "11.4.0",
		"tested_on":         "own_installation",
		"description":       "A vulnerability " + tag,
		"steps":             "Steps " + tag,
		"impact":            "Impact " + tag,
		"credit":            credit,
		"display_name":      name,
		"affiliation":       affiliation,
		"policy":            true,
	}
	key, err := harness.FileReport(ctx, u, env.Team.Id, env.DefaultChannel.Id, form, hofWait)
	require.NoError(t, err, "%s filing a report", u.Username)
	card, err := harness.FindCard(ctx, env.User("triager"), env.TriageChannel.Id, key, hofWait)
	require.NoError(t, err)
	return hofReport{key: key, card: card, reporter: u}
}

// hofSteps are the card presses from a new report to disclosed, as a triager
// makes them: the button, its dialog's answers (nil: no dialog), the status after.
var hofSteps = []struct {
	action string
	form   map[string]any
	status string
}{
	{"take", nil, "Triaging"},
	{"confirm", map[string]any{}, "Confirmed"},
	{"fix", map[string]any{"fixed_in": "11.5.1"}, "Fixed"}, // the advisory id is generated
	{"disclose", nil, "Disclosed"},
}

// hofAdvance presses the card's buttons as the triager, from where the report
// stands, until it shows status.
func hofAdvance(t *testing.T, r hofReport, status string) {
	t.Helper()
	ctx := ctxFor(t)
	triager := env.User("triager")
	c, err := harness.GetCard(ctx, triager, r.card.Id)
	require.NoError(t, err)
	started := c.Status == "Submitted"
	for _, s := range hofSteps {
		if !started {
			started = c.Status == s.status
			continue
		}
		if s.form == nil {
			_, err = triager.PressButton(ctx, r.card.Id, s.action)
			require.NoError(t, err, "pressing %s on %s", s.action, r.key)
		} else {
			post, _, err := triager.Client.GetPost(ctx, r.card.Id, "")
			require.NoError(t, err)
			d, err := triager.PressButtonForDialog(ctx, post, s.action, hofWait)
			require.NoError(t, err, "pressing %s on %s", s.action, r.key)
			resp, err := triager.SubmitDialog(ctx, d, env.Team.Id, post.ChannelId, s.form)
			require.NoError(t, err)
			require.Empty(t, resp.Error, "%s on %s", s.action, r.key)
			require.Empty(t, resp.Errors, "%s on %s", s.action, r.key)
		}
		c, err = harness.WaitCardStatus(ctx, triager, r.card.Id, s.status, hofWait)
		require.NoError(t, err, "%s after %s", r.key, s.action)
		if s.status == status {
			return
		}
	}
	require.Equal(t, status, c.Status, "%s", r.key)
}

// hofCommand runs a slash command as u in town-square and returns the reply.
func hofCommand(t *testing.T, u *harness.User, command string) string {
	t.Helper()
	text, err := u.CommandReply(ctxFor(t), env.Team.Id, env.DefaultChannel.Id, command, hofWait)
	require.NoError(t, err)
	return text
}

func TestHallOfFameListsCreditedDisclosuresInOrder(t *testing.T) {
	zoe, yann, xavier := hofUser(t, "hof-zoe"), hofUser(t, "hof-yann"), hofUser(t, "hof-xavier")
	const zoeName, yannName, xavierName = "Zoe Hofmann", "Yann Hofstetter", "Xavier Hofer"
	names := []string{zoeName, yannName, xavierName}

	zoe1 := hofFile(t, zoe, zoeName, "from Example Labs", true)
	yann1 := hofFile(t, yann, yannName, "", true)
	xavier1 := hofFile(t, xavier, xavierName, "", false) // no credit asked
	zoe2 := hofFile(t, zoe, zoeName, "from Example Labs", true)

	hofAdvance(t, zoe1, "Disclosed")
	hofAdvance(t, yann1, "Disclosed")
	hofAdvance(t, xavier1, "Disclosed")
	hofAdvance(t, zoe2, "Fixed")

	// One contribution each, the same day: by name. Xavier asked for no
	// credit; Zoe's fixed report is embargoed until disclosed.
	entries, body := hofList(t)
	assert.Equal(t, []string{yannName, zoeName + " from Example Labs"}, hofCredits(entries, names...))
	for _, u := range []*harness.User{zoe, yann, xavier} {
		assert.NotContains(t, string(body), u.Id, "the public list carries no user ids")
	}
	assert.NotContains(t, string(body), "SEC-", "the public list carries no report ids")

	// The HTML page, anonymously: the same order, strict headers.
	resp, page := hofGet(t, hofURL("/hall-of-fame"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'")
	assert.NotContains(t, resp.Header.Get("Content-Security-Policy"), "script-src", "no script is allowed")
	assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	etag := resp.Header.Get("ETag")
	require.NotEmpty(t, etag)
	assert.Contains(t, string(page), `<html lang="en">`)
	assert.Regexp(t, `(?s)<ol class="hall-of-fame">.*<bdi>`+yannName+`</bdi>.*<bdi>`+zoeName+`</bdi> <bdi>from Example Labs</bdi>.*</ol>`, string(page))
	assert.NotContains(t, string(page), xavierName)

	// Revalidation: unchanged, 304 without a body.
	resp, page = hofGet(t, hofURL("/hall-of-fame"), "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	assert.Empty(t, page)

	// Zoe's second report is disclosed: two contributions put her first, and
	// the page's ETag changes at once.
	hofAdvance(t, zoe2, "Disclosed")
	entries, _ = hofList(t)
	assert.Equal(t, []string{zoeName + " from Example Labs (2 contributions)", yannName}, hofCredits(entries, names...))
	resp, page = hofGet(t, hofURL("/hall-of-fame"), "If-None-Match", etag)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEqual(t, etag, resp.Header.Get("ETag"))
	assert.Regexp(t, `(?s)<bdi>`+zoeName+`</bdi> <bdi>from Example Labs</bdi> \(2 contributions\).*<bdi>`+yannName+`</bdi>`, string(page))

	// The chat listing agrees.
	chat := hofCommand(t, yann, "/security halloffame")
	assert.Regexp(t, "(?s)` "+zoeName+" from Example Labs ` \\(2 contributions\\).*` "+yannName+" `", chat)
}

func TestHallOfFameOptOutRemovesTheEntryAtOnce(t *testing.T) {
	olga := hofUser(t, "hof-olga")
	const name = "Olga Hofbauer"
	r := hofFile(t, olga, name, "", true)
	hofAdvance(t, r, "Disclosed")
	entries, _ := hofList(t)
	require.Equal(t, []string{name}, hofCredits(entries, name))

	// Per report: off removes it, on brings it back. Someone else's id answers
	// like an unknown one.
	assert.Contains(t, hofCommand(t, env.User("researcher2"), "/security credit "+r.key+" off"), "No report with that id was found")
	assert.Contains(t, hofCommand(t, olga, "/security credit "+r.key+" off"), "no longer counts it")
	entries, _ = hofList(t)
	assert.Empty(t, hofCredits(entries, name), "turning credit off for the report removes the entry")
	assert.Contains(t, hofCommand(t, olga, "/security credit "+r.key+" on"), "counts it now")
	entries, _ = hofList(t)
	assert.Equal(t, []string{name}, hofCredits(entries, name))

	// Every public surface names her: the Security Updates carry the credit of
	// her advisory.
	advisory := regexpFind(t, `MMSA-[0-9]{4}-[0-9]+`, reply(t, env.User("triager"), "/security show "+r.key))
	surfaces := []string{"/hall-of-fame", "/api/v1/hall-of-fame", "/security-updates", "/api/v1/security-updates",
		"/security-updates/" + advisory, "/api/v1/advisories.osv.json", "/api/v1/advisories/" + advisory + ".osv.json"}
	for _, path := range surfaces[2:] {
		resp, body := hofGet(t, hofURL(path))
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, string(body), name, "%s credits her before the opt-out", path)
	}

	// The whole profile: saving it without a name opts out everywhere, even
	// with an affiliation left, which alone would still point at her.
	const affiliation = "from Hofbauer Labs"
	ctx := ctxFor(t)
	d, err := olga.CommandDialog(ctx, env.Team.Id, env.DefaultChannel.Id, "/security credit edit", hofWait)
	require.NoError(t, err)
	resp, err := olga.SubmitDialog(ctx, d, env.Team.Id, env.DefaultChannel.Id, map[string]any{"display_name": "", "affiliation": affiliation})
	require.NoError(t, err)
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)
	entries, _ = hofList(t)
	assert.Empty(t, hofCredits(entries, name), "opting out removes the entry at once")
	for _, path := range surfaces {
		resp, body := hofGet(t, hofURL(path))
		require.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.NotContains(t, string(body), name, "%s after the opt-out", path)
		assert.NotContains(t, string(body), affiliation, "%s after the opt-out", path)
	}
}

func TestHallOfFameSettingOffAnswers404(t *testing.T) {
	ctx := ctxFor(t)
	admin := env.Admin.Client
	require.NoError(t, harness.SetPluginSettings(ctx, admin, env.Bundle.ID, map[string]any{"EnableHallOfFame": false}))
	t.Cleanup(func() {
		ctx := context.Background()
		_ = harness.SetPluginSettings(ctx, admin, env.Bundle.ID, map[string]any{"EnableHallOfFame": true})
		_ = harness.Eventually(ctx, hofWait, 200*time.Millisecond, "the Hall of Fame back on", func(ctx context.Context) (bool, error) {
			return hofStatus(ctx, hofURL("/hall-of-fame")) == http.StatusOK, nil
		})
	})
	for _, path := range []string{"/hall-of-fame", "/api/v1/hall-of-fame"} {
		require.NoError(t, harness.Eventually(ctx, hofWait, 200*time.Millisecond, path+" answering 404", func(ctx context.Context) (bool, error) {
			return hofStatus(ctx, hofURL(path)) == http.StatusNotFound, nil
		}))
	}
	// security.txt no longer points at it.
	resp, body := hofGet(t, hofURL("/security.txt"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotContains(t, string(body), "Acknowledgments:")
}

// hofSecurityTxt parses a security.txt as RFC 9116 section 2 lays it out and
// checks its rules: every line a comment, empty, or "Field: value"; Contact at
// least once; Expires exactly once, an RFC 3339 time within the next year; the
// single-use fields at most once; URI fields absolute URIs.
func hofSecurityTxt(t *testing.T, text string, now time.Time) map[string][]string {
	t.Helper()
	fieldLine := regexp.MustCompile(`^([A-Za-z0-9-]+): (\S.*)$`)
	fields := map[string][]string{}
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := fieldLine.FindStringSubmatch(line)
		require.NotNil(t, m, "line %d is neither a comment nor a field: %q", i+1, line)
		name := strings.ToLower(m[1])
		fields[name] = append(fields[name], m[2])
	}
	require.NotEmpty(t, fields["contact"], "Contact is required")
	require.Len(t, fields["expires"], 1, "Expires is required, once")
	expires, err := time.Parse(time.RFC3339, fields["expires"][0])
	require.NoError(t, err, "Expires is an RFC 3339 date-time")
	assert.True(t, expires.After(now), "Expires %s is in the future", expires)
	assert.True(t, expires.Before(now.AddDate(1, 0, 0)), "Expires %s is within a year", expires)
	for _, once := range []string{"preferred-languages"} {
		assert.LessOrEqual(t, len(fields[once]), 1, "%s at most once", once)
	}
	for _, name := range []string{"contact", "encryption", "acknowledgments", "policy", "canonical", "hiring"} {
		for _, v := range fields[name] {
			u, err := url.Parse(v)
			require.NoError(t, err, "%s: %s", name, v)
			assert.True(t, u.IsAbs(), "%s is an absolute URI: %s", name, v)
		}
	}
	return fields
}

func TestSecurityTxtAndPGPKeyRoute(t *testing.T) {
	ctx := ctxFor(t)
	admin := env.Admin.Client
	key, err := os.ReadFile(filepath.Join("testdata", "team-pgp-public.asc"))
	require.NoError(t, err)
	settings := map[string]any{
		"PGPPublicKey":         string(key),
		"SecurityContactEmail": "security@example.com",
		"SecurityTxtLanguages": "en, de",
		"SecurityTxtCanonical": "https://chat.example.com/.well-known/security.txt",
	}
	before, err := harness.PluginSettings(ctx, admin, env.Bundle.ID)
	require.NoError(t, err)
	require.NoError(t, harness.SetPluginSettings(ctx, admin, env.Bundle.ID, settings))
	t.Cleanup(func() {
		restore := map[string]any{}
		for k := range settings {
			v, ok := before[strings.ToLower(k)]
			if !ok {
				v = ""
			}
			restore[k] = v
		}
		_ = harness.SetPluginSettings(context.Background(), admin, env.Bundle.ID, restore)
	})

	var resp *http.Response
	var body []byte
	require.NoError(t, harness.Eventually(ctx, hofWait, 200*time.Millisecond, "security.txt with the new settings", func(context.Context) (bool, error) {
		resp, body = hofGet(t, hofURL("/security.txt"))
		return resp.StatusCode == http.StatusOK && strings.Contains(string(body), "mailto:security@example.com"), nil
	}))
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	fields := hofSecurityTxt(t, string(body), time.Now())
	t.Logf("security.txt:\n%s", body)

	assert.Equal(t, []string{env.MM.URL + "/", "mailto:security@example.com"}, fields["contact"], "this server, where researchers file with /security, then the email")
	assert.Equal(t, []string{hofURL("/pgp-key.txt")}, fields["encryption"])
	assert.Equal(t, []string{hofURL("/hall-of-fame")}, fields["acknowledgments"])
	assert.Equal(t, []string{hofURL("/policy")}, fields["policy"])
	assert.Equal(t, []string{"en, de"}, fields["preferred-languages"])
	assert.Equal(t, []string{"https://chat.example.com/.well-known/security.txt"}, fields["canonical"])
	assert.Contains(t, string(body), "/security report")

	// Every link works for an anonymous client; the key route serves the key.
	keyResp, served := hofGet(t, fields["encryption"][0])
	require.Equal(t, http.StatusOK, keyResp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", keyResp.Header.Get("Content-Type"))
	assert.Equal(t, strings.TrimSpace(string(key)), strings.TrimSpace(string(served)))
	for _, link := range []string{fields["acknowledgments"][0], fields["policy"][0]} {
		r, _ := hofGet(t, link)
		assert.Equal(t, http.StatusOK, r.StatusCode, link)
	}

	// A refused setting is named, and nothing changes.
	err = harness.SetPluginSettings(ctx, admin, env.Bundle.ID, map[string]any{"SecurityTxtCanonical": "http://insecure.example.com/security.txt"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "security.txt canonical URLs")

	// Without a key: no Encryption, and the key route is 404.
	require.NoError(t, harness.SetPluginSettings(ctx, admin, env.Bundle.ID, map[string]any{"PGPPublicKey": ""}))
	require.NoError(t, harness.Eventually(ctx, hofWait, 200*time.Millisecond, "the key route answering 404", func(ctx context.Context) (bool, error) {
		return hofStatus(ctx, hofURL("/pgp-key.txt")) == http.StatusNotFound, nil
	}))
	_, body = hofGet(t, hofURL("/security.txt"))
	fields = hofSecurityTxt(t, string(body), time.Now())
	assert.NotContains(t, fields, "encryption")

	// The route serves the plugin's own serialization of the key, not the
	// paste: an armor header and CRLF line ends pasted with it are gone.
	pasted := strings.Replace(string(key), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n", "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: pasted from a wiki\n", 1)
	pasted = strings.ReplaceAll(pasted, "\n", "\r\n")
	require.NoError(t, harness.SetPluginSettings(ctx, admin, env.Bundle.ID, map[string]any{"PGPPublicKey": pasted}))
	require.NoError(t, harness.Eventually(ctx, hofWait, 200*time.Millisecond, "the key route serving the pasted key", func(ctx context.Context) (bool, error) {
		return hofStatus(ctx, hofURL("/pgp-key.txt")) == http.StatusOK, nil
	}))
	_, served = hofGet(t, hofURL("/pgp-key.txt"))
	assert.Equal(t, strings.TrimSpace(string(key)), strings.TrimSpace(string(served)), "the key as the plugin wrote it")
	assert.NotContains(t, string(served), "Comment")
}

// hofImport sends a list to the admin import route with a user's token.
func hofImport(t *testing.T, u *harness.User, contentType string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxFor(t), http.MethodPost, hofURL("/api/v1/hall-of-fame/import"), strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+u.Client.AuthToken)
	req.Header.Set("Content-Type", contentType)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

// The published Hall of Fame, in its published order.
var hofPublished = []string{
	"Andreas Lindh (11 contributions)",
	"Yoni Ramon from Tesla security team (7 contributions)",
	"Uchida Taishi (3 contributions)",
	"Bastian Ike (2 contributions)",
	"Harrison Healey (2 contributions)",
	"Jim Hebert of Fitbit Security",
	"Luke Arntson",
	"Florian Orben",
	"Paddy Steed",
	"Ashish Pathak",
	"Mohammad Razavi",
	"Steve MacQuiddy from Tesla",
	"Christer Mjellem Strand",
	"Jonas Arneberg",
	"Ashley Hull",
	"Kolja Lampe",
	"Alyssa Milburn",
}

var hofPublishedNames = []string{
	"Andreas Lindh", "Yoni Ramon", "Uchida Taishi", "Bastian Ike", "Harrison Healey", "Jim Hebert",
	"Luke Arntson", "Florian Orben", "Paddy Steed", "Ashish Pathak", "Mohammad Razavi", "Steve MacQuiddy",
	"Christer Mjellem Strand", "Jonas Arneberg", "Ashley Hull", "Kolja Lampe", "Alyssa Milburn",
}

// Done when: importing the published list reproduces its order exactly; then
// new credited disclosures (a new researcher, and one more by Bastian Ike,
// linked to his imported entry) move them to the places the rule gives.
func TestHallOfFameImportReproducesPublishedOrder(t *testing.T) {
	ctx := ctxFor(t)
	csv, err := os.ReadFile(filepath.Join("testdata", "hall-of-fame-2026.csv"))
	require.NoError(t, err)
	admin := env.Admin

	// The admin route: system admins only, CSV or JSON by Content-Type.
	status, answer := hofImport(t, env.User("triager"), "text/csv", csv)
	assert.Equal(t, http.StatusForbidden, status, answer)
	status, answer = hofImport(t, admin, "application/json", []byte(`[{"name": "Temporary Entry", "contributions": 1, "latest_contribution": "2020-01-01"}]`))
	require.Equal(t, http.StatusOK, status, answer)
	entries, _ := hofList(t)
	assert.Equal(t, []string{"Temporary Entry"}, hofCredits(entries, "Temporary Entry"))
	status, answer = hofImport(t, admin, "text/csv", []byte("name,contributions\nBroken,many\n"))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, answer, "Line 2")

	// Non-admins cannot open the import form.
	assert.Contains(t, hofCommand(t, env.User("triager"), "/security halloffame import"), "Only system admins")

	// The chat way: /security halloffame import opens a form; paste the CSV.
	d, err := admin.CommandDialog(ctx, env.Team.Id, env.DefaultChannel.Id, "/security halloffame import", hofWait)
	require.NoError(t, err)
	mark := admin.Events.Mark()
	resp, err := admin.SubmitDialog(ctx, d, env.Team.Id, env.DefaultChannel.Id, map[string]any{"csv": string(csv)})
	require.NoError(t, err)
	require.Empty(t, resp.Error)
	require.Empty(t, resp.Errors)
	confirmation, err := admin.Events.WaitEphemeral(ctx, mark, hofWait, env.DefaultChannel.Id)
	require.NoError(t, err)
	assert.Contains(t, confirmation.Message, "Imported 17 Hall of Fame entries")

	entries, _ = hofList(t)
	assert.Equal(t, hofPublished, hofCredits(entries, hofPublishedNames...), "the published order, exactly")
	assert.Empty(t, hofCredits(entries, "Temporary Entry"), "a new import replaces the earlier one")
	_, page := hofGet(t, hofURL("/hall-of-fame"))
	assert.Regexp(t, `(?s)<bdi>Andreas Lindh</bdi> \(11 contributions\).*<bdi>Yoni Ramon</bdi> <bdi>from Tesla security team</bdi> \(7 contributions\).*<bdi>Alyssa Milburn</bdi>`, string(page))

	// Bastian Ike files here, and an admin links his account to his entry.
	bastian := hofUser(t, "hof-bastian")
	nina := hofUser(t, "hof-nina")
	const ninaName = "Nina Neuling"
	rb := hofFile(t, bastian, "Bastian Ike", "", true)
	rn := hofFile(t, nina, ninaName, "of Example Research", true)
	assert.Contains(t, hofCommand(t, env.User("triager"), `/security halloffame link "Bastian Ike" @hof-bastian`), "Only system admins")
	assert.Contains(t, hofCommand(t, admin, `/security halloffame link "bastian ike" @hof-bastian`), "Linked ` Bastian Ike ` to ` @hof-bastian `")
	entries, _ = hofList(t)
	assert.Equal(t, hofPublished, hofCredits(entries, hofPublishedNames...), "a link alone changes no count")

	// Both reports are disclosed with credit.
	hofAdvance(t, rb, "Disclosed")
	hofAdvance(t, rn, "Disclosed")
	entries, _ = hofList(t)
	want := []string{
		"Andreas Lindh (11 contributions)",
		"Yoni Ramon from Tesla security team (7 contributions)",
		// 2 imported + 1 earned: three, like Uchida Taishi, and more recent.
		"Bastian Ike (3 contributions)",
		"Uchida Taishi (3 contributions)",
		"Harrison Healey (2 contributions)",
		// One contribution, today: ahead of every older single contribution.
		ninaName + " of Example Research",
		"Jim Hebert of Fitbit Security",
		"Luke Arntson", "Florian Orben", "Paddy Steed", "Ashish Pathak", "Mohammad Razavi",
		"Steve MacQuiddy from Tesla", "Christer Mjellem Strand", "Jonas Arneberg", "Ashley Hull",
		"Kolja Lampe", "Alyssa Milburn",
	}
	assert.Equal(t, want, hofCredits(entries, append(hofPublishedNames, ninaName)...))
	for _, e := range entries {
		if e.Name == "Bastian Ike" {
			assert.Equal(t, time.Now().UTC().Format("2006-01-02"), e.LatestContribution, "his latest contribution is today's")
		}
	}
	t.Logf("the Hall of Fame now:\n%s", hofFormat(entries))

	// Unlinking separates the two again.
	assert.Contains(t, hofCommand(t, admin, "/security halloffame unlink @hof-bastian"), "Unlinked ` Bastian Ike `")
	entries, _ = hofList(t)
	got := hofCredits(entries, "Bastian Ike")
	assert.Equal(t, []string{"Bastian Ike (2 contributions)", "Bastian Ike"}, got)
}

func hofFormat(entries []hofEntry) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "%3d. %s (latest %s)\n", e.Position, e.Credit, e.LatestContribution)
	}
	return b.String()
}
