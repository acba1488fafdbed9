package config

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// maxDisclosureDelayDays bounds the embargo after a fix's release.
const maxDisclosureDelayDays = 365

// parseDelayDays reads the disclosure delay: a whole number of days, 0 to 365.
func parseDelayDays(text string) (int, error) {
	text = strings.TrimSpace(text)
	n, err := strconv.Atoi(text)
	if err != nil || n < 0 || n > maxDisclosureDelayDays {
		return 0, errors.Errorf("%q must be a whole number from 0 to %d", text, maxDisclosureDelayDays)
	}
	return n, nil
}

// checkOSVPackage judges the two OSV settings together: a package is named by
// both or by neither, so an export never names half a package.
func checkOSVPackage(s Settings) []string {
	var reasons []string
	eco, name := s.Disclosure.OSV.Ecosystem, s.Disclosure.OSV.Name
	if (eco == "") != (name == "") {
		reasons = append(reasons, "set the OSV ecosystem and the package name together, or leave both empty")
	}
	if strings.ContainsAny(eco+name, " \t\n") {
		reasons = append(reasons, "the ecosystem and the package name contain no spaces")
	}
	return reasons
}
