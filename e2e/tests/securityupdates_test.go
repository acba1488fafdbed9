package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// updatesJSON is the public Security Updates JSON.
type updatesJSON struct {
	Releases []struct {
		Version    string `json:"version"`
		Released   string `json:"released"`
		Advisories []struct {
			ID     string `json:"id"`
			Title  string `json:"title"`
			Credit string `json:"credit"`
		} `json:"advisories"`
	} `json:"releases"`
}

// TestEmbargoedAdvisoryIsDisclosedOnItsDate: a fixed report's advisory is
// invisible before its disclosure date; once the team moves the date to today,
// the job discloses it, and it appears on the public pages (HTML, JSON, OSV)
// under its release, the reporter is told, and the Hall of Fame counts it.
func TestEmbargoedAdvisoryIsDisclosedOnItsDate(t *testing.T) {
	ctx := ctxFor(t)
	previous, err := harness.PluginSettings(ctx, env.Admin.Client, env.Bundle.ID)
	require.NoError(t, err)
	require.NoError(t, harness.SetPluginSettings(ctx, env.Admin.Client, env.Bundle.ID, map[string]any{
		"JobInterval": "10s", "OSVEcosystem": "Go", "OSVPackage": "github.com/mattermost/mattermost/server/v8",
	}))
	t.Cleanup(func() {
		restore := map[string]any{}
		for _, key := range []string{"JobInterval", "OSVEcosystem", "OSVPackage"} {
			v, _ := previous[strings.ToLower(key)].(string)
			restore[key] = v
		}
		_ = harness.SetPluginSettings(context.Background(), env.Admin.Client, env.Bundle.ID, restore)
	})

	researcher, triager := env.User("researcher"), env.User("triager")
	tag := uniqueTag("Embargo")
	credit := "Embargo Tester " + tag
	r := fileReport(t, researcher, with(reportForm(tag), map[string]any{"credit": true, "display_name": credit}))
	press(t, triager, r, "take", "Triaging")
	pressWithDialog(t, triager, r, "confirm", map[string]any{"cvss": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"}, "Confirmed")
	release := "77." + fmt.Sprint(time.Now().Unix()%1000) + ".1"
	c := pressWithDialog(t, triager, r, "fix", map[string]any{
		"fixed_in":       release + " (" + time.Now().UTC().Format("2006-01-02") + ")",
		"public_title":   "Channel header XSS " + tag,
		"public_summary": "A crafted header could run script in other users' browsers.",
		"disclose_on":    "2099-01-01",
	}, "Fixed")
	assert.Contains(t, c.Actions, "advisory", "the advisory can be edited")

	// The advisory id was generated; find it in the report's timeline.
	show := reply(t, triager, "/security show "+r.key)
	advisory := regexpFind(t, `MMSA-[0-9]{4}-[0-9]+`, show)

	// Embargoed: nothing public, not even by its id.
	updates := hofURL("/security-updates")
	resp, body := hofGet(t, updates)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotContains(t, string(body), advisory)
	// Not the title: the tag is also in the researcher's credit name, which
	// their advisories published earlier carry from the moment they gave it.
	assert.NotContains(t, string(body), "Channel header XSS "+tag)
	osvURL := hofURL("/api/v1/advisories/" + advisory + ".osv.json")
	resp, hidden := hofGet(t, osvURL)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	_, unknown := hofGet(t, hofURL("/api/v1/advisories/MMSA-1999-1.osv.json"))
	assert.Equal(t, string(unknown), string(hidden), "an embargoed advisory answers like an unknown one")

	// The team publishes early: the disclosure date becomes today.
	pressWithDialog(t, triager, r, "advisory", map[string]any{"disclose_on": time.Now().UTC().Format("2006-01-02")}, "Fixed")
	_, err = harness.WaitCardStatus(ctx, triager, r.card.Id, "Disclosed", time.Minute)
	require.NoError(t, err, "the job discloses the report on its date")
	show = reply(t, triager, "/security show "+r.key)
	assert.Contains(t, show, "Publish early: disclosure moved from 2099-01-01 to", "the timeline records the early publication")
	assert.Contains(t, show, "disclose by the plugin", "the plugin disclosed it")

	// Public: HTML and JSON under its release, OSV by id.
	resp, body = hofGet(t, updates)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `id="`+advisory+`"`)
	assert.Contains(t, string(body), "Channel header XSS "+tag)
	assert.NotContains(t, string(body), "Stored XSS in the channel header", "never the researcher's own text")
	resp, body = hofGet(t, hofURL("/api/v1/security-updates"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var list updatesJSON
	require.NoError(t, json.Unmarshal(body, &list))
	found := false
	for _, rel := range list.Releases {
		for _, a := range rel.Advisories {
			if a.ID == advisory {
				found = true
				assert.Equal(t, release, rel.Version, "listed under its release")
				assert.True(t, strings.HasPrefix(a.Credit, credit), "credited as %q: %q", credit, a.Credit)
			}
		}
	}
	assert.True(t, found, "%s in the JSON:\n%s", advisory, body)
	// Its page has the summary, which the listing leaves to it.
	resp, body = hofGet(t, hofURL("/security-updates/"+advisory))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "A crafted header could run script in other users&#39; browsers.")
	assert.Contains(t, string(body), "Channel header XSS "+tag)
	resp, body = hofGet(t, osvURL)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var osv map[string]any
	require.NoError(t, json.Unmarshal(body, &osv))
	assert.Equal(t, advisory, osv["id"])
	assert.Contains(t, string(body), `"fixed":"`+release+`"`)

	// The reporter is told, with the public link; the triage channel gets a note.
	lastBotDM(t, researcher, "/security-updates/"+advisory)
	err = harness.Eventually(ctx, wait, 200*time.Millisecond, "the disclosure note", func(ctx context.Context) (bool, error) {
		posts, err := triager.ChannelPosts(ctx, env.TriageChannel.Id, 100)
		if err != nil {
			return false, err
		}
		for _, p := range posts {
			if strings.Contains(p.Message, r.key+"** reached its disclosure date") {
				return true, nil
			}
		}
		return false, nil
	})
	require.NoError(t, err)

	// The Hall of Fame counts it.
	resp, body = hofGet(t, hofURL("/api/v1/hall-of-fame"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), credit)
}

func regexpFind(t *testing.T, pattern, text string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindString(text)
	require.NotEmpty(t, m, "%s in:\n%s", pattern, text)
	return m
}
