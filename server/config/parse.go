package config

import (
	"fmt"
	"strings"
)

// Problem names one refused setting, by its display name, and why.
type Problem struct {
	Setting string
	Reason  string
	// keys are the settings the problem is about: judged only when one changed.
	keys []string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s", p.Setting, p.Reason)
}

// Parse reads the plugin's stored settings: the raw map the server holds, keyed
// by setting. A missing or empty value means the manifest default, the admin's
// documented choice. Every row is parsed: a value that does not parse (possible
// only for a configuration that bypassed ConfigurationWillBeSaved) is returned
// as a Problem, and the Settings hold the manifest default in its place, so
// they are always complete. What to do with a configuration that has problems
// is the caller's decision.
func Parse(raw map[string]any) (Settings, []Problem) {
	return settingsTable.parse(raw)
}

// Defaults are the Settings of a fresh install: every manifest default. Each
// call builds a new value, so no caller can change another's.
func Defaults() Settings {
	s, _ := Parse(nil)
	return s
}

func (t *table) parse(raw map[string]any) (Settings, []Problem) {
	s := newSettings()
	var problems []Problem
	for _, r := range t.rows {
		err := r.parseFrom(raw, s)
		if err != nil {
			problems = append(problems, Problem{Setting: r.display, Reason: err.Error(), keys: []string{r.key}})
			r.useDefault(s)
		}
	}
	for _, c := range t.checks {
		reasons := c.check(*s)
		for _, reason := range reasons {
			problems = append(problems, Problem{Setting: t.row(c.report).display, Reason: reason, keys: c.keys})
		}
		if len(reasons) > 0 {
			for _, key := range c.keys {
				t.row(key).useDefault(s)
			}
		}
	}
	return *s, problems
}

// parseFrom parses the row's stored value into s.
func (r boundRow) parseFrom(raw map[string]any, s *Settings) error {
	v, ok := lookup(raw, r.key)
	if !ok || v == nil {
		return r.parse(r.def, s)
	}
	text, err := textOf(v)
	if err != nil {
		return err
	}
	if !r.keepBlank && r.isBlank(text) {
		text = r.def
	}
	return r.parse(text, s)
}

// useDefault stores the manifest default, which newTable proved parses.
func (r boundRow) useDefault(s *Settings) {
	_ = r.parse(r.def, s)
}

func (r boundRow) isBlank(text string) bool {
	if r.blank != nil {
		return r.blank(text)
	}
	return strings.TrimSpace(text) == ""
}
