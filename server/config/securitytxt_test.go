package config

import (
	"maps"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecurityTxtSettingsValidation(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(c map[string]any)
		setting string // "" when valid
		reason  string
	}{
		{"all empty", func(map[string]any) {}, "", ""},
		{"valid values", func(c map[string]any) {
			c["securitycontactemail"] = " security@example.com "
			c["securitytxtlanguages"] = "en, de,pt-BR zh-Hant-TW"
			c["securitytxtcanonical"] = "https://chat.example.com/.well-known/security.txt, https://example.com/.well-known/security.txt"
		}, "", ""},
		{"email with a display name", func(c map[string]any) { c["securitycontactemail"] = "Team <security@example.com>" }, "Security contact email", "not an email address"},
		{"not an email", func(c map[string]any) { c["securitycontactemail"] = "security at example.com" }, "Security contact email", "not an email address"},
		{"mailto prefix", func(c map[string]any) { c["securitycontactemail"] = "mailto:security@example.com" }, "Security contact email", "not an email address"},
		{"bad language tag", func(c map[string]any) { c["securitytxtlanguages"] = "en, 123" }, "security.txt preferred languages", "not a language tag"},
		{"language with underscore", func(c map[string]any) { c["securitytxtlanguages"] = "pt_BR" }, "security.txt preferred languages", "not a language tag"},
		{"language twice", func(c map[string]any) { c["securitytxtlanguages"] = "en, EN" }, "security.txt preferred languages", "listed twice"},
		{"too many languages", func(c map[string]any) { c["securitytxtlanguages"] = strings.Repeat("en,", 21) }, "security.txt preferred languages", "at most 20"},
		{"http canonical", func(c map[string]any) { c["securitytxtcanonical"] = "http://chat.example.com/.well-known/security.txt" }, "security.txt canonical URLs", "not an https URL"},
		{"relative canonical", func(c map[string]any) { c["securitytxtcanonical"] = "/.well-known/security.txt" }, "security.txt canonical URLs", "not an https URL"},
		{"canonical with credentials", func(c map[string]any) { c["securitytxtcanonical"] = "https://u:p@example.com/security.txt" }, "security.txt canonical URLs", "not an https URL"},
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
			again := maps.Clone(next)
			again["channelname"] = "other"
			assert.Empty(t, Validate(next, again, teams("security")))
		})
	}
}

func TestSecurityTxtSettingsDerivedValues(t *testing.T) {
	s, problems := Parse(map[string]any{
		"securitycontactemail": "  security@example.com ",
		"securitytxtlanguages": " en ,de,, pt-BR ",
		"securitytxtcanonical": "https://a.example/security.txt\nhttps://b.example/security.txt",
	})
	require.Empty(t, problems)
	assert.Equal(t, "security@example.com", s.Public.SecurityTxt.ContactEmail)
	assert.Equal(t, []string{"en", "de", "pt-BR"}, s.Public.SecurityTxt.Languages)
	assert.Equal(t, []string{"https://a.example/security.txt", "https://b.example/security.txt"}, s.Public.SecurityTxt.Canonical)
	empty, _ := Parse(map[string]any{"securitytxtlanguages": ""})
	assert.Empty(t, empty.Public.SecurityTxt.Languages, "an empty list leaves the field out")
}
