package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecurityTxtSettingsValidation(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(c *Configuration)
		setting string // "" when valid
		reason  string
	}{
		{"all empty", func(*Configuration) {}, "", ""},
		{"valid values", func(c *Configuration) {
			c.SecurityContactEmail = " security@example.com "
			c.SecurityTxtLanguages = "en, de,pt-BR zh-Hant-TW"
			c.SecurityTxtCanonical = "https://chat.example.com/.well-known/security.txt, https://example.com/.well-known/security.txt"
		}, "", ""},
		{"email with a display name", func(c *Configuration) { c.SecurityContactEmail = "Team <security@example.com>" }, "Security contact email", "not an email address"},
		{"not an email", func(c *Configuration) { c.SecurityContactEmail = "security at example.com" }, "Security contact email", "not an email address"},
		{"mailto prefix", func(c *Configuration) { c.SecurityContactEmail = "mailto:security@example.com" }, "Security contact email", "not an email address"},
		{"bad language tag", func(c *Configuration) { c.SecurityTxtLanguages = "en, 123" }, "security.txt preferred languages", "not a language tag"},
		{"language with underscore", func(c *Configuration) { c.SecurityTxtLanguages = "pt_BR" }, "security.txt preferred languages", "not a language tag"},
		{"language twice", func(c *Configuration) { c.SecurityTxtLanguages = "en, EN" }, "security.txt preferred languages", "listed twice"},
		{"too many languages", func(c *Configuration) { c.SecurityTxtLanguages = strings.Repeat("en,", 21) }, "security.txt preferred languages", "at most 20"},
		{"http canonical", func(c *Configuration) { c.SecurityTxtCanonical = "http://chat.example.com/.well-known/security.txt" }, "security.txt canonical URLs", "not an https URL"},
		{"relative canonical", func(c *Configuration) { c.SecurityTxtCanonical = "/.well-known/security.txt" }, "security.txt canonical URLs", "not an https URL"},
		{"canonical with credentials", func(c *Configuration) { c.SecurityTxtCanonical = "https://u:p@example.com/security.txt" }, "security.txt canonical URLs", "not an https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := valid()
			tt.mutate(next)
			problems := Validate(nil, next, teams("security"))
			if tt.setting == "" {
				assert.Empty(t, problems)
				return
			}
			require.Len(t, problems, 1, "%v", problems)
			assert.Equal(t, tt.setting, problems[0].Setting)
			assert.Contains(t, problems[0].Reason, tt.reason)

			// An unchanged invalid value never blocks other saves.
			again := next.Clone()
			again.ChannelName = "other"
			assert.Empty(t, Validate(next, again, teams("security")))
		})
	}
}

func TestSecurityTxtSettingsDerivedValues(t *testing.T) {
	c := &Configuration{
		SecurityContactEmail: "  security@example.com ",
		SecurityTxtLanguages: " en ,de,, pt-BR ",
		SecurityTxtCanonical: "https://a.example/security.txt\nhttps://b.example/security.txt",
	}
	assert.Equal(t, "security@example.com", c.ContactEmail())
	assert.Equal(t, []string{"en", "de", "pt-BR"}, c.PreferredLanguages())
	assert.Equal(t, []string{"https://a.example/security.txt", "https://b.example/security.txt"}, c.CanonicalURLs())
	assert.Empty(t, (&Configuration{}).PreferredLanguages())
}
