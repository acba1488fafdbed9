package api

import (
	"encoding/json"
	"net/http"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

// ErrorBody is every JSON error this plugin answers with: a stable code, a
// sentence for people, and where it applies the input field at fault or the
// report's current state (after a conflict).
type ErrorBody struct {
	Error   string              `json:"error"`
	Message string              `json:"message"`
	Field   string              `json:"field,omitempty"`
	Current *service.ReportView `json:"current,omitempty"`
}

// writeStatus sends a status other than 200 before a body. A 200 is left to
// the body's first Write: through the plugin RPC, WriteHeader is two round
// trips to the server of its own, a fifth of a small page's cost.
func writeStatus(w http.ResponseWriter, status int) {
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	writeStatus(w, status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, ErrorBody{Error: code, Message: message})
}
