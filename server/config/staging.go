package config

import (
	"fmt"
	"strings"
)

// Defaults and bounds of the staging settings.
const (
	DefaultStagingDays = 14
	DefaultStagingOpen = 2
	maxStagingDays     = 90
)

// StagingDays is the longest staging window, in days.
func (c *Configuration) StagingDays() int {
	n, err := parseLimit(c.StagingMaxDays)
	if err != nil || n == 0 || n > maxStagingDays {
		return DefaultStagingDays
	}
	return n
}

// StagingOpen is how many open staging requests one researcher may hold.
func (c *Configuration) StagingOpen() int {
	n, err := parseLimit(c.StagingMaxOpen)
	if err != nil || n == 0 {
		return DefaultStagingOpen
	}
	return n
}

func validateStaging(prev, next *Configuration, add func(setting, reason string)) {
	if prev == nil || prev.StagingMaxDays != next.StagingMaxDays {
		n, err := parseLimit(next.StagingMaxDays)
		switch {
		case err != nil:
			add("Staging window, max days", fmt.Sprintf("%q %v", strings.TrimSpace(next.StagingMaxDays), err))
		case n > maxStagingDays:
			add("Staging window, max days", fmt.Sprintf("%d is more than %d days", n, maxStagingDays))
		}
	}
	if prev == nil || prev.StagingMaxOpen != next.StagingMaxOpen {
		if _, err := parseLimit(next.StagingMaxOpen); err != nil {
			add("Open staging requests per researcher", fmt.Sprintf("%q %v", strings.TrimSpace(next.StagingMaxOpen), err))
		}
	}
}
