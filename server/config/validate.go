package config

import (
	"fmt"
	"reflect"
)

// TeamExists reports whether a team with the given name exists. It is a function so
// that validation stays testable without a server.
type TeamExists func(name string) (bool, error)

// Validate judges the settings of next that differ from prev, with the same
// parsers as Parse plus the check only the server can make (the team exists).
// With prev nil every setting is judged. Only changed settings are judged so
// that a later outside change, such as a deleted team, never blocks unrelated
// config saves.
func Validate(prev, next map[string]any, teamExists TeamExists) []Problem {
	// changed is the one test of "did this setting change": its raw stored
	// values differ.
	changed := func(key string) bool {
		if prev == nil {
			return true
		}
		before, _ := lookup(prev, key)
		after, _ := lookup(next, key)
		return !reflect.DeepEqual(before, after)
	}

	settings, parsed := settingsTable.parse(next)
	var problems []Problem
	if changed(keyTeamName) && !anyAbout(parsed, keyTeamName) {
		if reason := checkTeam(settings.Triage.Team, teamExists); reason != "" {
			problems = append(problems, Problem{Setting: settingsTable.row(keyTeamName).display, Reason: reason, keys: []string{keyTeamName}})
		}
	}
	for _, p := range parsed {
		for _, key := range p.keys {
			if changed(key) {
				problems = append(problems, p)
				break
			}
		}
	}
	return problems
}

// checkTeam says why team cannot be the triage team, or "" when it can.
func checkTeam(team string, teamExists TeamExists) string {
	if team == "" {
		return "" // not set up yet: the plugin stays idle
	}
	ok, err := teamExists(team)
	switch {
	case err != nil:
		return fmt.Sprintf("could not look up team %q: %v", team, err)
	case !ok:
		return fmt.Sprintf("no team named %q exists; use the team's URL name, e.g. the \"security\" in https://chat.example.com/security", team)
	}
	return ""
}

// anyAbout says whether one of problems is about the setting key.
func anyAbout(problems []Problem, key string) bool {
	for _, p := range problems {
		for _, k := range p.keys {
			if k == key {
				return true
			}
		}
	}
	return false
}
