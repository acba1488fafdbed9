package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
)

// The security.txt settings (RFC 9116). Each is optional: without them the file
// still names the site as the contact and links the policy, the key and the
// Hall of Fame.

// maxLanguages and maxCanonical keep the file short; RFC 9116 sets no limit.
const (
	maxLanguages = 20
	maxCanonical = 10
)

// languageTag matches the syntax of an RFC 5646 language tag ("en", "pt-BR",
// "zh-Hant-TW"), which is what Preferred-Languages holds.
var languageTag = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// splitList splits a comma- or space-separated setting, dropping empty items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// parseContactEmail reads the optional security contact address: just the
// address, since security.txt prefixes it with mailto:.
func parseContactEmail(text string) (string, error) {
	email := strings.TrimSpace(text)
	if email == "" {
		return "", nil
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || strings.ContainsAny(email, " <>\"") {
		return "", fmt.Errorf("%q is not an email address; give just the address, e.g. security@example.com", email)
	}
	return email, nil
}

// parseLanguages reads the Preferred-Languages tags, in order.
func parseLanguages(text string) ([]string, error) {
	tags := splitList(text)
	if len(tags) > maxLanguages {
		return nil, fmt.Errorf("lists %d languages; at most %d", len(tags), maxLanguages)
	}
	seen := map[string]bool{}
	for _, tag := range tags {
		if !languageTag.MatchString(tag) {
			return nil, fmt.Errorf("%q is not a language tag; use tags like en, de, pt-BR, separated by commas", tag)
		}
		if seen[strings.ToLower(tag)] {
			return nil, fmt.Errorf("%q is listed twice", tag)
		}
		seen[strings.ToLower(tag)] = true
	}
	return tags, nil
}

// parseCanonical reads the https URLs where security.txt is published.
func parseCanonical(text string) ([]string, error) {
	urls := splitList(text)
	if len(urls) > maxCanonical {
		return nil, fmt.Errorf("lists %d URLs; at most %d", len(urls), maxCanonical)
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("%q is not an https URL; give where the file is published, e.g. https://chat.example.com/.well-known/security.txt", raw)
		}
	}
	return urls, nil
}
