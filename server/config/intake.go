package config

import (
	"strings"
	"unicode"

	"github.com/pkg/errors"
)

// Limits of the products setting: a select list stays usable.
const (
	maxProducts     = 40
	maxProductRunes = 60
)

// parseProducts reads the comma-separated product list, keeping the admin's
// order and spelling.
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

// noProducts says whether a products value names no product at all (only
// commas and spaces): like an empty value, it means the default list, since a
// form with nothing to choose could never be filed.
func noProducts(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) == ""
}
