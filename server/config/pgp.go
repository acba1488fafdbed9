package config

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/pkg/errors"
)

const (
	publicKeyBlock  = "PGP PUBLIC KEY BLOCK"
	privateKeyBlock = "PGP PRIVATE KEY BLOCK"
)

// PublicKey is the team's OpenPGP key as researchers see it.
type PublicKey struct {
	// Armored is the key as the plugin serialized it from what it read: only
	// public packets, never the pasted text, so nothing the parser skipped
	// (a secret packet, a stray block) can ride along to the public route.
	Armored     string
	Fingerprint string   // uppercase hex in groups of four, as gpg prints it
	UserIDs     []string // in the order of the pasted key
}

// ParsePublicKey accepts exactly one armored OpenPGP public key block. A pasted
// private key is refused loudly, and so is a public key block that carries
// secret packets (gpg's --export-secret-subkeys output relabelled, say):
// publishing either would let anyone read every encrypted report.
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

	body, err := io.ReadAll(block.Body)
	if err != nil {
		return nil, errors.Errorf("has a damaged armor (a line changed or cut?): %v", err)
	}
	// The packets are judged before the key is parsed: the parser keeps what
	// it understands and skips the rest, so a secret packet it skipped would
	// otherwise pass unseen.
	order, err := checkPublicPackets(body)
	if err != nil {
		return nil, err
	}
	entities, err := openpgp.ReadKeyRing(bytes.NewReader(body))
	if err != nil {
		return nil, errors.Errorf("could not be read as an OpenPGP public key: %v", err)
	}
	if len(entities) != 1 {
		return nil, errors.Errorf("holds %d usable keys; paste exactly one public key", len(entities))
	}
	entity := entities[0]

	armored, names, err := armorPublic(entity, order)
	if err != nil {
		return nil, errors.Errorf("could not be written out as a public key: %v", err)
	}
	return &PublicKey{
		Armored:     armored,
		Fingerprint: formatFingerprint(entity.PrimaryKey.Fingerprint),
		UserIDs:     names,
	}, nil
}

// OpenPGP packet tags (RFC 9580 section 5) that a transferable public key
// may hold. Everything else, secret keys above all, is refused.
const (
	tagSignature     = 2
	tagSecretKey     = 5
	tagPublicKey     = 6
	tagSecretSubkey  = 7
	tagMarker        = 10
	tagTrust         = 12
	tagUserID        = 13
	tagPublicSubkey  = 14
	tagUserAttribute = 17
	tagPadding       = 21
)

// checkPublicPackets refuses a key whose packets are not all parts of one
// public key: a secret primary key or subkey (whatever the armor header
// says), a second key, or data that has no place in a key, such as a
// compressed packet that could hide any of these. It returns the user ids in
// the order the key lists them, once each.
func checkPublicPackets(body []byte) ([]string, error) {
	r := packet.NewOpaqueReader(bytes.NewReader(body))
	primaries := 0
	var userIDs []string
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, errors.Errorf("could not be read as OpenPGP packets: %v", err)
		}
		switch p.Tag {
		case tagSecretKey:
			return nil, errors.New("contains a secret primary key, though its header says PUBLIC KEY BLOCK. Never paste secret keys here: export the public key only (gpg --armor --export <id>), and consider this key exposed")
		case tagSecretSubkey:
			return nil, errors.New("contains a secret subkey, though its header says PUBLIC KEY BLOCK. Never paste secret keys here: export the public key only (gpg --armor --export <id>), and consider this subkey exposed")
		case tagPublicKey:
			primaries++
		case tagUserID:
			if id := string(p.Contents); !slices.Contains(userIDs, id) {
				userIDs = append(userIDs, id)
			}
		case tagSignature, tagMarker, tagTrust, tagPublicSubkey, tagUserAttribute, tagPadding:
		default:
			return nil, errors.Errorf("holds an OpenPGP packet of type %d, which has no place in a public key; export the key with gpg --armor --export <id>", p.Tag)
		}
	}
	if primaries != 1 {
		return nil, errors.Errorf("holds %d keys; paste exactly one public key", primaries)
	}
	return userIDs, nil
}

// armorPublic writes the public parts of entity as one armored block, and
// returns the user ids it wrote. It follows openpgp.Entity.Serialize, except
// that identities go in the order of the pasted key (order, from its
// packets): Serialize walks a map, and the served key must be the same bytes
// on every server and after every restart, or its ETag would change for
// nothing. (Sorting the map's keys would be deterministic too, but its
// branches would follow the map's random order, which makes the fuzzer's
// coverage flaky.)
func armorPublic(e *openpgp.Entity, order []string) (armored string, names []string, err error) {
	// The library panics on a signature algorithm it parsed but cannot
	// write; that is an unusable key, not a crash of the settings save.
	defer func() {
		if r := recover(); r != nil {
			armored, names, err = "", nil, errors.Errorf("%v", r)
		}
	}()
	for _, name := range order {
		if e.Identities[name] != nil {
			names = append(names, name)
		}
	}
	// Every identity comes from a user id packet; one that did not would be
	// dropped from the served key, so it is refused instead.
	if len(names) != len(e.Identities) {
		return "", nil, errors.New("its user ids do not match its packets")
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return "", nil, err
	}
	if err := serializePublic(w, e, names); err != nil {
		return "", nil, err
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return strings.TrimSpace(buf.String()), names, nil
}

type serializer interface{ Serialize(io.Writer) error }

func serializePublic(w io.Writer, e *openpgp.Entity, names []string) error {
	parts := []serializer{e.PrimaryKey}
	for _, sig := range e.Revocations {
		parts = append(parts, sig)
	}
	for _, sig := range e.Signatures {
		parts = append(parts, sig)
	}
	for _, name := range names {
		ident := e.Identities[name]
		parts = append(parts, ident.UserId)
		for _, sig := range ident.Signatures {
			parts = append(parts, sig)
		}
	}
	for _, sub := range e.Subkeys {
		parts = append(parts, sub.PublicKey)
		for _, sig := range sub.Revocations {
			parts = append(parts, sig)
		}
		parts = append(parts, sub.Sig)
	}
	for _, p := range parts {
		if err := p.Serialize(w); err != nil {
			return err
		}
	}
	return nil
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
