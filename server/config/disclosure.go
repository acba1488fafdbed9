package config

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultDisclosureDelayDays is how long after a fix's release its advisory
// becomes public, unless the team sets a date.
const (
	DefaultDisclosureDelayDays = 30
	maxDisclosureDelayDays     = 365
)

// DisclosureDelay is the disclosure delay in days.
func (c *Configuration) DisclosureDelay() int {
	n, err := strconv.Atoi(strings.TrimSpace(c.DisclosureDelayDays))
	if err != nil || n < 0 || n > maxDisclosureDelayDays {
		return DefaultDisclosureDelayDays
	}
	return n
}

// OSVPackage is the affected package of OSV exports, or false when the admin
// has not named one: no package is guessed.
func (c *Configuration) OSVPackage() (ecosystem, name string, ok bool) {
	ecosystem, name = strings.TrimSpace(c.OSVEcosystem), strings.TrimSpace(c.OSVPackageName)
	return ecosystem, name, ecosystem != "" && name != ""
}

func validateDisclosure(prev, next *Configuration, add func(setting, reason string)) {
	if prev == nil || prev.DisclosureDelayDays != next.DisclosureDelayDays {
		if v := strings.TrimSpace(next.DisclosureDelayDays); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > maxDisclosureDelayDays {
				add("Disclosure delay (days)", fmt.Sprintf("%q must be a whole number from 0 to %d", v, maxDisclosureDelayDays))
			}
		}
	}
	if prev == nil || prev.OSVEcosystem != next.OSVEcosystem || prev.OSVPackageName != next.OSVPackageName {
		eco, name := strings.TrimSpace(next.OSVEcosystem), strings.TrimSpace(next.OSVPackageName)
		if (eco == "") != (name == "") {
			add("OSV package name", "set the OSV ecosystem and the package name together, or leave both empty")
		}
		if strings.ContainsAny(eco+name, " \t\n") {
			add("OSV package name", "the ecosystem and the package name contain no spaces")
		}
	}
}
