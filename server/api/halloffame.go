package api

import (
	"bytes"
	"html/template"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

// publicPages serves the Hall of Fame, the Security Updates, security.txt,
// the policy and the PGP key from memory, and takes imports of the historical
// list.
type publicPages struct {
	log        Logger
	hallOfFame *service.HallOfFame
	disclosure *service.Disclosure
	signer     *signing.Signer
	ephemeral  func(userID, channelID, message string)
	now        func() time.Time
	settingsHolder

	hall    revisioned[hallRender]
	updates revisioned[updatesRender]
}

// hallRender is the list rendered at one revision of the aggregate, page by
// page: the full responses, headers included, ready to send. A page holds
// namesPerPage names, so a request costs the same however many researchers
// the program has credited over the years.
type hallRender struct {
	html []renderedResponse
	json []renderedResponse
}

// namesPerPage is how many names a page of the Hall of Fame lists.
const namesPerPage = 40

func newPublicPages(deps Deps) *publicPages {
	p := &publicPages{
		log:            deps.Log,
		hallOfFame:     deps.HallOfFame,
		disclosure:     deps.Disclosure,
		signer:         deps.Signer,
		ephemeral:      deps.Ephemeral,
		now:            deps.Now,
		settingsHolder: settingsHolder{log: deps.Log},
	}
	if p.now == nil {
		p.now = time.Now
	}
	p.apply(deps.Public)
	warn := func(message string, err error) { p.log.Warn(message, "error", err.Error()) }
	p.hall = revisioned[hallRender]{
		now: p.now, interval: revisionCheckInterval, config: p.config, epoch: deps.Changes.hallEpoch, warn: warn,
		revision: p.hallOfFame.Revision,
		render: func(cfg *publicConfig) (*hallRender, int64, error) {
			view, err := p.hallOfFame.List()
			if err != nil {
				return nil, 0, err
			}
			rendered, err := renderHall(view, cfg.settings.pluginURL())
			return rendered, view.Rev, err
		},
	}
	p.updates = revisioned[updatesRender]{
		now: p.now, interval: revisionCheckInterval, config: p.config, epoch: deps.Changes.updatesEpoch, warn: warn,
		revision: p.disclosure.SecurityUpdatesRevision,
		render: func(cfg *publicConfig) (*updatesRender, int64, error) {
			// The revision before the advisories: a change landing between
			// the two reads is rendered again at the next check.
			rev, err := p.disclosure.SecurityUpdatesRevision()
			if err != nil {
				return nil, 0, err
			}
			list, err := p.disclosure.PublicAdvisories()
			if err != nil {
				return nil, 0, err
			}
			rendered, err := renderUpdates(list.Count, list.Newest, p.disclosure.PublicAdvisory, cfg)
			return rendered, rev, err
		},
	}
	return p
}

func (p *publicPages) register(rs routeTable) {
	rs.public(routes.Policy, p.policyPage, http.MethodGet, http.MethodHead)
	rs.public(routes.HallOfFame, p.hallOfFamePage, http.MethodGet, http.MethodHead)
	rs.public(routes.HallOfFameJSON, p.hallOfFameJSON, http.MethodGet, http.MethodHead)
	rs.public(routes.SecurityTxt, p.securityTxt, http.MethodGet, http.MethodHead)
	rs.public(routes.PGPKey, p.pgpKey, http.MethodGet, http.MethodHead)
	rs.public(routes.SecurityUpdates, p.securityUpdatesPage, http.MethodGet, http.MethodHead)
	rs.public(routes.SecurityUpdate, p.advisoryPage, http.MethodGet, http.MethodHead)
	rs.public(routes.SecurityUpdatesJSON, p.securityUpdatesJSON, http.MethodGet, http.MethodHead)
	rs.public(routes.AdvisoriesOSV, p.advisoriesOSV, http.MethodGet, http.MethodHead)
	rs.public(routes.AdvisoryOSV, p.advisoryOSV, http.MethodGet, http.MethodHead)
	rs.authed(routes.HallOfFameImport, p.importHallOfFame, http.MethodPost)
	rs.authed(routes.HallImportDialog, p.submitHallImport, http.MethodPost)
}

func notFound(w http.ResponseWriter) {
	writeJSONError(w, http.StatusNotFound, "not_found", "Not found.")
}

func (p *publicPages) hallOfFamePage(w http.ResponseWriter, r *http.Request) {
	p.serveHall(w, r, func(c *hallRender) []renderedResponse { return c.html })
}

func (p *publicPages) hallOfFameJSON(w http.ResponseWriter, r *http.Request) {
	p.serveHall(w, r, func(c *hallRender) []renderedResponse { return c.json })
}

// serveHall answers with page ?page=N (1 when absent) of the rendering in
// memory (see revisioned). no-cache makes browsers revalidate every time: an
// opt-out must disappear at once, and the ETag keeps revalidation cheap.
func (p *publicPages) serveHall(w http.ResponseWriter, r *http.Request, pick func(*hallRender) []renderedResponse) {
	if !p.config().settings.HallOfFame {
		notFound(w)
		return
	}
	n, ok := pageParam(r)
	if !ok {
		writeJSONError(w, http.StatusBadRequest, "invalid_page", "The page must be a whole number, 1 or more.")
		return
	}
	current, err := p.hall.get()
	if err != nil {
		p.log.Warn("Could not load the Hall of Fame", "error", err.Error())
		http.Error(w, "The Hall of Fame is unavailable right now; please try again.", http.StatusServiceUnavailable)
		return
	}
	pages := pick(current)
	if n > len(pages) {
		notFound(w)
		return
	}
	serveRendered(w, r, &pages[n-1])
}

// hallEntryJSON is one entry of the public JSON: what the page shows, nothing
// more (no user ids, no report ids).
type hallEntryJSON struct {
	Position      int    `json:"position"`
	Name          string `json:"name"`
	Affiliation   string `json:"affiliation"`
	Contributions int    `json:"contributions"`
	// LatestContribution is a date (YYYY-MM-DD); empty when unknown.
	LatestContribution string `json:"latest_contribution"`
	// Credit is the line as the page prints it.
	Credit string `json:"credit"`
}

type hallJSON struct {
	Entries []hallEntryJSON `json:"entries"`
	pageLinks
}

var hallBody = template.Must(template.New("hall").Parse(`<h1>Hall of Fame</h1>
<p>We thank the security researchers below, who found vulnerabilities in our products and reported them to us privately and responsibly. With their permission, they are listed by number of contributions, then by how recent their latest contribution is.</p>
{{if .Entries}}<ol class="hall-of-fame"{{if gt .Start 1}} start="{{.Start}}"{{end}}>
{{range .Entries}}<li><bdi>{{.Name}}</bdi>{{if .Affiliation}} <bdi>{{.Affiliation}}</bdi>{{end}}{{with .Count}} {{.}}{{end}}</li>
{{end}}</ol>
{{else}}<p>No one is listed yet.</p>
{{end}}{{if gt .Pages 1}}<nav class="pages">{{with .Previous}}<a rel="prev" href="{{.}}">Previous names</a> · {{end}}Page {{.Page}} of {{.Pages}}{{with .Next}} · <a rel="next" href="{{.}}">More names</a>{{end}}</nav>
{{end}}<p>Found a vulnerability? Please read our <a href="policy">responsible disclosure policy</a> and report it privately.</p>
`))

// hallPage is what the HTML template shows of one page; its links are
// relative (relativeLinks).
type hallPage struct {
	Entries []halloffame.Entry
	Start   int // the position of the first name
	pageLinks
}

// renderHall renders every page, HTML and JSON, once per revision; pluginURL
// makes the JSON's links absolute.
func renderHall(view *service.HallOfFameView, pluginURL string) (*hallRender, error) {
	pages := max(1, (len(view.Entries)+namesPerPage-1)/namesPerPage)
	out := &hallRender{html: make([]renderedResponse, pages), json: make([]renderedResponse, pages)}
	for n := 1; n <= pages; n++ {
		from := (n - 1) * namesPerPage
		entries := view.Entries[from:min(from+namesPerPage, len(view.Entries))]
		data := hallPage{Entries: entries, Start: from + 1, pageLinks: relativeLinks(routes.HallOfFame, n, pages)}
		var body bytes.Buffer
		if err := hallBody.Execute(&body, data); err != nil {
			return nil, errors.Wrap(err, "render the Hall of Fame")
		}
		out.html[n-1] = captureResponse(func(w http.ResponseWriter) {
			writePage(w, http.StatusOK, page{
				Title: "Hall of Fame",
				Body:  template.HTML(body.String()), //nolint:gosec // rendered by html/template above, which escapes every name
			})
		})

		js := hallJSON{Entries: make([]hallEntryJSON, 0, len(entries)), pageLinks: linksFor(pluginURL+routes.HallOfFameJSON, n, pages)}
		for i, e := range entries {
			j := hallEntryJSON{Position: from + i + 1, Name: e.Name, Affiliation: e.Affiliation, Contributions: e.Contributions, Credit: e.Line()}
			if !e.Latest.IsZero() {
				j.LatestContribution = e.Latest.Format(halloffame.ImportDateLayout)
			}
			js.Entries = append(js.Entries, j)
		}
		out.json[n-1] = captureResponse(func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, js) })
	}
	return out, nil
}

