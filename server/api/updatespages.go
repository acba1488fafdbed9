package api

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

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
	formatAdvisoryHTML
)

// updatesKey names a response rendered on demand: a page of a listing, or one
// advisory's OSV document (by its upper-cased id).
type updatesKey struct {
	format updatesFormat
	page   int
	id     string
}

// updatesRender is the Security Updates at one revision under one generation
// of the settings: page 1 of each listing, and the responses rendered since
// (later pages, single advisories), of which only the most recent are kept.
// It holds no advisory itself: a later page reads the one or two shards that
// hold it, so memory does not grow with the number of advisories.
type updatesRender struct {
	cfg   *publicConfig
	count int // public advisories at this revision
	pages int
	// newest reads the advisories at newest-first places from..to-1, as they
	// were at this revision's count (positions never move; see store).
	newest func(from, to int) ([]report.PublicAdvisory, error)
	// byID reads one public advisory (any case); ok false when not public.
	byID  func(id string) (report.PublicAdvisory, bool, error)
	first map[updatesFormat]*renderedResponse
	later *responseLRU[updatesKey]
}

// notPublic is cached for an advisory id that is not public, so a repeated
// request for it reads nothing either.
var notPublic = &renderedResponse{}

func renderUpdates(count int, newest func(from, to int) ([]report.PublicAdvisory, error),
	byID func(string) (report.PublicAdvisory, bool, error), cfg *publicConfig) (*updatesRender, error) {
	out := &updatesRender{
		cfg:    cfg,
		count:  count,
		pages:  max(1, (count+advisoriesPerPage-1)/advisoriesPerPage),
		newest: newest,
		byID:   byID,
		first:  map[updatesFormat]*renderedResponse{},
		later:  newResponseLRU[updatesKey](laterPagesKept),
	}
	advisories, err := out.page1()
	if err != nil {
		return nil, err
	}
	for _, format := range []updatesFormat{formatHTML, formatJSON, formatOSVList} {
		resp, err := out.renderPage(format, 1, advisories)
		if err != nil {
			return nil, err
		}
		out.first[format] = resp
	}
	return out, nil
}

func (u *updatesRender) page1() ([]report.PublicAdvisory, error) {
	return u.newest(0, advisoriesPerPage)
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
		advisories, err := u.newest((n-1)*advisoriesPerPage, n*advisoriesPerPage)
		if err != nil {
			return nil, err
		}
		return u.renderPage(format, n, advisories)
	})
}

func (u *updatesRender) renderPage(format updatesFormat, n int, advisories []report.PublicAdvisory) (*renderedResponse, error) {
	settings := u.cfg.settings
	switch format {
	case formatJSON:
		return renderUpdatesJSON(advisories, settings.pluginURL(), linksFor(settings.pluginURL()+routes.SecurityUpdatesJSON, n, u.pages)), nil
	case formatOSVList:
		return renderOSVList(advisories, settings, linksFor(settings.pluginURL()+routes.AdvisoriesOSV, n, u.pages)), nil
	default:
		return renderUpdatesHTML(advisories, n, u.pages)
	}
}

// advisory returns one public advisory in a format (its OSV document, its
// page); nil for any id that is not one (unknown, embargoed, malformed), so
// they all answer alike.
func (u *updatesRender) advisory(format updatesFormat, id string) (*renderedResponse, error) {
	id = strings.ToUpper(id)
	if utf8.RuneCountInString(id) > report.MaxAdvisoryIDRunes {
		return nil, nil
	}
	resp, err := u.later.cached(updatesKey{format: format, id: id}, func() (*renderedResponse, error) {
		a, ok, err := u.byID(id)
		if err != nil || !ok {
			return notPublic, err
		}
		if format == formatAdvisoryHTML {
			return renderAdvisoryHTML(a)
		}
		return renderOSV(a, u.cfg.settings), nil
	})
	if resp == notPublic {
		return nil, err
	}
	return resp, err
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
	p.serveAdvisory(w, r, formatAdvisoryOSV)
}

// advisoryPage serves the page of one public advisory, as advisoryOSV.
func (p *publicPages) advisoryPage(w http.ResponseWriter, r *http.Request) {
	p.serveAdvisory(w, r, formatAdvisoryHTML)
}

func (p *publicPages) serveAdvisory(w http.ResponseWriter, r *http.Request, format updatesFormat) {
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
	resp, err := current.advisory(format, mux.Vars(r)["id"])
	switch {
	case err != nil:
		p.log.Warn("Could not read an advisory", "error", err.Error())
		http.Error(w, "The advisory is unavailable right now; please try again.", http.StatusServiceUnavailable)
	case resp == nil:
		notFound(w)
	default:
		serveRendered(w, r, resp)
	}
}
