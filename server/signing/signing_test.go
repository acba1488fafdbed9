package signing

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerify(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, err := New(bytes.Repeat([]byte{1}, KeySize), clock)
	require.NoError(t, err)
	other, err := New(bytes.Repeat([]byte{2}, KeySize), clock)
	require.NoError(t, err)

	good := s.Sign(Claims{UserID: "alice", Kind: "report", ReportID: 7, Version: 3, Extra: "dup"}, time.Hour)
	payload, mac, _ := strings.Cut(good, ".")
	tampered := base64.RawURLEncoding.EncodeToString([]byte(`{"u":"alice","k":"report","r":8,"e":9999999999}`)) + "." + mac

	tests := []struct {
		name  string
		state string
		user  string
		kind  string
		at    time.Time
		ok    bool
	}{
		{"valid", good, "alice", "report", now, true},
		{"just before expiry", good, "alice", "report", now.Add(time.Hour - time.Second), true},
		{"expired", good, "alice", "report", now.Add(time.Hour), false},
		{"other user", good, "mallory", "report", now, false},
		{"other kind", good, "alice", "close", now, false},
		{"missing", "", "alice", "report", now, false},
		{"no signature", payload, "alice", "report", now, false},
		{"tampered payload", tampered, "alice", "report", now, false},
		{"signed by another install", other.Sign(Claims{UserID: "alice", Kind: "report"}, time.Hour), "alice", "report", now, false},
		{"garbage", "!!!.???", "alice", "report", now, false},
		{"last character's padding bits changed", flipPaddingBits(good), "alice", "report", now, false},
		// Found by FuzzVerifyAcceptsOnlyIssuedStates: base64 decoding skips CR and LF.
		{"carriage returns in the signature", payload + "." + mac[:10] + "\r\r" + mac[10:], "alice", "report", now, false},
		{"a newline in the signature", payload + "." + mac[:5] + "\n" + mac[5:], "alice", "report", now, false},
		{"a newline at the end", good + "\n", "alice", "report", now, false},
		{"a newline in the payload", payload[:4] + "\n" + payload[4:] + "." + mac, "alice", "report", now, false},
		{"empty user", s.Sign(Claims{Kind: "report"}, time.Hour), "", "report", now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = tt.at
			defer func() { now = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }()
			c, err := s.Verify(tt.state, tt.user, tt.kind)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 7, c.ReportID)
			assert.Equal(t, 3, c.Version)
			assert.Equal(t, "dup", c.Extra)
		})
	}
}

func TestNewRefusesShortKeys(t *testing.T) {
	_, err := New([]byte("short"), time.Now)
	assert.Error(t, err)
}

// flipPaddingBits changes the last character of a token so that only bits the
// lenient decoder ignores differ: a 32-byte MAC is 43 characters, 2 bits spare.
func flipPaddingBits(token string) string {
	last := token[len(token)-1]
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, last)
	return token[:len(token)-1] + string(alphabet[i^1])
}
