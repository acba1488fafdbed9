package api

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// updatesRender is the Security Updates rendered at one revision.
type updatesRender struct {
	html    renderedResponse
	json    renderedResponse
	updates *report.SecurityUpdates
}

// advisoryJSON is one advisory as the public sees it: no report or user ids.
type advisoryJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Summary   string   `json:"summary,omitempty"`
	Affected  string   `json:"affected_versions,omitempty"`
	Rating    string   `json:"severity"`
	Score     float64  `json:"score,omitempty"`
	Vector    string   `json:"cvss_vector,omitempty"`
	CVE       string   `json:"cve,omitempty"`
	FixedIn   []string `json:"fixed_in"`
	Credit    string   `json:"credit,omitempty"`
	Published string   `json:"published"`
}

// releaseJSON groups the advisories fixed in one release.
type releaseJSON struct {
	Version    string         `json:"version"`
	Released   string         `json:"released,omitempty"`
	Advisories []advisoryJSON `json:"advisories"`
}

type updatesJSON struct {
	Releases []releaseJSON `json:"releases"`
}

func publicAdvisory(a report.PublicAdvisory) advisoryJSON {
	out := advisoryJSON{ID: a.ID, Title: a.Title, Summary: a.Summary, Affected: a.Affected, Rating: a.Rating.Label(),
		Score: a.Score, Vector: a.Vector, CVE: a.CVE, Credit: a.Credit, Published: a.Published.UTC().Format(report.DateLayout)}
	if a.Rating == "" {
		out.Rating = "Unrated"
	}
	for _, v := range a.FixedIn {
		out.FixedIn = append(out.FixedIn, v.Version)
	}
	return out
}

// groupByRelease lists each release with the advisories fixed in it, newest
// release first (by release date, then by version number).
func groupByRelease(u *report.SecurityUpdates) []releaseJSON {
	byVersion := map[string]*releaseJSON{}
	for _, a := range u.Advisories {
		for _, v := range a.FixedIn {
			rel, ok := byVersion[v.Version]
			if !ok {
				rel = &releaseJSON{Version: v.Version}
				byVersion[v.Version] = rel
			}
			if rel.Released == "" {
				rel.Released = v.Released
			}
			rel.Advisories = append(rel.Advisories, publicAdvisory(a))
		}
	}
	out := make([]releaseJSON, 0, len(byVersion))
	for _, rel := range byVersion {
		sort.SliceStable(rel.Advisories, func(i, j int) bool { return rel.Advisories[i].ID > rel.Advisories[j].ID })
		out = append(out, *rel)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Released != out[j].Released {
			return out[i].Released > out[j].Released
		}
		return versionLess(out[j].Version, out[i].Version)
	})
	return out
}

// versionLess compares dotted version numbers numerically ("11.10.0" > "11.9.2").
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, errA := strconv.Atoi(pa[i])
		nb, errB := strconv.Atoi(pb[i])
		if errA != nil || errB != nil {
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
			continue
		}
		if na != nb {
			return na < nb
		}
	}
	return len(pa) < len(pb)
}

var updatesBody = template.Must(template.New("updates").Parse(`<h1>Security Updates</h1>
<p>Security fixes in our releases, newest first. An advisory is published here once its fix has been available long enough for administrators to upgrade.</p>
{{range .}}<section>
<h2 id="release-{{.Version}}">{{.Version}}{{if .Released}} <small>released {{.Released}}</small>{{end}}</h2>
<ul class="advisories">
{{range .Advisories}}<li id="{{.ID}}"><strong>{{.ID}}</strong>: <bdi>{{.Title}}</bdi>
<br>Severity: {{.Rating}}{{if .Score}} ({{printf "%.1f" .Score}}){{end}}{{if .CVE}} · {{.CVE}}{{end}} · Fixed in {{range $i, $v := .FixedIn}}{{if $i}}, {{end}}{{$v}}{{end}}{{if .Credit}} · Credit: <bdi>{{.Credit}}</bdi>{{end}}
{{if .Summary}}<p>{{.Summary}}</p>{{end}}{{if .Affected}}<p>Affected versions: {{.Affected}}</p>{{end}}</li>
{{end}}</ul>
</section>
{{else}}<p>No security updates have been published yet.</p>
{{end}}<p>Found a vulnerability? Please read our <a href="policy">responsible disclosure policy</a> and report it privately.</p>
`))

func renderUpdates(u *report.SecurityUpdates) (*updatesRender, error) {
	releases := groupByRelease(u)
	var body bytes.Buffer
	if err := updatesBody.Execute(&body, releases); err != nil {
		return nil, errors.Wrap(err, "render the Security Updates")
	}
	html := captureResponse(func(w http.ResponseWriter) {
		writePage(w, http.StatusOK, page{
			Title: "Security Updates",
			Body:  template.HTML(body.String()), //nolint:gosec // rendered by html/template above, which escapes every field
		})
	})
	data := captureResponse(func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, updatesJSON{Releases: releases}) })
	return &updatesRender{html: html, json: data, updates: u}, nil
}

// currentUpdates returns the rendering of the stored revision.
func (p *publicPages) currentUpdates() (*updatesRender, error) {
	rev, err := p.disclosure.SecurityUpdatesRevision()
	if err != nil {
		p.log.Warn("Could not read the Security Updates revision", "error", err.Error())
		rev = -1
	}
	return p.updates.get(rev, func() (*updatesRender, int64, error) {
		u, err := p.disclosure.PublicAdvisories()
		if err != nil {
			return nil, 0, err
		}
		rendered, err := renderUpdates(u)
		return rendered, u.Rev, err
	})
}

