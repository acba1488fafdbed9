package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// securityTxtLifetime is how far ahead Expires lies. The file is rendered
// again each day, so it renews itself while the plugin serves it; a copy kept
// after the plugin stopped goes stale within about a month, well inside RFC
// 9116's recommended maximum of a year.
const securityTxtLifetime = 30 * 24 * time.Hour

// securityTxt serves an RFC 9116 security.txt. A plugin cannot serve
// /.well-known/security.txt itself; the README shows the reverse-proxy rule
// that maps that path here. The file is rendered once per configuration
// change and day (its Expires date moves daily).
func (p *publicPages) securityTxt(w http.ResponseWriter, r *http.Request) {
	cfg, now := p.config(), p.now()
	expires := securityTxtExpires(now)
	dated := cfg.securityTxt.Load()
	if dated == nil || !dated.expires.Equal(expires) {
		dated = &datedResponse{expires: expires}
		if text, ok := SecurityTxt(cfg.settings, now); ok {
			resp := captureResponse(func(w http.ResponseWriter) { writeText(w, text) })
			dated.resp = &resp
		}
		// Two requests rendering the same day's file at once store equal files.
		cfg.securityTxt.Store(dated)
	}
	if dated.resp == nil {
		notFound(w) // no way to contact anyone: better no file than an invalid one
		return
	}
	serveRendered(w, r, dated.resp)
}

// securityTxtExpires is a whole UTC day, so the file reads the same all day long.
func securityTxtExpires(now time.Time) time.Time {
	return now.UTC().Add(securityTxtLifetime).Truncate(24 * time.Hour)
}

// SecurityTxt writes the file for the settings at time now. It returns false
// when there is no Contact to give (no site URL and no email), since RFC 9116
// requires one.
func SecurityTxt(s PublicSettings, now time.Time) (string, bool) {
	site := strings.TrimRight(strings.TrimSpace(s.SiteURL), "/")
	plugin := ""
	if site != "" {
		plugin = site + s.PluginPath
	}
	if site == "" && s.ContactEmail == "" {
		return "", false
	}

	var b strings.Builder
	line := func(field, value string) { b.WriteString(field + ": " + value + "\n") }
	if site != "" {
		b.WriteString("# Report a vulnerability privately: log in at " + site + "/ and type /security report.\n")
		b.WriteString("# Only the security team sees your report, and you can follow it there.\n")
		line("Contact", site+"/")
	}
	if s.ContactEmail != "" {
		line("Contact", "mailto:"+s.ContactEmail)
	}
	line("Expires", securityTxtExpires(now).Format(time.RFC3339))
	if plugin != "" {
		if strings.TrimSpace(s.PGPKey) != "" {
			line("Encryption", plugin+routes.PGPKey)
		}
		if s.HallOfFame {
			line("Acknowledgments", plugin+routes.HallOfFame)
		}
		line("Policy", plugin+routes.Policy)
		if s.SecurityUpdates {
			b.WriteString("# Security updates by release: " + plugin + routes.SecurityUpdates + "\n")
		}
	}
	if len(s.PreferredLanguages) > 0 {
		line("Preferred-Languages", strings.Join(s.PreferredLanguages, ", "))
	}
	for _, c := range s.Canonical {
		line("Canonical", c)
	}
	return b.String(), true
}

// pgpKey serves the team's public key as text, for security.txt's Encryption
// field and for anyone who wants to encrypt a report. 404 without a key.
func (p *publicPages) pgpKey(w http.ResponseWriter, r *http.Request) {
	resp := p.config().pgpKey
	if resp == nil {
		notFound(w)
		return
	}
	serveRendered(w, r, resp)
}
