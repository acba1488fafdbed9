package report

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// FixedVersion is a release that contains the fix, with its release date when
// known (ISO date, no time zone: releases are announced by day).
type FixedVersion struct {
	Version  string `json:"ver"`
	Released string `json:"date,omitempty"`
}

// MaxFixedVersions bounds one fix: a fix is backported to a handful of lines.
const MaxFixedVersions = 20

const dateLayout = "2006-01-02"

// versionPattern accepts 2 to 4 numeric parts: 11.5, 11.5.1, 2.20.0.1. A leading
// "v" is tolerated on input and dropped.
var versionPattern = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,6}){1,3}$`)

// String writes the version as ParseFixedVersions reads it.
func (v FixedVersion) String() string {
	if v.Released == "" {
		return v.Version
	}
	return v.Version + " (" + v.Released + ")"
}

// FormatFixedVersions writes a list as ParseFixedVersions reads it.
func FormatFixedVersions(vs []FixedVersion) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.String()
	}
	return strings.Join(parts, ", ")
}

// ParseFixedVersions reads a list like "11.5.1 (2026-02-10), 11.4.3": versions
// separated by commas, semicolons or new lines, each optionally followed by its
// release date in parentheses. Every error names the item at fault.
func ParseFixedVersions(s string) ([]FixedVersion, error) {
	items := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
	var out []FixedVersion
	seen := map[string]bool{}
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		v, err := parseFixedVersion(item)
		if err != nil {
			return nil, err
		}
		if seen[v.Version] {
			return nil, fmt.Errorf("version %s is listed twice", v.Version)
		}
		seen[v.Version] = true
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("give at least one fixed version, for example 11.5.1, 11.4.3")
	}
	if len(out) > MaxFixedVersions {
		return nil, fmt.Errorf("list at most %d fixed versions", MaxFixedVersions)
	}
	return out, nil
}

func parseFixedVersion(item string) (FixedVersion, error) {
	version, date, hasDate := strings.Cut(item, "(")
	version = strings.TrimSpace(version)
	v := FixedVersion{Version: strings.TrimPrefix(strings.TrimPrefix(version, "v"), "V")}
	if hasDate {
		date = strings.TrimSpace(date)
		if !strings.HasSuffix(date, ")") || strings.ContainsAny(date[:len(date)-1], "()") {
			return FixedVersion{}, fmt.Errorf("%q: write the release date in parentheses after the version, like 11.5.1 (2026-02-10)", item)
		}
		v.Released = strings.TrimSpace(strings.TrimSuffix(date, ")"))
	}
	if err := v.Validate(); err != nil {
		return FixedVersion{}, fmt.Errorf("%q: %w", item, err)
	}
	return v, nil
}

// Validate checks the version number and the date.
func (v FixedVersion) Validate() error {
	if !versionPattern.MatchString(v.Version) {
		return errors.New("a version is written like 11.5.1")
	}
	if v.Released != "" {
		if _, err := time.Parse(dateLayout, v.Released); err != nil {
			return errors.New("a release date is written like 2026-02-10")
		}
	}
	return nil
}
