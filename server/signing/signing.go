// Package signing signs the state the plugin hands to clients (dialog state,
// button context) so that a submission can only carry what the plugin itself
// issued: to this user, for this kind of dialog, not yet expired.
package signing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/pkg/errors"
)

// ErrInvalid is returned for any state that is missing, forged, expired or issued
// to someone else. Callers answer all of these the same way.
var ErrInvalid = errors.New("this form has expired or was not issued to you; please open it again")

// KeySize is the length of a per-install secret in bytes.
const KeySize = 32

// Claims is what a signed state carries.
type Claims struct {
	UserID string `json:"u"`
	Kind   string `json:"k"`
	// ReportID and Version pin a triage dialog to the report state it was opened on.
	ReportID int   `json:"r,omitempty"`
	Version  int   `json:"v,omitempty"`
	Expires  int64 `json:"e"`
	// Extra carries small kind-specific values (e.g. the closing reason picked).
	Extra string `json:"x,omitempty"`
}

var strictBase64 = base64.RawURLEncoding.Strict()

// Signer signs and verifies with one secret.
type Signer struct {
	key []byte
	now func() time.Time
}

// New returns a signer for the per-install key.
func New(key []byte, now func() time.Time) (*Signer, error) {
	if len(key) < KeySize {
		return nil, errors.Errorf("signing key must be at least %d bytes", KeySize)
	}
	return &Signer{key: key, now: now}, nil
}

// Sign returns claims valid for ttl, as "<payload>.<mac>" in URL-safe base64.
func (s *Signer) Sign(c Claims, ttl time.Duration) string {
	c.Expires = s.now().Add(ttl).Unix()
	payload, _ := json.Marshal(c) // Claims always marshals
	encoded := base64.RawURLEncoding.EncodeToString(payload)
	return encoded + "." + base64.RawURLEncoding.EncodeToString(s.mac(encoded))
}

// Verify checks the signature, the expiry, and that the state was issued to
// userID for kind.
func (s *Signer) Verify(state, userID, kind string) (Claims, error) {
	encoded, sig, ok := strings.Cut(state, ".")
	if !ok {
		return Claims{}, ErrInvalid
	}
	// A token has exactly one spelling. Strict decoding refuses a changed last
	// character (whose low bits are padding), but like every base64 decoder of
	// the standard library it skips CR and LF, so "ab\rcd" would pass as
	// "abcd": the signature must also be the encoding of what it decodes to.
	// (The payload needs no such check: the MAC covers its spelling.)
	got, err := strictBase64.DecodeString(sig)
	if err != nil || base64.RawURLEncoding.EncodeToString(got) != sig || !hmac.Equal(got, s.mac(encoded)) {
		return Claims{}, ErrInvalid
	}
	payload, err := strictBase64.DecodeString(encoded)
	if err != nil {
		return Claims{}, ErrInvalid
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return Claims{}, ErrInvalid
	}
	if c.UserID == "" || c.UserID != userID || c.Kind != kind || s.now().Unix() >= c.Expires {
		return Claims{}, ErrInvalid
	}
	return c, nil
}

func (s *Signer) mac(encoded string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(encoded))
	return m.Sum(nil)
}
