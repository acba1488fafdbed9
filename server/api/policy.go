package api

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/yuin/goldmark"
)

// renderPolicy renders the admin's policy Markdown as a public HTML page, once
// per configuration change. goldmark drops raw HTML and dangerous link schemes
// by default; the page's CSP is the second line of defence. It returns nil
// when the Markdown cannot be rendered.
func renderPolicy(policy string, log Logger) *renderedResponse {
	var body bytes.Buffer
	if err := goldmark.Convert([]byte(policy), &body); err != nil {
		log.Warn("Could not render the disclosure policy", "error", err.Error())
		return nil
	}
	resp := captureResponse(func(w http.ResponseWriter) {
		writePage(w, http.StatusOK, page{
			Title: "Responsible Disclosure Policy",
			Body:  template.HTML(body.String()), //nolint:gosec // goldmark output without the unsafe option is escaped HTML
		})
	})
	return &resp
}

// policyPage serves the policy rendered at the last configuration change.
func (p *publicPages) policyPage(w http.ResponseWriter, r *http.Request) {
	resp := p.config().policy
	if resp == nil {
		http.Error(w, "could not render the policy", http.StatusInternalServerError)
		return
	}
	serveRendered(w, r, resp)
}