func (p *publicPages) serveUpdates(w http.ResponseWriter, r *http.Request, pick func(*updatesRender) *renderedResponse) {
	if !p.settings().SecurityUpdates {
		notFound(w)
		return
	}
	current, err := p.currentUpdates()
	if err != nil {
		p.log.Warn("Could not load the Security Updates", "error", err.Error())
		http.Error(w, "The Security Updates are unavailable right now; please try again.", http.StatusServiceUnavailable)
		return
	}
	serveRendered(w, r, pick(current))
}

func (p *publicPages) securityUpdatesPage(w http.ResponseWriter, r *http.Request) {
	p.serveUpdates(w, r, func(c *updatesRender) *renderedResponse { return &c.html })
}

func (p *publicPages) securityUpdatesJSON(w http.ResponseWriter, r *http.Request) {
	p.serveUpdates(w, r, func(c *updatesRender) *renderedResponse { return &c.json })
}

// advisoryOSV serves one public advisory in the OSV format. Anything not public
// (unknown, embargoed, malformed) answers exactly alike.
func (p *publicPages) advisoryOSV(w http.ResponseWriter, r *http.Request) {
	settings := p.settings()
	if !settings.SecurityUpdates {
		notFound(w)
		return
	}
	current, err := p.currentUpdates()
	if err != nil {
		http.Error(w, "The advisory is unavailable right now; please try again.", http.StatusServiceUnavailable)
		return
	}
	a, ok := current.updates.Find(mux.Vars(r)["id"])
	if !ok {
		notFound(w)
		return
	}
	pageURL := strings.TrimRight(settings.SiteURL, "/") + settings.PluginPath + routes.SecurityUpdates
	resp := captureResponse(func(w http.ResponseWriter) {
		writeJSON(w, http.StatusOK, OSV(a, settings.OSVEcosystem, settings.OSVPackage, pageURL))
	})
	serveRendered(w, r, &resp)
}

// OSVDocument is an advisory in the OSV schema (https://ossf.github.io/osv-schema/).
type OSVDocument struct {
	SchemaVersion string         `json:"schema_version"`
	ID            string         `json:"id"`
	Modified      string         `json:"modified"`
	Published     string         `json:"published"`
	Aliases       []string       `json:"aliases,omitempty"`
	Summary       string         `json:"summary"`
	Details       string         `json:"details,omitempty"`
	Severity      []OSVSeverity  `json:"severity,omitempty"`
	Affected      []OSVAffected  `json:"affected,omitempty"`
	References    []OSVReference `json:"references"`
	Credits       []OSVCredit    `json:"credits,omitempty"`
}

// OSVSeverity is a CVSS vector.
type OSVSeverity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// OSVAffected is the affected package and its ranges.
type OSVAffected struct {
	Package OSVPackage `json:"package"`
	Ranges  []OSVRange `json:"ranges"`
}

// OSVPackage names a package in an ecosystem.
type OSVPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
}

// OSVRange is one affected range of versions.
type OSVRange struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}

// OSVReference links the advisory page.
type OSVReference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// OSVCredit names the credited researcher.
type OSVCredit struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// OSV builds the OSV document of a public advisory. Each release with the fix
// closes one range of its release branch: for a fix in 11.4.3 the range is
// introduced 11.4.0, fixed 11.4.3; the oldest branch's range starts at "0",
// since every earlier version is affected too. Without a configured package
// (ecosystem and name) the document lists no affected package: none is guessed.
func OSV(a report.PublicAdvisory, ecosystem, pkg, pageURL string) OSVDocument {
	doc := OSVDocument{
		SchemaVersion: "1.6.0",
		ID:            a.ID,
		Modified:      a.Modified.UTC().Format(time.RFC3339),
		Published:     a.Published.UTC().Format(time.RFC3339),
		Summary:       a.Title,
		Details:       a.Summary,
		References:    []OSVReference{{Type: "ADVISORY", URL: pageURL + "#" + a.ID}},
	}
	if a.CVE != "" {
		doc.Aliases = []string{a.CVE}
	}
	if a.Vector != "" {
		doc.Severity = []OSVSeverity{{Type: "CVSS_V3", Score: a.Vector}}
	}
	if a.Credit != "" {
		doc.Credits = []OSVCredit{{Name: a.Credit, Type: "FINDER"}}
	}
	if ecosystem != "" && pkg != "" && len(a.FixedIn) > 0 {
		versions := make([]string, 0, len(a.FixedIn))
		for _, v := range a.FixedIn {
			versions = append(versions, v.Version)
		}
		sort.Slice(versions, func(i, j int) bool { return versionLess(versions[i], versions[j]) })
		affected := OSVAffected{Package: OSVPackage{Ecosystem: ecosystem, Name: pkg}}
		for i, v := range versions {
			introduced := branchStart(v)
			if i == 0 {
				introduced = "0"
			}
			affected.Ranges = append(affected.Ranges, OSVRange{Type: "ECOSYSTEM", Events: []map[string]string{
				{"introduced": introduced}, {"fixed": v},
			}})
		}
		doc.Affected = []OSVAffected{affected}
	}
	return doc
}

// branchStart is the first version of a release branch: 11.4.3 → 11.4.0.
func branchStart(version string) string {
	parts := strings.Split(version, ".")
	if len(parts) < 3 {
		return "0"
	}
	return fmt.Sprintf("%s.%s.0", parts[0], parts[1])
}
