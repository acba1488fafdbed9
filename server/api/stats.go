package api

import (
	"net/http"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

// stats answers the program metrics; anyone but a system admin gets 404, as for
// a route that does not exist.
func (a *API) stats(w http.ResponseWriter, r *http.Request) {
	st, err := a.clocks.AdminStats(UserID(r))
	switch {
	case errors.Is(err, service.ErrNotFound):
		writeJSONError(w, http.StatusNotFound, "not_found", "Not found.")
	case err != nil:
		a.log.Warn("Could not compute program metrics", "error", err.Error())
		writeJSONError(w, http.StatusInternalServerError, "internal", "The metrics could not be computed.")
	default:
		writeJSON(w, http.StatusOK, st)
	}
}
