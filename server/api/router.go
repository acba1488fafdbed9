// Package api is the plugin's HTTP surface: dialog submissions, button actions,
// the webapp's REST API and the public pages. Each route is registered as either
// public or authenticated, explicitly, so no public route ever has to be carved out
// of an auth check by hand.
package api

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/mattermost/mattermost/server/public/pluginapi"
)

// Deps is what the handlers need from the rest of the plugin.
type Deps struct {
	Log pluginapi.LogService
	// Policy returns the configured policy text (Markdown).
	Policy func() string
}

type routes struct {
	router *mux.Router
}

// public registers a route anyone may call, logged in or not.
func (rs routes) public(path string, h http.HandlerFunc, methods ...string) {
	rs.router.Handle(path, h).Methods(methods...)
}

// authed registers a route only users the server authenticated may call.
func (rs routes) authed(path string, h http.HandlerFunc, methods ...string) {
	rs.router.Handle(path, requireUser(h)).Methods(methods...)
}

// NewRouter builds the plugin's HTTP handler.
func NewRouter(deps Deps) http.Handler {
	router := mux.NewRouter()
	router.Use(recoverPanics(deps.Log), limitBody)
	router.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSONError(w, http.StatusNotFound, "not_found", "Not found.")
	})
	router.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSONError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed.")
	})

	rs := routes{router: router}
	rs.public("/policy", policyPage(deps.Policy), http.MethodGet)
	return router
}
