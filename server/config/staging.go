package config

import (
	"github.com/pkg/errors"
)

// maxStagingDays bounds the staging window: longer access to a private staging
// server is a standing arrangement, not a test.
const maxStagingDays = 90

// parseStagingDays reads the longest staging window, in whole days.
func parseStagingDays(text string) (int, error) {
	n, err := parseCount(text)
	if err != nil {
		return 0, err
	}
	if n > maxStagingDays {
		return 0, errors.Errorf("%d is more than %d days", n, maxStagingDays)
	}
	return n, nil
}
