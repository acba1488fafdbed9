package config

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// The fuzz targets check the parsers of free-form admin input: whatever they
// accept is well formed, and reads back the same when written out again.

func FuzzParseProducts(f *testing.F) {
	for _, seed := range []string{"", "Server, Webapp", " a ,, b ,", "Server, server", strings.Repeat("x,", 41), "é,日本語", "\u00a0,\t"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		products, err := parseProducts(in)
		if err != nil {
			return
		}
		require.LessOrEqual(t, len(products), maxProducts)
		seen := map[string]bool{}
		for _, p := range products {
			require.NotEmpty(t, p)
			require.Equal(t, strings.TrimSpace(p), p)
			require.NotContains(t, p, ",")
			require.LessOrEqual(t, utf8.RuneCountInString(p), maxProductRunes)
			require.False(t, seen[strings.ToLower(p)], "%q twice", p)
			seen[strings.ToLower(p)] = true
		}
		again, err := parseProducts(strings.Join(products, ", "))
		require.NoError(t, err)
		require.Equal(t, products, again)
		require.Equal(t, len(products) == 0, noProducts(in), "noProducts agrees with the parser")
	})
}

func FuzzParseResponders(f *testing.F) {
	for _, seed := range []string{"", "@alice, bob", "Alice", "@", "a b", "@@alice", "alice,,bob", "ünï"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		names, err := parseResponders(in)
		if err != nil {
			return
		}
		for _, name := range names {
			require.True(t, model.IsValidUsername(name), "%q", name)
			require.Equal(t, strings.ToLower(name), name)
		}
		again, err := parseResponders("@" + strings.Join(names, ", @"))
		if len(names) == 0 {
			return
		}
		require.NoError(t, err)
		require.Equal(t, names, again)
	})
}

func FuzzParseTarget(f *testing.F) {
	for _, seed := range []string{"2d", " 36H ", "90m", "0d", "1.5d", "d", "-1h", "99999999999999999999s", "7 d"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := newSettings()
		if err := target(func(s *Settings) *sla.Target { return &s.Clocks.Triage })(in, s); err != nil {
			assert.True(t, s.Clocks.Triage.IsZero(), "a refused value is not stored")
			return
		}
		got := s.Clocks.Triage
		require.False(t, got.IsZero())
		require.Positive(t, got.Length())
		again, err := sla.ParseTarget(got.String())
		require.NoError(t, err, "the canonical form %q parses", got.String())
		require.Equal(t, got, again)
	})
}
