package config

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newEntity makes a key with two identities and one encryption subkey.
func newEntity(t testing.TB) *openpgp.Entity {
	t.Helper()
	e, err := openpgp.NewEntity("Security Team", "", "security@example.com", nil)
	require.NoError(t, err)
	require.NoError(t, e.AddUserId("Security Team", "", "psirt@example.com", nil))
	return e
}

// packets writes the pieces as one armored block of the given type, the way
// a careless export or a hostile paste would put them together.
func packets(t testing.TB, blockType string, headers map[string]string, pieces ...func(io.Writer) error) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, blockType, headers)
	require.NoError(t, err)
	for _, piece := range pieces {
		require.NoError(t, piece(w))
	}
	require.NoError(t, w.Close())
	return buf.String()
}

// identities writes the user ids of e with their self-signatures.
func identities(e *openpgp.Entity) func(io.Writer) error {
	return func(w io.Writer) error {
		for _, ident := range e.Identities {
			if err := ident.UserId.Serialize(w); err != nil {
				return err
			}
			if err := ident.SelfSignature.Serialize(w); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestParsePublicKeyRefusesSecretMaterial(t *testing.T) {
	e := newEntity(t)
	sub := e.Subkeys[0]
	publicPrimary := func(w io.Writer) error { return e.PrimaryKey.Serialize(w) }
	// SerializePrivate-style packets, without re-signing, exactly as stored.
	secretPrimary := func(w io.Writer) error { return e.PrivateKey.Serialize(w) }
	secretSubkey := func(w io.Writer) error {
		if err := sub.PrivateKey.Serialize(w); err != nil {
			return err
		}
		return sub.Sig.Serialize(w)
	}
	publicSubkey := func(w io.Writer) error {
		if err := sub.PublicKey.Serialize(w); err != nil {
			return err
		}
		return sub.Sig.Serialize(w)
	}
	literal := func(w io.Writer) error {
		lw, err := packet.SerializeLiteral(nopCloser{w}, true, "note.txt", 0)
		if err != nil {
			return err
		}
		if _, err := lw.Write([]byte("hello")); err != nil {
			return err
		}
		return lw.Close()
	}

	tests := []struct {
		name   string
		armor  string
		reason string // "" means accepted
	}{
		{"public key", packets(t, openpgp.PublicKeyType, nil, publicPrimary, identities(e), publicSubkey), ""},
		{"secret subkey under a public header", packets(t, openpgp.PublicKeyType, nil, publicPrimary, identities(e), secretSubkey), "contains a secret subkey"},
		{"secret primary under a public header", packets(t, openpgp.PublicKeyType, nil, secretPrimary, identities(e), publicSubkey), "contains a secret primary key"},
		{"whole secret key under a public header", packets(t, openpgp.PublicKeyType, nil, secretPrimary, identities(e), secretSubkey), "contains a secret primary key"},
		{"private key block", packets(t, openpgp.PrivateKeyType, nil, secretPrimary, identities(e), secretSubkey), "is a PRIVATE key"},
		{"a message hidden after the key", packets(t, openpgp.PublicKeyType, nil, publicPrimary, identities(e), publicSubkey, literal), "packet of type 11"},
		{"two keys in one block", packets(t, openpgp.PublicKeyType, nil, publicPrimary, identities(e), publicPrimary, identities(e)), "holds 2 keys"},
		{"identities without a key", packets(t, openpgp.PublicKeyType, nil, identities(e)), "holds 0 keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParsePublicKey(tt.armor)
			if tt.reason == "" {
				require.NoError(t, err)
				assert.Equal(t, formatFingerprint(e.PrimaryKey.Fingerprint), key.Fingerprint)
				return
			}
			require.Error(t, err)
			assert.Nil(t, key)
			assert.Contains(t, err.Error(), tt.reason)
		})
	}
}

func TestParsePublicKeyServesItsOwnSerialization(t *testing.T) {
	e := newEntity(t)
	pasted := packets(t, openpgp.PublicKeyType, map[string]string{"Comment": "<script>alert(1)</script>"},
		func(w io.Writer) error { return e.Serialize(w) })
	// A paste usually comes with stray blank lines and CRLF line ends.
	pasted = "\r\n" + strings.ReplaceAll(pasted, "\n", "\r\n")

	key, err := ParsePublicKey(pasted)
	require.NoError(t, err)
	assert.NotEqual(t, strings.TrimSpace(pasted), key.Armored, "the served key is the plugin's serialization")
	assert.NotContains(t, key.Armored, "Comment", "armor headers of the paste are not served")
	assert.NotContains(t, key.Armored, "\r")
	assert.True(t, strings.HasPrefix(key.Armored, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n"))
	assert.True(t, strings.HasSuffix(key.Armored, "-----END PGP PUBLIC KEY BLOCK-----"))
	assert.ElementsMatch(t, []string{"Security Team <psirt@example.com>", "Security Team <security@example.com>"}, key.UserIDs)

	// The serialization is a complete public key: it reads back to the same
	// key, with the subkey researchers encrypt to, and to the same bytes.
	ring, err := openpgp.ReadArmoredKeyRing(strings.NewReader(key.Armored))
	require.NoError(t, err)
	require.Len(t, ring, 1)
	assert.Nil(t, ring[0].PrivateKey)
	require.Len(t, ring[0].Subkeys, 1)
	assert.Nil(t, ring[0].Subkeys[0].PrivateKey)
	assert.Equal(t, e.Subkeys[0].PublicKey.Fingerprint, ring[0].Subkeys[0].PublicKey.Fingerprint)
	_, ok := ring[0].EncryptionKey(e.PrimaryKey.CreationTime.Add(1))
	assert.True(t, ok, "the served key can encrypt")

	again, err := ParsePublicKey(key.Armored)
	require.NoError(t, err)
	assert.Equal(t, key, again, "parsing the served key gives it back unchanged")
	for range 20 {
		other, err := ParsePublicKey(pasted)
		require.NoError(t, err)
		require.Equal(t, key, other, "the same bytes every time, whatever the map order of identities")
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
