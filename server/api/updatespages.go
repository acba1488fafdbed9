package api

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// updatesFormat is one of the Security Updates listings, or a single advisory.
type updatesFormat int

const (
	formatHTML updatesFormat = iota
	formatJSON
	formatOSVList
	formatAdvisoryOSV
)

// updatesKey names a response rendered on demand: a page of a listing, or one
// advisory's OSV document (by its upper-cased id).
type updatesKey struct {
	format updatesFormat
	page   int
	id     string
}

// updatesRender is the Security Updates at one revision under one generation
// of the settings: the advisories newest first, page 1 of each listing, and
// the responses rendered since, of which only the most recent are kept.
type updatesRender struct {
	cfg        *publicConfig
	advisories []report.PublicAdvisory
	byID       map[string]int // upper-cased id → index in advisories
	pages      int
	first      map[updatesFormat]*renderedResponse
	later      *responseLRU[updatesKey]
}

func renderUpdates(u *report.SecurityUpdates, cfg *publicConfig) (*updatesRender, error) {
	// Newest first by publication; the stored order (newest added first)
	// breaks ties, so every server orders, and tags, a page alike.
	advisories := append([]report.PublicAdvisory(nil), u.Advisories...)
	sort.SliceStable(advisories, func(i, j int) bool { return advisories[i].Published.After(advisories[j].Published) })
	out := &updatesRender{
		cfg:        cfg,
		advisories: advisories,
		byID:       make(map[string]int, len(advisories)),
		pages:      max(1, (len(advisories)+advisoriesPerPage-1)/advisoriesPerPage),
		first:      map[updatesFormat]*renderedResponse{},
		later:      newResponseLRU[updatesKey](laterPagesKept),
	}
	for i, a := range advisories {
		out.byID[strings.ToUpper(a.ID)] = i
	}
	for _, format := range []updatesFormat{formatHTML, formatJSON, formatOSVList} {
		resp, err := out.renderPage(format, 1)
		if err != nil {
			return nil, err
		}
		out.first[format] = resp
	}
	return out, nil
}

// page returns page n of a listing; nil past the last page.
func (u *updatesRender) page(format updatesFormat, n int) (*renderedResponse, error) {
	if n < 1 || n > u.pages {
		return nil, nil
	}
	if n == 1 {
		return u.first[format], nil
	}
	return u.later.cached(updatesKey{format: format, page: n}, func() (*renderedResponse, error) {
		return u.renderPage(format, n)
	})
}

func (u *updatesRender) renderPage(format updatesFormat, n int) (*renderedResponse, error) {
	from := (n - 1) * advisoriesPerPage
	advisories := u.advisories[from:min(from+advisoriesPerPage, len(u.advisories))]
	settings := u.cfg.settings
	switch format {
	case formatJSON:
		return renderUpdatesJSON(advisories, linksFor(settings.pluginURL()+routes.SecurityUpdatesJSON, n, u.pages)), nil
	case formatOSVList:
		return renderOSVList(advisories, settings, linksFor(settings.pluginURL()+routes.AdvisoriesOSV, n, u.pages)), nil
	default:
		return renderUpdatesHTML(advisories, n, u.pages)
	}
}

// advisory returns the OSV document of a public advisory; nil for any id that
// is not one (unknown, embargoed, malformed), so they all answer alike.
func (u *updatesRender) advisory(id string) *renderedResponse {
	id = strings.ToUpper(id)
	i, ok := u.byID[id]
	if !ok {
		return nil
	}
	resp, _ := u.later.cached(updatesKey{format: formatAdvisoryOSV, id: id}, func() (*renderedResponse, error) {
		return renderOSV(u.advisories[i], u.cfg.settings), nil
	})
	return resp
}

func (p *publicPages) securityUpdatesPage(w http.ResponseWriter, r *http.Request) {
	p.serveUpdates(w, r, formatHTML)
}

func (p *publicPages) securityUpdatesJSON(w http.ResponseWriter, r *http.Request) {
	p.serveUpdates(w, r, formatJSON)
}

func (p *publicPages) advisoriesOSV(w http.ResponseWriter, r *http.Request) {
	p.serveUpdates(w, r, formatOSVList)
}

// serveUpdates answers with page ?page=N (1 when absent) of a listing.
func (p *publicPages) serveUpdates(w http.ResponseWriter, r *http.Request, format updatesFormat) {
	if !p.config().settings.SecurityUpdates {
		notFound(w)
		return
	}
	n, ok := pageParam(r)
	if !ok {
		writeJSONError(w, http.StatusBadRequest, "invalid_page", "The page must be a whole number, 1 or more.")
		return
	}
	current, err := p.updates.get()
	if err != nil {
		p.log.Warn("Could not load the Security Updates", "error", err.Error())
		http.Error(w, "The Security Updates are unavailable right now; please try again.", http.StatusServiceUnavailable)
		return
	}
	resp, err := current.page(format, n)
	switch {
	case err != nil:
		p.log.Warn("Could not render a page of the Security Updates", "page", n, "error", err.Error())
		http.Error(w, "The Security Updates are unavailable right now; please try again.", http.StatusServiceUnavailable)
	case resp == nil:
		notFound(w)
	default:
		serveRendered(w, r, resp)
	}
}

// pageParam reads ?page=N; a request without it asks for page 1.
func pageParam(r *http.Request) (int, bool) {
	if r.URL.RawQuery == "" {
		return 1, true
	}
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1
}

// advisoryOSV serves one public advisory in the OSV format. Anything not public
// (unknown, embargoed, malformed) answers exactly alike.
func (p *publicPages) advisoryOSV(w http.ResponseWriter, r *http.Request) {
	if !p.config().settings.SecurityUpdates {
		notFound(w)
		return
	}
	current, err := p.updates.get()
	if err != nil {
		p.log.Warn("Could not load the Security Updates", "error", err.Error())
		http.Error(w, "The advisory is unavailable right now; please try again.", http.StatusServiceUnavailable)
		return
	}
	resp := current.advisory(mux.Vars(r)["id"])
	if resp == nil {
		notFound(w)
		return
	}
	serveRendered(w, r, resp)
}