// importHallOfFame replaces the imported historical list from a CSV or JSON
// body (by Content-Type). System admins only; others get 403.
func (p *publicPages) importHallOfFame(w http.ResponseWriter, r *http.Request) {
	userID := UserID(r)
	if !p.hallOfFame.IsSystemAdmin(userID) {
		writeJSONError(w, http.StatusForbidden, "forbidden", "Only system admins can import the Hall of Fame.")
		return
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var parse func([]byte) ([]halloffame.ImportedEntry, error)
	switch mediaType {
	case "text/csv", "application/csv", "text/plain":
		parse = halloffame.ParseCSV
	case "application/json":
		parse = halloffame.ParseJSON
	default:
		writeJSONError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the list as text/csv or application/json.")
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		writeJSONError(w, http.StatusRequestEntityTooLarge, "too_large", "The list is too large.")
		return
	}
	entries, err := parse(data)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid_import", importMessage(err))
		return
	}
	res, err := p.hallOfFame.Import(userID, entries)
	switch {
	case errors.Is(err, service.ErrNotAdmin):
		writeJSONError(w, http.StatusForbidden, "forbidden", "Only system admins can import the Hall of Fame.")
	case err != nil:
		p.log.Warn("Could not import the Hall of Fame", "error", err.Error())
		writeJSONError(w, http.StatusInternalServerError, "internal", userMessage(err))
	default:
		writeJSON(w, http.StatusOK, importAnswer{Imported: res.Imported, DroppedLinks: nonNil(res.DroppedLinks)})
	}
}

