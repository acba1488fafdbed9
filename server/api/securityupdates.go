package api

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// The listings are paged, newest first, so that a program with thousands of
// advisories neither renders a page of megabytes nor keeps every page
// rendered: page 1 is rendered with each change, later pages and single
// advisories when asked for, and only the most recent of those are kept.
const (
	advisoriesPerPage = 20
	laterPagesKept    = 32
)

// advisoryJSON is one advisory in a listing, as the public sees it: no report
// or user ids, and the facts a listing compares; its summary, affected
// versions and vector are on its own page (URL) and in its OSV document, so
// that a page of the listing stays small however long the summaries are: the
// cost of a public page grows with its size.
type advisoryJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Rating    string   `json:"severity"`
	Score     float64  `json:"score,omitempty"`
	CVE       string   `json:"cve,omitempty"`
	FixedIn   []string `json:"fixed_in"`
	Credit    string   `json:"credit,omitempty"`
	Published string   `json:"published"`
	URL       string   `json:"url"`
}

// releaseJSON groups the advisories fixed in one release.
type releaseJSON struct {
	Version    string         `json:"version"`
	Released   string         `json:"released,omitempty"`
	Advisories []advisoryJSON `json:"advisories"`
}

// updatesJSON is one page of the listing; next and previous are the URLs of
// the neighbouring pages, absent at either end.
type updatesJSON struct {
	Releases []releaseJSON `json:"releases"`
	pageLinks
}

// pageLinks place a page of a paged listing.
type pageLinks struct {
	Page     int    `json:"page"`
	Pages    int    `json:"pages"`
	Next     string `json:"next,omitempty"`
	Previous string `json:"previous,omitempty"`
}

// publicAdvisory lists a; base is the plugin's URL the links start from
// ("" for links relative to the HTML listing).
func publicAdvisory(a report.PublicAdvisory, base string) advisoryJSON {
	out := advisoryJSON{ID: a.ID, Title: a.Title, Rating: ratingLabel(a.Rating), Score: a.Score, CVE: a.CVE, Credit: a.Credit,
		Published: a.Published.UTC().Format(report.DateLayout), URL: advisoryURL(base, a.ID)}
	for _, v := range a.FixedIn {
		out.FixedIn = append(out.FixedIn, v.Version)
	}
	return out
}

func ratingLabel(r report.Rating) string {
	if r == "" {
		return "Unrated"
	}
	return r.Label()
}

// advisoryURL is the page of one advisory under the plugin's URL base.
func advisoryURL(base, id string) string {
	return routes.AdvisoryPage(base+routes.SecurityUpdates, id)
}

// osvPath is the route of one advisory's OSV document.
func osvPath(id string) string {
	return strings.Replace(routes.AdvisoryOSV, "{id}", url.PathEscape(id), 1)
}

// groupByRelease lists each release with the advisories fixed in it, newest
// release first (by release date, then by version number). An advisory is
// listed once, under the newest release that fixes it, and names all of them:
// listed under each, it would repeat on a page (and its anchor with it).
func groupByRelease(advisories []report.PublicAdvisory, base string) []releaseJSON {
	byVersion := map[string]*releaseJSON{}
	for _, a := range advisories {
		if len(a.FixedIn) == 0 {
			continue // a fix always names a release
		}
		newest := a.FixedIn[0]
		for _, v := range a.FixedIn[1:] {
			if releaseNewer(v.Released, v.Version, newest.Released, newest.Version) {
				newest = v
			}
		}
		rel, ok := byVersion[newest.Version]
		if !ok {
			rel = &releaseJSON{Version: newest.Version}
			byVersion[newest.Version] = rel
		}
		if rel.Released == "" {
			rel.Released = newest.Released
		}
		rel.Advisories = append(rel.Advisories, publicAdvisory(a, base))
	}
	out := make([]releaseJSON, 0, len(byVersion))
	for _, rel := range byVersion {
		sort.SliceStable(rel.Advisories, func(i, j int) bool { return rel.Advisories[i].ID > rel.Advisories[j].ID })
		out = append(out, *rel)
	}
	sort.Slice(out, func(i, j int) bool {
		return releaseNewer(out[i].Released, out[i].Version, out[j].Released, out[j].Version)
	})
	return out
}

