package config

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
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

// FuzzParsePublicKey: a key the setting accepts is served as the plugin's own
// serialization, and that serialization holds public packets only, reads
// back to the same key and the same bytes (so every server serves one ETag),
// and names the fingerprint as gpg prints it.
func FuzzParsePublicKey(f *testing.F) {
	rsa := newEntity(f)
	ed, err := openpgp.NewEntity("Security Team", "", "security@example.com", &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	require.NoError(f, err)
	for _, e := range []*openpgp.Entity{rsa, ed} {
		public := packets(f, openpgp.PublicKeyType, nil, func(w io.Writer) error { return e.Serialize(w) })
		f.Add(public)
		f.Add(packets(f, openpgp.PublicKeyType, map[string]string{"Comment": "https://keys.example.com"}, func(w io.Writer) error { return e.Serialize(w) }))
		f.Add(packets(f, openpgp.PublicKeyType, nil, func(w io.Writer) error { return e.PrimaryKey.Serialize(w) }, identities(e),
			func(w io.Writer) error { return e.Subkeys[0].PrivateKey.Serialize(w) }, func(w io.Writer) error { return e.Subkeys[0].Sig.Serialize(w) }))
		f.Add(packets(f, openpgp.PrivateKeyType, nil, func(w io.Writer) error { return e.SerializePrivate(w, nil) }))
		f.Add(public[:len(public)/2])
		f.Add(public + "\n" + public)
	}
	f.Add("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----")
	f.Add("hello")
	fingerprint := regexp.MustCompile(`^([0-9A-F]{4} )+[0-9A-F]{4}$`)
	f.Fuzz(func(t *testing.T, text string) {
		key, err := ParsePublicKey(text)
		if err != nil {
			require.Nil(t, key)
			require.NotEmpty(t, err.Error())
			return
		}
		require.True(t, strings.HasPrefix(key.Armored, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n"))
		require.True(t, strings.HasSuffix(key.Armored, "-----END PGP PUBLIC KEY BLOCK-----"))
		require.Regexp(t, fingerprint, key.Fingerprint)
		block, err := armor.Decode(strings.NewReader(key.Armored))
		require.NoError(t, err)
		body, err := io.ReadAll(block.Body)
		require.NoError(t, err)
		names, err := checkPublicPackets(body)
		require.NoError(t, err, "the served key holds public packets only")
		require.Equal(t, key.UserIDs, names, "and its user ids, in order")
		again, err := ParsePublicKey(key.Armored)
		require.NoError(t, err, "the served key is accepted again")
		require.Equal(t, key, again, "and is the same key, the same bytes")
	})
}
