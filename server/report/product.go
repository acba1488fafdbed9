package report

import "strings"

// CanonicalProduct finds name in the allowed list, ignoring case and surrounding
// spaces, and returns the list's own spelling so stored values stay uniform.
func CanonicalProduct(name string, allowed []string) (string, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", false
	}
	for _, p := range allowed {
		if strings.EqualFold(strings.TrimSpace(p), name) {
			return strings.TrimSpace(p), true
		}
	}
	return "", false
}
