package report

import "strings"

// A researcher may encrypt their report to the team's PGP key (/security pgp)
// and paste the ASCII-armored message as the description, or as a reply. The
// plugin never parses or decrypts it: it only recognises the armor's frame, so
// that the report needs no other text, and shows the block as it came, for
// the team to copy and decrypt where their private key is.
const (
	armorBegin = "-----BEGIN PGP MESSAGE-----"
	armorEnd   = "-----END PGP MESSAGE-----"
)

// MaxArmoredRunes bounds an armored description: a whole report encrypted
// (description, steps and impact at their limits) and base64-armored.
const MaxArmoredRunes = 64000

// IsArmoredMessage says whether text, around its surrounding space, is one
// ASCII-armored PGP message: its BEGIN line first, its END line last, once.
func IsArmoredMessage(text string) bool {
	t := strings.TrimSpace(text)
	return strings.HasPrefix(t, armorBegin) && strings.HasSuffix(t, armorEnd) &&
		strings.Count(t, armorBegin) == 1 && strings.Count(t, armorEnd) == 1
}

// Encrypted says whether the report's description is an armored PGP message:
// then the steps and the impact may be inside it rather than beside it.
func (r *Report) Encrypted() bool { return IsArmoredMessage(r.Description) }
