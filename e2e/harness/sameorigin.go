package harness

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SameOrigin serves test pages and the Mattermost server from one origin, as a
// browser sees the web client: files under a path prefix come from local
// folders, everything else (REST API, websocket, plugin routes, static plugin
// bundles) is proxied to the server. The session cookie, the CSRF cookie and
// the websocket's origin check then work as they do for the real web client,
// with no CORS exception on the server.
type SameOrigin struct {
	URL    string
	server *http.Server
	ln     net.Listener
}

// StartSameOrigin listens on a free loopback port. mounts maps a path prefix
// such as "/_rdcheck/" to the folders searched, in order, for its files.
func StartSameOrigin(target string, mounts map[string][]string) (*SameOrigin, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("server URL %q: %w", target, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	pageOrigin := "http://" + ln.Addr().String()
	siteOrigin := u.Scheme + "://" + u.Host

	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			// As a plain reverse proxy does: the browser's Host header and
			// its address in X-Forwarded-For reach the server unchanged.
			pr.Out.Host = pr.In.Host
			if ip, _, err := net.SplitHostPort(pr.In.RemoteAddr); err == nil {
				pr.Out.Header.Set("X-Forwarded-For", ip)
			}
			// The server accepts a websocket only from its SiteURL's origin, and
			// the page is the site here, as behind any reverse proxy whose public
			// address is the SiteURL.
			if pr.Out.Header.Get("Origin") == pageOrigin {
				pr.Out.Header.Set("Origin", siteOrigin)
			}
		},
		// Responses are streamed (websockets are upgraded connections).
		FlushInterval: -1,
	}

	mux := http.NewServeMux()
	for prefix, dirs := range mounts {
		mux.Handle(prefix, http.StripPrefix(prefix, staticFiles(dirs)))
	}
	mux.Handle("/", proxy)

	s := &SameOrigin{
		URL:    pageOrigin,
		server: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second},
		ln:     ln,
	}
	go func() { _ = s.server.Serve(ln) }()
	return s, nil
}

// staticFiles serves a file from the first folder that has it; no listings.
func staticFiles(dirs []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Clean("/" + r.URL.Path)
		if name == "/" || strings.Contains(name, "..") {
			http.NotFound(w, r)
			return
		}
		for _, dir := range dirs {
			path := filepath.Join(dir, name)
			if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
				w.Header().Set("Cache-Control", "no-store")
				http.ServeFile(w, r, path)
				return
			}
		}
		http.NotFound(w, r)
	})
}

// Close stops serving; open connections are closed.
func (s *SameOrigin) Close() error {
	if s == nil {
		return nil
	}
	return s.server.Close()
}
