package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// renderedResponse is a response captured once and replayed to every request.
type renderedResponse struct {
	header http.Header
	status int
	body   []byte
	etag   string
}

// serveRendered sends a captured response: what every public page answers,
// from memory. no-cache makes browsers revalidate every time (an opt-out or a
// new advisory shows at once) and the ETag keeps revalidation cheap.
func serveRendered(w http.ResponseWriter, r *http.Request, resp *renderedResponse) {
	h := w.Header()
	h.Set("ETag", resp.etag)
	h.Set("Cache-Control", "no-cache")
	if etagMatches(r.Header.Get("If-None-Match"), resp.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for k, v := range resp.header {
		h[k] = append([]string(nil), v...)
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body) //nolint:gosec // a body rendered earlier by html/template or encoding/json; request values only choose which one
}

// captureResponse runs a writer once and keeps what it wrote, with a strong
// ETag from the body: two servers rendering the same list agree on it.
func captureResponse(write func(http.ResponseWriter)) renderedResponse {
	rec := &responseRecorder{header: http.Header{}, status: http.StatusOK}
	write(rec)
	sum := sha256.Sum256(rec.body.Bytes())
	return renderedResponse{header: rec.header, status: rec.status, body: rec.body.Bytes(), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

type responseRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *responseRecorder) Header() http.Header         { return r.header }
func (r *responseRecorder) WriteHeader(status int)      { r.status = status }
func (r *responseRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// etagMatches implements If-None-Match: "*" or any listed tag equal to etag,
// compared weakly (a W/ prefix is ignored), as RFC 9110 requires for it.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
