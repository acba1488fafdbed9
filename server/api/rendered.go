package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// gzipAbove is the body size from which a rendering is also kept compressed.
// Every byte of a plugin's response crosses the plugin RPC to the server, so
// a long body costs several times the floor route uncompressed. A page kept
// short (a listing's page) costs less sent as it is: its client would spend
// more on setting up a decompressor than the bytes saved, and on any network
// a few kilobytes more are nothing.
const gzipAbove = 16 << 10

// renderedResponse is a response captured once and replayed to every request.
type renderedResponse struct {
	header http.Header
	status int
	body   []byte
	// gzipped is body compressed, for clients that accept gzip; nil when the
	// body is small.
	gzipped []byte
	etag    string
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
	body := resp.body
	if resp.gzipped != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body = resp.gzipped
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	writeStatus(w, resp.status)
	_, _ = w.Write(body) //nolint:gosec // a body rendered earlier by html/template or encoding/json; request values only choose which one
}

// acceptsGzip reads Accept-Encoding (RFC 9110 12.5.3): gzip, or *, listed
// with a weight above zero.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		weight := 1.0
		if name, value, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(name), "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
				weight = q
			}
		}
		if weight > 0 {
			return true
		}
	}
	return false
}

// captureResponse runs a writer once and keeps what it wrote, with a strong
// ETag from the body: two servers rendering the same list agree on it.
func captureResponse(write func(http.ResponseWriter)) renderedResponse {
	rec := &responseRecorder{header: http.Header{}, status: http.StatusOK}
	write(rec)
	body := rec.body.Bytes()
	sum := sha256.Sum256(body)
	return renderedResponse{header: rec.header, status: rec.status, body: body, gzipped: compress(body), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// compress gzips a body worth compressing, or returns nil.
func compress(body []byte) []byte {
	if len(body) < gzipAbove {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	return buf.Bytes()
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