type importAnswer struct {
	Imported     int      `json:"imported"`
	DroppedLinks []string `json:"dropped_links"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func importMessage(err error) string {
	var ie *halloffame.ImportError
	if errors.As(err, &ie) {
		return ie.Error()
	}
	return "The list could not be read."
}

// submitHallImport imports the CSV pasted into the dialog that
// `/security halloffame import` opens.
func (p *publicPages) submitHallImport(w http.ResponseWriter, r *http.Request) {
	req, _, ok := readSubmission(w, r, p.signer, kind(dialog.KindHallImport))
	if !ok {
		return
	}
	userID := UserID(r)
	if !p.hallOfFame.IsSystemAdmin(userID) {
		dialogError(w, "Only system admins can import the Hall of Fame.")
		return
	}
	entries, err := halloffame.ParseCSV([]byte(dialog.ParseHallImport(req.Submission)))
	if err != nil {
		fieldErrors(w, report.FieldErrors{dialog.FieldHallCSV: importMessage(err)})
		return
	}
	res, err := p.hallOfFame.Import(userID, entries)
	if err != nil {
		if errors.Is(err, service.ErrNotAdmin) {
			dialogError(w, "Only system admins can import the Hall of Fame.")
			return
		}
		p.log.Warn("Could not import the Hall of Fame", "error", err.Error())
		dialogError(w, userMessage(err))
		return
	}
	p.ephemeral(userID, req.ChannelId, importSummary(res))
	w.WriteHeader(http.StatusOK)
}

// importSummary tells the admin what an import did.
func importSummary(res *service.ImportResult) string {
	msg := "Imported " + plural(res.Imported, "Hall of Fame entry", "Hall of Fame entries") + "; they replace the earlier import. See the list with `/security halloffame`."
	if len(res.DroppedLinks) > 0 {
		msg += " These links were removed because the new list no longer has the name: " + strings.Join(quoteAll(res.DroppedLinks), ", ") + "."
	}
	return msg
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// quoteAll renders imported names inert: they are text from a list, shown in chat.
func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = inert.Span(n)
	}
	return out
}
