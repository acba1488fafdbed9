package config

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"
)

var (
	errNotANumber  = errors.New("must be a whole number")
	errNotPositive = errors.New("must be at least 1")
)

// TeamExists reports whether a team with the given name exists. It is a function so
// that validation stays testable without a server.
type TeamExists func(name string) (bool, error)

// Problem names one refused setting and why.
type Problem struct {
	Setting string
	Reason  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s", p.Setting, p.Reason)
}

// Validate judges the settings of next that differ from prev; with prev nil every
// setting is judged. Only changed settings are judged so that a later outside change,
// such as a deleted team, never blocks unrelated config saves.
func Validate(prev, next *Configuration, teamExists TeamExists) []Problem {
	changed := func(field func(*Configuration) string) bool {
		return prev == nil || field(prev) != field(next)
	}
	var problems []Problem
	add := func(setting, reason string) {
		problems = append(problems, Problem{Setting: setting, Reason: reason})
	}

	if changed(func(c *Configuration) string { return c.TeamName }) {
		if team := next.Team(); team != "" {
			ok, err := teamExists(team)
			switch {
			case err != nil:
				add("Triage team", fmt.Sprintf("could not look up team %q: %v", team, err))
			case !ok:
				add("Triage team", fmt.Sprintf("no team named %q exists; use the team's URL name, e.g. the \"security\" in https://chat.example.com/security", team))
			}
		}
	}

	if changed(func(c *Configuration) string { return c.ChannelName }) {
		if name := strings.TrimSpace(next.ChannelName); name != "" && !validChannelName(name) {
			add("Triage channel name", fmt.Sprintf("%q is not a valid channel name: use 1 to %d lowercase letters, digits, '-' or '_'", name, model.ChannelNameMaxLength))
		}
	}

	if changed(func(c *Configuration) string { return c.PGPPublicKey }) {
		if strings.TrimSpace(next.PGPPublicKey) != "" {
			if _, err := ParsePublicKey(next.PGPPublicKey); err != nil {
				add("Team PGP public key", err.Error())
			}
		}
	}

	if changed(func(c *Configuration) string { return c.TestServerURL }) {
		if u := strings.TrimSpace(next.TestServerURL); u != "" && !isHTTPURL(u) {
			add("Community test server URL", fmt.Sprintf("%q is not an http(s) URL", u))
		}
	}

	if changed(func(c *Configuration) string { return c.Products }) {
		if _, err := parseProducts(next.Products); err != nil {
			add("Products", err.Error())
		}
	}

	if changed(func(c *Configuration) string { return c.MaxReportsPerDay }) {
		if _, err := parseLimit(next.MaxReportsPerDay); err != nil {
			add("Max reports per researcher per day", fmt.Sprintf("%q %v", strings.TrimSpace(next.MaxReportsPerDay), err))
		}
	}

	validateClocks(prev, next, add)
	validateStaging(prev, next, add)
	validateDisclosure(prev, next, add)
	validateSecurityTxt(prev, next, add)
	return problems
}

func validChannelName(name string) bool {
	return len(name) <= model.ChannelNameMaxLength && model.IsValidChannelIdentifier(name) && name == strings.ToLower(name)
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// FromPluginSettings decodes the plugin's section of the server config. The server
// lowercases setting keys when it stores them; encoding/json matches field names
// case-insensitively, which is exactly what is needed.
func FromPluginSettings(settings map[string]any) (*Configuration, error) {
	cfg := &Configuration{}
	if settings == nil {
		return cfg, nil
	}
	data, err := json.Marshal(settings)
	if err != nil {
		return nil, errors.Wrap(err, "encoding plugin settings")
	}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, errors.Wrap(err, "decoding plugin settings")
	}
	return cfg, nil
}
