package api

import (
	"bytes"
	"html/template"
	"net/http"
)

// pageCSP allows nothing but the page's own inline style: public pages run no
// script at all, so text that slipped past escaping still could not execute.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1f2328;background:#fff}
h1,h2,h3{line-height:1.25}
a{color:#1c58d9}
code{background:#f0f2f4;padding:0 .25em;border-radius:3px}
@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#1e1f22}a{color:#7aa7ff}code{background:#2b2d31}}
</style>
</head>
<body>
<main>
{{.Body}}
</main>
</body>
</html>
`))

type page struct {
	Title string
	// Body must already be safe HTML: rendered by html/template or by the
	// Markdown renderer, which escapes raw HTML.
	Body template.HTML
}

// writePage sends a complete HTML page with the strict security headers every
// public page carries.
func writePage(w http.ResponseWriter, status int, p page) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	writeStatus(w, status)
	_, _ = w.Write(buf.Bytes())
}
