package api

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/yuin/goldmark"
)

// policyPage renders the admin's policy Markdown as a public HTML page. goldmark
// drops raw HTML and dangerous link schemes by default; the page's CSP is the
// second line of defence.
func policyPage(policy func() string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		var body bytes.Buffer
		if err := goldmark.Convert([]byte(policy()), &body); err != nil {
			http.Error(w, "could not render the policy", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		writePage(w, http.StatusOK, page{
			Title: "Responsible Disclosure Policy",
			Body:  template.HTML(body.String()), //nolint:gosec // goldmark output without the unsafe option is escaped HTML
		})
	}
}
