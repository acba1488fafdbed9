package config

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"
)

// manifestSetting is what plugin.json says about one setting: the System
// Console's label and the value a fresh install starts with.
type manifestSetting struct {
	key     string // as plugin.json spells it
	display string // without the trailing colon the System Console shows
	def     any    // as the JSON decoder read it: a string, a bool or a number
}

// manifestSettings indexes settings_schema by lowercased key. It reads the
// top-level settings and those of every section, so a setting can move into a
// section without a change here.
func manifestSettings(schema *model.PluginSettingsSchema) (map[string]manifestSetting, error) {
	out := map[string]manifestSetting{}
	if schema == nil {
		return out, nil
	}
	lists := [][]*model.PluginSetting{schema.Settings}
	for _, section := range schema.Sections {
		if section != nil {
			lists = append(lists, section.Settings)
		}
	}
	for _, list := range lists {
		for _, s := range list {
			if s == nil || s.Key == "" {
				continue // a setting without a key stores nothing
			}
			key := strings.ToLower(s.Key)
			if _, dup := out[key]; dup {
				return nil, errors.Errorf("setting %q is listed twice in settings_schema", s.Key)
			}
			out[key] = manifestSetting{
				key:     s.Key,
				display: strings.TrimSuffix(strings.TrimSpace(s.DisplayName), ":"),
				def:     s.Default,
			}
		}
	}
	return out, nil
}
