// Package api is the plugin's HTTP surface: dialog submissions, button actions,
// the webapp's REST API and the public pages. Each route is registered as either
// public or authenticated, explicitly, so no public route ever has to be carved out
// of an auth check by hand.
package api

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

// Logger is the part of the plugin's logger the handlers use.
type Logger interface {
	Warn(message string, keyValuePairs ...any)
	Error(message string, keyValuePairs ...any)
}

// Deps is what the handlers need from the rest of the plugin.
type Deps struct {
	Log Logger
	// The use cases the routes call.
	Intake     *service.Intake
	Triage     *service.Triage
	Clocks     *service.Clocks
	Staging    *service.Staging
	Disclosure *service.Disclosure
	HallOfFame *service.HallOfFame
	Signer     *signing.Signer
	// OpenDialog opens an interactive dialog for the user who holds triggerID.
	OpenDialog func(triggerID, url string, d model.Dialog) error
	// Ephemeral shows a message only userID sees, in channelID.
	Ephemeral func(userID, channelID, message string)
	// PluginURL is the path prefix of the plugin's routes, "/plugins/<id>".
	PluginURL string
	// Public are the settings the public pages start with; later ones arrive
	// through Router.SetPublicSettings. Now is their clock (nil: time.Now).
	Public PublicSettings
	Now    func() time.Time
	// Changes learns of the changes made through this server, so its public
	// pages show them at once (nil: at the next revision check).
	Changes *PublicChanges
}

// Router is the plugin's HTTP handler.
type Router struct {
	mux   *mux.Router
	pages *publicPages
}

// ServeHTTP routes a request.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.mux.ServeHTTP(w, req) }

// SetPublicSettings hands the public pages the settings of a configuration
// change; pages rendered under different settings are rendered again.
func (r *Router) SetPublicSettings(s PublicSettings) { r.pages.apply(s) }

// API holds the handlers' dependencies.
type API struct {
	log                Logger
	intake             *service.Intake
	triage             *service.Triage
	clocks             *service.Clocks
	staging            *service.Staging
	hall               *service.HallOfFame
	signer             *signing.Signer
	openDialog         func(triggerID, url string, d model.Dialog) error
	ephemeral          func(userID, channelID, message string)
	actionDialogURL    string
	stagingDecisionURL string
}

type routeTable struct {
	router *mux.Router
}

// public registers a route anyone may call, logged in or not.
func (rs routeTable) public(path string, h http.HandlerFunc, methods ...string) {
	rs.router.Handle(path, h).Methods(methods...)
}

// authed registers a route only users the server authenticated may call.
func (rs routeTable) authed(path string, h http.HandlerFunc, methods ...string) {
	rs.router.Handle(path, requireUser(h)).Methods(methods...)
}

// NewRouter builds the plugin's HTTP handler.
func NewRouter(deps Deps) *Router {
	a := &API{
		log:             deps.Log,
		intake:          deps.Intake,
		triage:          deps.Triage,
		clocks:          deps.Clocks,
		staging:         deps.Staging,
		hall:            deps.HallOfFame,
		signer:          deps.Signer,
		openDialog:      deps.OpenDialog,
		ephemeral:       deps.Ephemeral,
		actionDialogURL: deps.PluginURL + routes.ActionDialog,

		stagingDecisionURL: deps.PluginURL + routes.StagingDecision,
	}
	router := mux.NewRouter()
	router.Use(recoverPanics(deps.Log), limitBody)
	router.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSONError(w, http.StatusNotFound, "not_found", "Not found.")
	})
	router.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSONError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed.")
	})

	rs := routeTable{router: router}
	rs.authed(routes.ReportDialog, a.submitReport, http.MethodPost)
	rs.authed(routes.ActionDialog, a.submitAction, http.MethodPost)
	rs.authed(routes.CreditDialog, a.submitCredit, http.MethodPost)
	rs.authed(routes.CardAction, a.cardAction, http.MethodPost)
	rs.authed(routes.Stats, a.stats, http.MethodGet)
	rs.authed(routes.StagingDialog, a.submitStaging, http.MethodPost)
	rs.authed(routes.StagingDecision, a.submitStagingDecision, http.MethodPost)
	rs.authed(routes.StagingAction, a.stagingAction, http.MethodPost)
	rs.authed(routes.Mine, a.mine, http.MethodGet)
	rs.authed(routes.Queue, a.queue, http.MethodGet)
	rs.authed(routes.Report, a.getReport, http.MethodGet)
	rs.authed(routes.ReportAction, a.reportAction, http.MethodPost)
	pages := newPublicPages(deps)
	pages.register(rs) // policy, Hall of Fame and its import, Security Updates, security.txt, PGP key
	return &Router{mux: router, pages: pages}
}
