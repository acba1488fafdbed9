// Package config holds the plugin's settings as the admin saves them in the System
// Console, and decides which of them are valid.
package config

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
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
	Products         string
	MaxReportsPerDay string
	EnableHallOfFame bool
	// ShowAssigneeToReporter lets reporter DMs name the triager who took a report.
	ShowAssigneeToReporter bool

	// security.txt (see securitytxt.go): an optional contact address, the
	// preferred languages, and the canonical URLs of the published file.
	SecurityContactEmail string
	SecurityTxtLanguages string
	SecurityTxtCanonical string

	// Clocks (see package sla): targets like "2d" (business days) or "36h".
	FirstResponseTarget      string
	TriageTarget             string
	ResolutionTargetCritical string
	ResolutionTargetHigh     string
	ResolutionTargetMedium   string
	ResolutionTargetLow      string
	ProgressInterval         string
	QuestionReminder         string
	AutoClose                string
	JobInterval              string
	BusinessTimeZone         string
	Responders               string

	// Staging-server requests.
	StagingMaxDays string
	StagingMaxOpen string

	// Advisories: the Security Updates page, the embargo and OSV exports.
	EnableSecurityUpdates bool
	DisclosureDelayDays   string
	OSVEcosystem          string
	OSVPackageName        string `json:"OSVPackage"`
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

// ProductList is the products setting as a list, or the default list when empty.
func (c *Configuration) ProductList() []string {
	products, err := parseProducts(c.Products)
	if err != nil || len(products) == 0 {
		return report.DefaultProducts
	}
	return products
}

// Limits of the products setting: a select list stays usable.
const (
	maxProducts     = 40
	maxProductRunes = 60
)

func parseProducts(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if len([]rune(item)) > maxProductRunes {
			return nil, errors.Errorf("%q is longer than %d characters", item, maxProductRunes)
		}
		if seen[strings.ToLower(item)] {
			return nil, errors.Errorf("%q is listed twice", item)
		}
		seen[strings.ToLower(item)] = true
		out = append(out, item)
	}
	if len(out) > maxProducts {
		return nil, errors.Errorf("lists %d products; at most %d fit in the form", len(out), maxProducts)
	}
	return out, nil
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
