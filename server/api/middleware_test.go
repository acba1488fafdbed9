package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
)

func TestRecoverPanicsAnswers500(t *testing.T) {
	api := &plugintest.API{}
	api.On("LogError", "Recovered from a panic in an HTTP handler", "path", "/boom", "panic", "kaboom", "stack", mock.AnythingOfType("string")).Once()
	client := pluginapi.NewClient(api, nil)

	h := recoverPanics(&client.Log)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("kaboom") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/boom", nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	api.AssertExpectations(t)
}

func TestRequireUser(t *testing.T) {
	h := requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello "+UserID(r))
	}))
	tests := []struct {
		name   string
		header string
		status int
		body   string
	}{
		{"anonymous", "", http.StatusUnauthorized, `"error":"not_authenticated"`},
		{"authenticated", "user1", http.StatusOK, "hello user1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/x", nil)
			if tt.header != "" {
				r.Header.Set("Mattermost-User-ID", tt.header)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.status, w.Code)
			assert.Contains(t, w.Body.String(), tt.body)
		})
	}
}

func TestLimitBody(t *testing.T) {
	var readErr error
	h := limitBody(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(strings.Repeat("a", maxBodyBytes))))
	assert.NoError(t, readErr)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(strings.Repeat("a", maxBodyBytes+1))))
	assert.Error(t, readErr)
}

func TestRouterAnswersUnknownRoutesWithJSON404(t *testing.T) {
	api := &plugintest.API{}
	client := pluginapi.NewClient(api, nil)
	router := NewRouter(Deps{Log: &client.Log})
	w := httptest.NewRecorder()
	router.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/nope", nil))
	assert.Equal(t, http.StatusNotFound, w.Code)
	assert.Contains(t, w.Body.String(), `"error":"not_found"`)

	w = httptest.NewRecorder()
	router.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/policy", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
}

func TestPolicyPage(t *testing.T) {
	tests := []struct {
		name     string
		policy   string
		contains []string
		excludes []string
	}{
		{"markdown", "## Rules\n\n- **Report privately.**\n- [Hall of Fame](https://example.com/hof)", []string{"<h2>Rules</h2>", "<strong>Report privately.</strong>", `<a href="https://example.com/hof">`}, nil},
		{"raw html dropped", "<script>alert(1)</script>\n\nok <img src=x onerror=alert(1)>", []string{"ok"}, []string{"<script>", "onerror"}},
		{"javascript link neutralised", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			router := NewRouter(Deps{Log: servicetest.Logger{}, Public: PublicSettings{Policy: tt.policy}})
			router.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/policy", nil))
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
			assert.Equal(t, pageCSP, w.Header().Get("Content-Security-Policy"))
			body := w.Body.String()
			assert.Contains(t, body, `<html lang="en">`)
			for _, s := range tt.contains {
				assert.Contains(t, body, s)
			}
			for _, s := range tt.excludes {
				assert.NotContains(t, body, s)
			}
		})
	}
}
