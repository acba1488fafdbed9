package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"x-gzip", true},
		{"*", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"deflate, br", false},
		{"identity", false},
		{"gzipped", false},
	} {
		assert.Equal(t, tc.want, acceptsGzip(tc.header), "Accept-Encoding: %q", tc.header)
	}
}

func TestALongRenderingIsServedGzippedToClientsThatAcceptIt(t *testing.T) {
	long := strings.Repeat("<li>Ada Lovelace, from Example Labs</li>\n", gzipAbove/40+1)
	for _, tc := range []struct {
		name, body, accept string
		gzipped            bool
	}{
		{"long, gzip accepted", long, "gzip, br", true},
		{"long, gzip not accepted", long, "br", false},
		{"long, no header", long, "", false},
		{"short, gzip accepted", "<p>No one yet.</p>", "gzip", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := captureResponse(func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = io.WriteString(w, tc.body)
			})
			req := httptest.NewRequest(http.MethodGet, "/public/hall-of-fame", nil)
			req.Header.Set("Accept-Encoding", tc.accept)
			rec := httptest.NewRecorder()
			serveRendered(rec, req, &resp)

			require.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Equal(t, resp.etag, rec.Header().Get("ETag"), "one ETag whatever the encoding")
			body := rec.Body.Bytes()
			if tc.gzipped {
				assert.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
				assert.Less(t, len(body), len(tc.body)/4, "a repetitive page compresses well")
				zr, err := gzip.NewReader(bytes.NewReader(body))
				require.NoError(t, err)
				body, err = io.ReadAll(zr)
				require.NoError(t, err)
			} else {
				assert.Empty(t, rec.Header().Get("Content-Encoding"))
			}
			assert.Equal(t, tc.body, string(body))
			if len(tc.body) >= gzipAbove {
				assert.Equal(t, "Accept-Encoding", rec.Header().Get("Vary"), "caches keep both encodings apart")
			}
		})
	}
}

func TestARevalidationIsAnsweredNotModifiedInEitherEncoding(t *testing.T) {
	resp := captureResponse(func(w http.ResponseWriter) { _, _ = io.WriteString(w, strings.Repeat("x", 4*gzipAbove)) })
	for _, accept := range []string{"gzip", ""} {
		req := httptest.NewRequest(http.MethodGet, "/public/hall-of-fame", nil)
		req.Header.Set("Accept-Encoding", accept)
		req.Header.Set("If-None-Match", resp.etag)
		rec := httptest.NewRecorder()
		serveRendered(rec, req, &resp)
		assert.Equal(t, http.StatusNotModified, rec.Code)
		assert.Empty(t, rec.Body.Bytes())
	}
}
