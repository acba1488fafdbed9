package config

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/pkg/errors"
)

const (
	publicKeyBlock  = "PGP PUBLIC KEY BLOCK"
	privateKeyBlock = "PGP PRIVATE KEY BLOCK"
)

// PublicKey is the team's OpenPGP key as researchers see it.
type PublicKey struct {
	Armored     string
	Fingerprint string // uppercase hex in groups of four, as gpg prints it
	UserIDs     []string
}

// ParsePublicKey accepts exactly one armored OpenPGP public key block. A pasted
// private key is refused loudly: publishing it would let anyone read every
// encrypted report.
func ParsePublicKey(text string) (*PublicKey, error) {
	text = strings.TrimSpace(text)
	block, err := armor.Decode(strings.NewReader(text))
	if err != nil {
		return nil, errors.New("is not an ASCII-armored OpenPGP key: it must start with -----BEGIN PGP PUBLIC KEY BLOCK-----")
	}
	switch block.Type {
	case publicKeyBlock:
	case privateKeyBlock:
		return nil, errors.New("is a PRIVATE key. Never paste a private key here: paste the public key (gpg --armor --export <id>), and consider this private key exposed")
	default:
		return nil, errors.Errorf("is a %q block, not a %q", block.Type, publicKeyBlock)
	}

	// The armor reader stops after the first block; anything after it would be
	// silently dropped, so it is refused instead.
	endMarker := "-----END " + publicKeyBlock + "-----"
	if end := strings.Index(text, endMarker); end < 0 || strings.TrimSpace(text[end+len(endMarker):]) != "" {
		return nil, errors.New("must hold exactly one public key block and nothing after it")
	}

	entities, err := openpgp.ReadArmoredKeyRing(strings.NewReader(text))
	if err != nil {
		return nil, errors.Errorf("could not be read as an OpenPGP public key: %v", err)
	}
	if len(entities) != 1 {
		return nil, errors.Errorf("holds %d keys; paste exactly one public key", len(entities))
	}
	entity := entities[0]
	if entity.PrivateKey != nil {
		return nil, errors.New("contains private key material. Never paste a private key here: paste the public key only")
	}

	key := &PublicKey{
		Armored:     text,
		Fingerprint: formatFingerprint(entity.PrimaryKey.Fingerprint),
	}
	for name := range entity.Identities {
		key.UserIDs = append(key.UserIDs, name)
	}
	return key, nil
}

func formatFingerprint(fp []byte) string {
	var b bytes.Buffer
	for i, octet := range fp {
		if i > 0 && i%2 == 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02X", octet)
	}
	return b.String()
}

// parsePGPKey reads the optional team key; nil when none is configured.
func parsePGPKey(text string) (*PublicKey, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	return ParsePublicKey(text)
}
