package config

import (
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// minJobInterval is the floor of the check interval: the job reads every open
// report, so it must not run in a tight loop.
const minJobInterval = 10 * time.Second

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

// target parses a target setting ("2d" business days, "36h" wall-clock) into
// the field dst picks.
func target(dst func(*Settings) *sla.Target) func(string, *Settings) error {
	return into(sla.ParseTarget, dst)
}

// resolutionTarget parses the resolution target of one rating.
func resolutionTarget(rating string) func(string, *Settings) error {
	return func(text string, s *Settings) error {
		t, err := sla.ParseTarget(text)
		if err != nil {
			return err
		}
		s.Clocks.Resolution[rating] = t
		return nil
	}
}

// parseJobInterval reads how often the job runs: h, m or s, at least the floor.
func parseJobInterval(text string) (time.Duration, error) {
	return sla.ParseInterval(text, minJobInterval)
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
