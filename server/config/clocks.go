package config

import (
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// MinJobInterval is the floor of the check interval: the job reads every open
// report, so it must not run in a tight loop.
const MinJobInterval = 10 * time.Second

// Clocks are the parsed SLA settings.
type Clocks struct {
	FirstResponse    sla.Target
	Triage           sla.Target
	Resolution       map[string]sla.Target // by rating: critical, high, medium, low
	Progress         sla.Target
	QuestionReminder sla.Target
	AutoClose        sla.Target
	JobInterval      time.Duration
	Zone             *time.Location
	Responders       []string
}

// clockDefaults are plugin.json's defaults, for settings left empty.
var clockDefaults = map[string]string{
	"FirstResponseTarget": "2d", "TriageTarget": "5d",
	"ResolutionTargetCritical": "7d", "ResolutionTargetHigh": "30d", "ResolutionTargetMedium": "60d", "ResolutionTargetLow": "90d",
	"ProgressInterval": "14d", "QuestionReminder": "7d", "AutoClose": "30d", "JobInterval": "5m",
}

// clockSettings names each target setting with its display name and value.
func (c *Configuration) clockSettings() []struct{ key, display, value string } {
	return []struct{ key, display, value string }{
		{"FirstResponseTarget", "First response target", c.FirstResponseTarget},
		{"TriageTarget", "Triage target", c.TriageTarget},
		{"ResolutionTargetCritical", "Resolution target, critical", c.ResolutionTargetCritical},
		{"ResolutionTargetHigh", "Resolution target, high", c.ResolutionTargetHigh},
		{"ResolutionTargetMedium", "Resolution target, medium", c.ResolutionTargetMedium},
		{"ResolutionTargetLow", "Resolution target, low", c.ResolutionTargetLow},
		{"ProgressInterval", "Reporter update interval", c.ProgressInterval},
		{"QuestionReminder", "Unanswered question reminder", c.QuestionReminder},
		{"AutoClose", "Auto-close unanswered reports after", c.AutoClose},
	}
}

func orDefault(key, value string) string {
	if strings.TrimSpace(value) == "" {
		return clockDefaults[key]
	}
	return value
}

// Clocks parses the SLA settings; a value that does not parse (only possible for
// configurations that bypassed validation) falls back to its default.
func (c *Configuration) Clocks() Clocks {
	targets := map[string]sla.Target{}
	for _, s := range c.clockSettings() {
		t, err := sla.ParseTarget(orDefault(s.key, s.value))
		if err != nil {
			t = sla.MustParseTarget(clockDefaults[s.key])
		}
		targets[s.key] = t
	}
	interval, err := sla.ParseInterval(orDefault("JobInterval", c.JobInterval), MinJobInterval)
	if err != nil {
		interval = 5 * time.Minute
	}
	zone, err := sla.ParseZone(strings.TrimSpace(c.BusinessTimeZone))
	if err != nil {
		zone = time.UTC
	}
	responders, _ := parseResponders(c.Responders)
	return Clocks{
		FirstResponse: targets["FirstResponseTarget"],
		Triage:        targets["TriageTarget"],
		Resolution: map[string]sla.Target{
			"critical": targets["ResolutionTargetCritical"], "high": targets["ResolutionTargetHigh"],
			"medium": targets["ResolutionTargetMedium"], "low": targets["ResolutionTargetLow"],
		},
		Progress:         targets["ProgressInterval"],
		QuestionReminder: targets["QuestionReminder"],
		AutoClose:        targets["AutoClose"],
		JobInterval:      interval,
		Zone:             zone,
		Responders:       responders,
	}
}

// parseResponders reads a comma-separated list of usernames, with or without @.
func parseResponders(s string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(s, ",") {
		name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(item), "@"))
		if name == "" {
			continue
		}
		if !model.IsValidUsername(name) {
			return nil, errors.Errorf("%q is not a valid username", name)
		}
		out = append(out, name)
	}
	return out, nil
}

// validateClocks judges the SLA settings that changed.
func validateClocks(prev, next *Configuration, add func(setting, reason string)) {
	prevSettings := map[string]string{}
	if prev != nil {
		for _, s := range prev.clockSettings() {
			prevSettings[s.key] = s.value
		}
	}
	for _, s := range next.clockSettings() {
		if prev != nil && prevSettings[s.key] == s.value {
			continue
		}
		if strings.TrimSpace(s.value) == "" {
			continue // the default applies
		}
		if _, err := sla.ParseTarget(s.value); err != nil {
			add(s.display, err.Error())
		}
	}
	if (prev == nil || prev.JobInterval != next.JobInterval) && strings.TrimSpace(next.JobInterval) != "" {
		if _, err := sla.ParseInterval(next.JobInterval, MinJobInterval); err != nil {
			add("Check interval", err.Error())
		}
	}
	if prev == nil || prev.BusinessTimeZone != next.BusinessTimeZone {
		if _, err := sla.ParseZone(strings.TrimSpace(next.BusinessTimeZone)); err != nil {
			add("Business time zone", err.Error())
		}
	}
	if prev == nil || prev.Responders != next.Responders {
		if _, err := parseResponders(next.Responders); err != nil {
			add("Responders", err.Error())
		}
	}
}
