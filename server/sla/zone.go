package sla

import (
	"fmt"
	"strings"
	"time"

	// The plugin runs as its own process on servers that may have no zone
	// database (Windows, minimal containers); embedding one keeps the configured
	// business-day zone loadable everywhere, at about 450 KB.
	_ "time/tzdata"
)

// ParseZone reads the business-day zone setting: an IANA name such as
// "Europe/Paris"; empty means UTC. "Local" is refused because it would depend on
// each server's own settings, and servers in a cluster must agree on deadlines.
func ParseZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return time.UTC, nil
	}
	if strings.EqualFold(name, "Local") {
		return nil, fmt.Errorf("%q depends on each server's settings: use an IANA time zone name such as UTC, Europe/Paris or America/Los_Angeles", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone: use an IANA name such as UTC, Europe/Paris or America/Los_Angeles", name)
	}
	return loc, nil
}

// zone is loc, or UTC when loc is nil.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
