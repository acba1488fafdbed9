package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Bundle is the plugin bundle built by `make dist`.
type Bundle struct {
	Path    string
	ID      string
	Version string
}

// ReadManifest reads the plugin's id and version from plugin.json at the
// repository root. The e2e module never imports the plugin's module.
func ReadManifest(repoRoot string) (*model.Manifest, error) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "plugin.json"))
	if err != nil {
		return nil, err
	}
	var m model.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parsing plugin.json: %w", err)
	}
	if m.Id == "" || m.Version == "" {
		return nil, fmt.Errorf("plugin.json in %s has no id or version", repoRoot)
	}
	return &m, nil
}

// FindBundle returns $E2E_BUNDLE, or dist/<id>-<version>.tar.gz of the repository.
func FindBundle(repoRoot string) (Bundle, error) {
	m, err := ReadManifest(repoRoot)
	if err != nil {
		return Bundle{}, err
	}
	path := os.Getenv("E2E_BUNDLE")
	if path == "" {
		path = filepath.Join(repoRoot, "dist", fmt.Sprintf("%s-%s.tar.gz", m.Id, m.Version))
	}
	if _, err := os.Stat(path); err != nil {
		return Bundle{}, fmt.Errorf("plugin bundle not found at %s; build it with `make dist` (or set E2E_BUNDLE)", path)
	}
	return Bundle{Path: path, ID: m.Id, Version: m.Version}, nil
}

// InstallBundle uploads a bundle the way an admin does: mmctl --local plugin add --force.
func (s *Server) InstallBundle(ctx context.Context, path string) error {
	_, err := s.Mmctl(ctx, "plugin", "add", path, "--force")
	return err
}

// EnablePlugin runs mmctl --local plugin enable.
func (s *Server) EnablePlugin(ctx context.Context, id string) error {
	_, err := s.Mmctl(ctx, "plugin", "enable", id)
	return err
}

// DisablePlugin runs mmctl --local plugin disable.
func (s *Server) DisablePlugin(ctx context.Context, id string) error {
	_, err := s.Mmctl(ctx, "plugin", "disable", id)
	return err
}

// InstallAndEnable installs a bundle and enables it with mmctl, then waits, at
// most two minutes, until the plugin runs. An activation failure is reported as
// soon as the server reports it.
func (s *Server) InstallAndEnable(ctx context.Context, admin *model.Client4, path, id string) error {
	if err := s.InstallBundle(ctx, path); err != nil {
		return err
	}
	if err := s.EnablePlugin(ctx, id); err != nil {
		return err
	}
	return s.WaitPluginState(ctx, admin, id, model.PluginStateRunning, 2*time.Minute)
}

// PluginState returns the plugin's state as the server reports it
// (model.PluginStateRunning, ...), or -1 when the server does not know the plugin.
func PluginState(ctx context.Context, admin *model.Client4, id string) (int, error) {
	st, err := pluginStatus(ctx, admin, id)
	if err != nil || st == nil {
		return -1, err
	}
	return st.State, nil
}

func pluginStatus(ctx context.Context, admin *model.Client4, id string) (*model.PluginStatus, error) {
	statuses, _, err := admin.GetPluginStatuses(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range statuses {
		if st.PluginId == id {
			return st, nil
		}
	}
	return nil, nil
}

var pluginStateNames = map[int]string{
	-1:                                   "not installed",
	model.PluginStateNotRunning:          "not running",
	model.PluginStateStarting:            "starting",
	model.PluginStateRunning:             "running",
	model.PluginStateFailedToStart:       "failed to start",
	model.PluginStateFailedToStayRunning: "failed to stay running",
	model.PluginStateStopping:            "stopping",
}

// WaitPluginState waits, at most timeout, until the plugin reaches want. A plugin
// that fails to start ends the wait at once, with the server's reason.
func (s *Server) WaitPluginState(ctx context.Context, admin *model.Client4, id string, want int, timeout time.Duration) error {
	last := -1
	err := Eventually(ctx, timeout, 250*time.Millisecond, fmt.Sprintf("plugin %s to be %s", id, pluginStateNames[want]), func(ctx context.Context) (bool, error) {
		st, err := pluginStatus(ctx, admin, id)
		if err != nil {
			return false, err
		}
		last = -1
		if st != nil {
			last = st.State
		}
		if last == want {
			return true, nil
		}
		if want == model.PluginStateRunning && (last == model.PluginStateFailedToStart || last == model.PluginStateFailedToStayRunning) {
			return false, Permanent(fmt.Errorf("plugin %s %s: %s", id, pluginStateNames[last], st.Error))
		}
		return false, nil
	})
	if err != nil {
		msg := fmt.Sprintf("%v (last state: %s); server log: %s", err, pluginStateNames[last], s.LogPath)
		if lines := grepFile(s.LogPath, []string{"plugin_id=" + id, "error"}, 5); lines != "" {
			msg += "\n" + lines
		}
		return errors.New(msg)
	}
	return nil
}

// SetPluginSettings saves settings for the plugin through the REST API as admin
// would (GET then PUT /api/v4/config), merging them into the current ones. The
// server lowercases plugin setting keys, so keys are matched case-insensitively.
// A value the plugin refuses comes back as the error, with the plugin's message.
func SetPluginSettings(ctx context.Context, admin *model.Client4, id string, settings map[string]any) error {
	cfg, _, err := admin.GetConfig(ctx)
	if err != nil {
		return fmt.Errorf("reading the server config: %w", err)
	}
	if cfg.PluginSettings.Plugins == nil {
		cfg.PluginSettings.Plugins = map[string]map[string]any{}
	}
	current := cfg.PluginSettings.Plugins[id]
	if current == nil {
		current = map[string]any{}
	}
	for k, v := range settings {
		current[strings.ToLower(k)] = v
	}
	cfg.PluginSettings.Plugins[id] = current
	if _, _, err := admin.UpdateConfig(ctx, cfg); err != nil {
		return err
	}
	return nil
}

// PluginSettings returns the plugin's saved settings (keys lowercased).
func PluginSettings(ctx context.Context, admin *model.Client4, id string) (map[string]any, error) {
	cfg, _, err := admin.GetConfig(ctx)
	if err != nil {
		return nil, err
	}
	return cfg.PluginSettings.Plugins[id], nil
}