// releaseNewer orders releases newest first: by release date, then by
// version number.
func releaseNewer(releasedA, versionA, releasedB, versionB string) bool {
	if releasedA != releasedB {
		return releasedA > releasedB
	}
	return versionLess(versionB, versionA)
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
{{range .Releases}}<section>
<h2 id="release-{{.Version}}">{{.Version}}{{if .Released}} <small>released {{.Released}}</small>{{end}}</h2>
<ul class="advisories">
{{range .Advisories}}<li id="{{.ID}}"><a href="security-updates/{{.ID}}"><strong>{{.ID}}</strong></a>: <bdi>{{.Title}}</bdi>
<br>Severity: {{.Rating}}{{if .Score}} ({{printf "%.1f" .Score}}){{end}}{{if .CVE}} · {{.CVE}}{{end}} · Fixed in {{range $i, $v := .FixedIn}}{{if $i}}, {{end}}{{$v}}{{end}}{{if .Credit}} · Credit: <bdi>{{.Credit}}</bdi>{{end}}</li>
{{end}}</ul>
</section>
{{else}}<p>No security updates have been published yet.</p>
{{end}}{{if gt .Pages 1}}<nav class="pages">{{with .Previous}}<a rel="prev" href="{{.}}">Newer updates</a> · {{end}}Page {{.Page}} of {{.Pages}}{{with .Next}} · <a rel="next" href="{{.}}">Older updates</a>{{end}}</nav>
{{end}}<p>Found a vulnerability? Please read our <a href="policy">responsible disclosure policy</a> and report it privately.</p>
`))

// advisoryBody is the page of one advisory: everything the public may know
// of it. Its links are relative to the page, one level below the listing.
var advisoryBody = template.Must(template.New("advisory").Parse(`<p><a href="../security-updates">← Security Updates</a></p>
<h1>{{.ID}}: <bdi>{{.Title}}</bdi></h1>
<dl class="advisory">
<dt>Severity</dt><dd>{{.Rating}}{{if .Score}} ({{printf "%.1f" .Score}}){{end}}{{if .Vector}} <code>{{.Vector}}</code>{{end}}</dd>
{{if .CVE}}<dt>CVE</dt><dd>{{.CVE}}</dd>
{{end}}{{if .Affected}}<dt>Affected versions</dt><dd>{{.Affected}}</dd>
{{end}}<dt>Fixed in</dt><dd>{{range $i, $v := .FixedIn}}{{if $i}}, {{end}}{{$v.Version}}{{if $v.Released}} (released {{$v.Released}}){{end}}{{end}}</dd>
{{if .Credit}}<dt>Credit</dt><dd><bdi>{{.Credit}}</bdi></dd>
{{end}}<dt>Published</dt><dd>{{.Published}}</dd>
</dl>
{{if .Summary}}<p>{{.Summary}}</p>
{{end}}<p>Also as an <a href="../{{.OSV}}">OSV document</a>. Found a vulnerability? Please read our <a href="../policy">responsible disclosure policy</a> and report it privately.</p>
`))

// advisoryView is what the advisory page shows.
type advisoryView struct {
	ID, Title, Rating, Vector, CVE, Affected, Credit, Summary, Published, OSV string
	Score                                                                     float64
	FixedIn                                                                   []report.FixedVersion
}

// renderAdvisoryHTML renders the page of one public advisory.
func renderAdvisoryHTML(a report.PublicAdvisory) (*renderedResponse, error) {
	view := advisoryView{ID: a.ID, Title: a.Title, Rating: ratingLabel(a.Rating), Vector: a.Vector, CVE: a.CVE, Affected: a.Affected,
		Credit: a.Credit, Summary: a.Summary, Published: a.Published.UTC().Format(report.DateLayout),
		OSV: strings.TrimPrefix(osvPath(a.ID), "/"), Score: a.Score, FixedIn: a.FixedIn}
	var body bytes.Buffer
	if err := advisoryBody.Execute(&body, view); err != nil {
		return nil, errors.Wrap(err, "render an advisory")
	}
	resp := captureResponse(func(w http.ResponseWriter) {
		writePage(w, http.StatusOK, page{
			Title: a.ID + ": " + a.Title,
			Body:  template.HTML(body.String()), //nolint:gosec // rendered by html/template above, which escapes every field
		})
	})
	return &resp, nil
}

// updatesPage is what the HTML template shows; its links are relative
// (relativeLinks): Previous is the newer page, Next the older.
type updatesPage struct {
	Releases []releaseJSON
	pageLinks
}

func renderUpdatesHTML(advisories []report.PublicAdvisory, n, pages int) (*renderedResponse, error) {
	data := updatesPage{Releases: groupByRelease(advisories, ""), pageLinks: relativeLinks(routes.SecurityUpdates, n, pages)}
	var body bytes.Buffer
	if err := updatesBody.Execute(&body, data); err != nil {
		return nil, errors.Wrap(err, "render the Security Updates")
	}
	resp := captureResponse(func(w http.ResponseWriter) {
		writePage(w, http.StatusOK, page{
			Title: "Security Updates",
			Body:  template.HTML(body.String()), //nolint:gosec // rendered by html/template above, which escapes every field
		})
	})
	return &resp, nil
}

func renderUpdatesJSON(advisories []report.PublicAdvisory, base string, links pageLinks) *renderedResponse {
	resp := captureResponse(func(w http.ResponseWriter) {
		writeJSON(w, http.StatusOK, updatesJSON{Releases: groupByRelease(advisories, base), pageLinks: links})
	})
	return &resp
}

// pageURL is the URL of page n of a listing at base; page 1 is the listing's
// own URL, so links to it match the URL everyone already has.
func pageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "?page=" + strconv.Itoa(n)
}

// relativeLinks places page of pages of the HTML listing at route, with
// links relative to the page itself, like its policy link, so the page reads
// the same under any site URL.
func relativeLinks(route string, page, pages int) pageLinks {
	return linksFor(strings.TrimPrefix(route, "/"), page, pages)
}

// linksFor places page of pages of the listing at base (an absolute URL, or
// a relative one for relativeLinks).
func linksFor(base string, page, pages int) pageLinks {
	links := pageLinks{Page: page, Pages: pages}
	if page < pages {
		links.Next = pageURL(base, page+1)
	}
	if page > 1 {
		links.Previous = pageURL(base, page-1)
	}
	return links
}
