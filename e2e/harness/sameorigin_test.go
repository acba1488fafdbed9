package harness

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoed is what the stand-in server saw of a proxied request.
type echoed struct {
	Host, Origin, ForwardedFor, Path, Query string
}

func TestSameOriginProxiesToTheServerAsTheSite(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(echoed{
			Host: r.Host, Origin: r.Header.Get("Origin"), ForwardedFor: r.Header.Get("X-Forwarded-For"),
			Path: r.URL.Path, Query: r.URL.RawQuery,
		})
	}))
	defer backend.Close()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "page.html"), []byte("<p>check</p>"), 0o644))

	page, err := StartSameOrigin(backend.URL, map[string][]string{"/_check/": {dir}})
	require.NoError(t, err)
	defer page.Close()
	pageHost := strings.TrimPrefix(page.URL, "http://")

	tests := []struct {
		name, origin, wantOrigin string
	}{
		{"the page's origin becomes the site's", page.URL, backend.URL},
		{"another origin passes unchanged", "http://elsewhere.example", "http://elsewhere.example"},
		{"no origin stays none", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := proxiedGet(t, page.URL+"/api/v4/users/me?x=1", tt.origin)
			assert.Equal(t, tt.wantOrigin, got.Origin)
			assert.Equal(t, pageHost, got.Host, "the browser's Host header reaches the server")
			assert.Equal(t, "127.0.0.1", got.ForwardedFor)
			assert.Equal(t, "/api/v4/users/me", got.Path)
			assert.Equal(t, "x=1", got.Query)
		})
	}

	t.Run("mounted files are served locally", func(t *testing.T) {
		resp, err := http.Get(page.URL + "/_check/page.html")
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "<p>check</p>", string(body))
		assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	})
}

func proxiedGet(t *testing.T, url, origin string) echoed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got echoed
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	return got
}
