package api

import (
	"context"
	"net/http"
	"runtime/debug"
)

// maxBodyBytes bounds every request body. The largest legitimate body is a report
// dialog submission: a few fields of at most 20,000 characters each.
const maxBodyBytes = 1 << 20

type contextKey int

const userIDKey contextKey = iota

// UserID returns the id the server authenticated for this request; set only on
// routes behind requireUser.
func UserID(r *http.Request) string {
	id, _ := r.Context().Value(userIDKey).(string)
	return id
}

// recoverPanics answers 500 when a handler panics, so the client never waits on a
// dropped connection, and logs the stack for the admin.
func recoverPanics(log Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					log.Error("Recovered from a panic in an HTTP handler", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// limitBody caps request bodies; a handler reading past the cap gets an error.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// requireUser admits only requests the server authenticated. The server sets
// Mattermost-User-ID itself and strips any value a client sends, so it is the only
// identity trusted here.
func requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID := r.Header.Get("Mattermost-User-ID")
		if userID == "" {
			writeJSONError(w, http.StatusUnauthorized, "not_authenticated", "Log in to Mattermost first.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userIDKey, userID)))
	})
}
