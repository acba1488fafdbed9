package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
)

// renderedResponse is a response captured once and replayed to every request.
type renderedResponse struct {
	header http.Header
	status int
	body   []byte
	etag   string
}

// renderCache keeps the rendering of one revision of a stored aggregate (the
// Hall of Fame, the Security Updates). Requests read the stored revision (one
// small KV read) and render only when it differs, so every server of a cluster
// serves a change as soon as it is stored.
type renderCache[T any] struct {
	// reload serialises rendering, so a burst of requests after a change
	// renders once; mu guards the cached value, which requests read without
	// waiting.
	reload sync.Mutex
	mu     sync.Mutex
	rev    int64
	value  *T
}

func (c *renderCache[T]) cached(rev int64) *T {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Equal, not "at most": a store that went back (restored from a backup)
	// must not leave an old rendering in place.
	if c.value != nil && c.rev == rev {
		return c.value
	}
	return nil
}

// get returns the rendering of rev, calling render when there is none; render
// says which revision it rendered.
func (c *renderCache[T]) get(rev int64, render func() (*T, int64, error)) (*T, error) {
	if v := c.cached(rev); v != nil {
		return v, nil
	}
	c.reload.Lock()
	defer c.reload.Unlock()
	if v := c.cached(rev); v != nil {
		return v, nil // rendered by the request we waited for
	}
	v, renderedRev, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.value, c.rev = v, renderedRev
	c.mu.Unlock()
	return v, nil
}

// serveRendered sends a captured response. no-cache makes browsers revalidate
// every time (an opt-out or a new advisory shows at once) and the ETag keeps
// revalidation cheap.
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
	_, _ = w.Write(resp.body)
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
