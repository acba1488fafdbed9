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

// ContactEmail is the security contact address, or "".
func (c *Configuration) ContactEmail() string {
	return strings.TrimSpace(c.SecurityContactEmail)
}

// PreferredLanguages lists the language tags of the setting, in order.
func (c *Configuration) PreferredLanguages() []string {
	return splitList(c.SecurityTxtLanguages)
}

// CanonicalURLs lists the URLs where security.txt is published.
func (c *Configuration) CanonicalURLs() []string {
	return splitList(c.SecurityTxtCanonical)
}

// splitList splits a comma- or space-separated setting, dropping empty items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// validateSecurityTxt judges the security.txt settings that changed.
func validateSecurityTxt(prev, next *Configuration, add func(setting, reason string)) {
	changed := func(field func(*Configuration) string) bool {
		return prev == nil || field(prev) != field(next)
	}
	if changed(func(c *Configuration) string { return c.SecurityContactEmail }) {
		if reason := checkContactEmail(next.ContactEmail()); reason != "" {
			add("Security contact email", reason)
		}
	}
	if changed(func(c *Configuration) string { return c.SecurityTxtLanguages }) {
		if reason := checkLanguages(next.PreferredLanguages()); reason != "" {
			add("security.txt preferred languages", reason)
		}
	}
	if changed(func(c *Configuration) string { return c.SecurityTxtCanonical }) {
		if reason := checkCanonical(next.CanonicalURLs()); reason != "" {
			add("security.txt canonical URLs", reason)
		}
	}
}

func checkContactEmail(email string) string {
	if email == "" {
		return ""
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || strings.ContainsAny(email, " <>\"") {
		return fmt.Sprintf("%q is not an email address; give just the address, e.g. security@example.com", email)
	}
	return ""
}

func checkLanguages(tags []string) string {
	if len(tags) > maxLanguages {
		return fmt.Sprintf("lists %d languages; at most %d", len(tags), maxLanguages)
	}
	seen := map[string]bool{}
	for _, tag := range tags {
		if !languageTag.MatchString(tag) {
			return fmt.Sprintf("%q is not a language tag; use tags like en, de, pt-BR, separated by commas", tag)
		}
		if seen[strings.ToLower(tag)] {
			return fmt.Sprintf("%q is listed twice", tag)
		}
		seen[strings.ToLower(tag)] = true
	}
	return ""
}

func checkCanonical(urls []string) string {
	if len(urls) > maxCanonical {
		return fmt.Sprintf("lists %d URLs; at most %d", len(urls), maxCanonical)
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.Fragment != "" || u.User != nil {
			return fmt.Sprintf("%q is not an https URL; give where the file is published, e.g. https://chat.example.com/.well-known/security.txt", raw)
		}
	}
	return ""
}
