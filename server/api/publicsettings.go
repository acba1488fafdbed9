package api

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
)

// PublicSettings are the settings the public pages read. They arrive as a
// value at each configuration change (Router.SetPublicSettings), so no request
// reads the configuration; each change that differs re-renders the pages.
type PublicSettings struct {
	// SiteURL is the server's site URL (no trailing slash needed).
	SiteURL string
	// PluginPath is the server-relative path of the plugin, "/plugins/<id>".
	PluginPath string
	HallOfFame bool
	// PGPKey is the armored public key as configured; empty when none.
	PGPKey             string
	ContactEmail       string
	PreferredLanguages []string
	Canonical          []string
	// SecurityUpdates turns the Security Updates routes on; OSVEcosystem and
	// OSVPackage name the affected package of OSV exports (empty: none).
	SecurityUpdates bool
	OSVEcosystem    string
	OSVPackage      string
	// Policy is the disclosure policy (Markdown).
	Policy string
}

// pluginURL is the absolute URL of the plugin's routes, or their
// server-relative path when no site URL is configured.
func (s PublicSettings) pluginURL() string {
	return strings.TrimRight(strings.TrimSpace(s.SiteURL), "/") + s.PluginPath
}

// publicConfig is one generation of the settings with what depends on them
// alone, rendered when they arrive. It is replaced, never changed, apart from
// the security.txt it renders once a day.
type publicConfig struct {
	gen      uint64
	settings PublicSettings
	// policy is the policy page; nil when the Markdown could not be rendered.
	policy *renderedResponse
	// pgpKey is the key route's answer; nil when there is no key to serve.
	pgpKey *renderedResponse
	// securityTxt is the file of the day it was rendered (its Expires date).
	securityTxt atomic.Pointer[datedResponse]
}

// datedResponse is a rendering valid for one Expires date; resp is nil when
// there is no file to serve (no contact to give).
type datedResponse struct {
	expires time.Time
	resp    *renderedResponse
}

// settingsHolder hands the current generation to the requests.
type settingsHolder struct {
	log     Logger
	current atomic.Pointer[publicConfig]
	// set serialises configuration changes, so generations only go up.
	set sync.Mutex
}

func (h *settingsHolder) config() *publicConfig { return h.current.Load() }

// apply installs s as a new generation, unless it equals the current one: the
// server calls OnConfigurationChange for changes of its own config too, and
// those must not throw the renderings away.
func (h *settingsHolder) apply(s PublicSettings) {
	h.set.Lock()
	defer h.set.Unlock()
	old := h.current.Load()
	if old != nil && reflect.DeepEqual(old.settings, s) {
		return
	}
	s.PreferredLanguages, s.Canonical = slices.Clone(s.PreferredLanguages), slices.Clone(s.Canonical)
	cfg := &publicConfig{settings: s, policy: renderPolicy(s.Policy, h.log), pgpKey: renderPGPKey(s.PGPKey, h.log)}
	if old != nil {
		cfg.gen = old.gen + 1
	}
	h.current.Store(cfg)
}

// renderPGPKey renders the key route's answer; nil without a usable key.
func renderPGPKey(armored string, log Logger) *renderedResponse {
	armored = strings.TrimSpace(armored)
	if armored == "" {
		return nil
	}
	key, err := config.ParsePublicKey(armored)
	if err != nil {
		// Validated when saved; an unreadable key is never served.
		log.Warn("The configured PGP key cannot be read; not serving it", "error", err.Error())
		return nil
	}
	resp := captureResponse(func(w http.ResponseWriter) {
		writeText(w, key.Armored+"\n")
	})
	return &resp
}

// writeText sends a plain-text file.
func writeText(w http.ResponseWriter, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(text))
}
