// Package config holds the plugin's settings as the admin saves them in the System
// Console, and decides which of them are valid.
package config

import (
	"strconv"
	"strings"
)

// DefaultChannelName is used when the admin leaves the channel setting empty.
const DefaultChannelName = "security-reports"

// DefaultMaxReportsPerDay is used when the admin leaves the limit empty.
const DefaultMaxReportsPerDay = 10

// Configuration mirrors settings_schema in plugin.json. Every field is a value type
// (strings and bools), so a shallow copy is a full copy: old and new configurations
// never share mutable state.
type Configuration struct {
	TeamName         string
	ChannelName      string
	PolicyText       string
	PGPPublicKey     string
	TestServerURL    string
	MaxReportsPerDay string
	EnableHallOfFame bool
}

// Clone returns an independent copy.
func (c *Configuration) Clone() *Configuration {
	clone := *c
	return &clone
}

// IsConfigured says whether the admin has chosen the triage team; without it the
// plugin cannot post cards anywhere.
func (c *Configuration) IsConfigured() bool {
	return strings.TrimSpace(c.TeamName) != ""
}

// Team is the trimmed team name.
func (c *Configuration) Team() string {
	return strings.ToLower(strings.TrimSpace(c.TeamName))
}

// Channel is the trimmed channel name, or the default when empty.
func (c *Configuration) Channel() string {
	name := strings.ToLower(strings.TrimSpace(c.ChannelName))
	if name == "" {
		return DefaultChannelName
	}
	return name
}

// ReportsPerDay is the daily filing limit; an empty setting means the default.
// Validation refuses anything else that does not parse, so the fallback only
// covers configurations that never went through ConfigurationWillBeSaved.
func (c *Configuration) ReportsPerDay() int {
	n, err := parseLimit(c.MaxReportsPerDay)
	if err != nil || n == 0 {
		return DefaultMaxReportsPerDay
	}
	return n
}

// parseLimit reads a positive whole number; empty means 0 (use the default).
func parseLimit(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errNotANumber
	}
	if n < 1 {
		return 0, errNotPositive
	}
	return n, nil
}
