package signing

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// Fuzz targets for signed state: it arrives from clients in every dialog
// submission and button press, so Verify reads hostile input.

var fuzzClock = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func fuzzSigner(t testing.TB) *Signer {
	t.Helper()
	s, err := New(bytes.Repeat([]byte{42}, KeySize), func() time.Time { return fuzzClock })
	require.NoError(t, err)
	return s
}

// issued are the states the plugin handed out in this test: the only ones
// Verify may accept.
var issuedClaims = []Claims{
	{UserID: "alice", Kind: "report"},
	{UserID: "triager", Kind: "action:close", ReportID: 12, Version: 7, Extra: "duplicate"},
	{UserID: "triager", Kind: "staging:approve", ReportID: 3, Version: 2},
	{UserID: "admin", Kind: "halloffame:import"},
}

// FuzzVerifyAcceptsOnlyIssuedStates: whatever a client sends, Verify accepts
// exactly the states Sign produced, for their user and kind; any other
// spelling, a changed byte, a state of another user or kind, is refused the
// same way.
func FuzzVerifyAcceptsOnlyIssuedStates(f *testing.F) {
	s := fuzzSigner(f)
	issued := map[string]Claims{}
	for _, c := range issuedClaims {
		state := s.Sign(c, time.Hour)
		c.Expires = fuzzClock.Add(time.Hour).Unix()
		issued[state] = c
		f.Add(state, c.UserID, c.Kind)
		f.Add(state, "mallory", c.Kind)
		f.Add(state+"A", c.UserID, c.Kind)
		f.Add(state[:len(state)-1]+"B", c.UserID, c.Kind)
	}
	f.Add("", "", "")
	f.Add(".", "alice", "report")
	f.Add("eyJ1IjoiYWxpY2UiLCJrIjoicmVwb3J0IiwiZSI6OTk5OTk5OTk5OX0.", "alice", "report")
	f.Fuzz(func(t *testing.T, state, userID, kind string) {
		c, err := s.Verify(state, userID, kind)
		want, ok := issued[state]
		if !ok || want.UserID != userID || want.Kind != kind {
			require.ErrorIs(t, err, ErrInvalid)
			require.Equal(t, Claims{}, c)
			return
		}
		require.NoError(t, err)
		require.Equal(t, want, c)
	})
}

// FuzzSignVerifyRoundTrip: any claims the plugin signs verify to the same
// claims, for their user and kind only, until they expire.
func FuzzSignVerifyRoundTrip(f *testing.F) {
	for _, c := range issuedClaims {
		f.Add(c.UserID, c.Kind, c.ReportID, c.Version, c.Extra)
	}
	f.Add("ü\u202e", "k\x00", -1, 1<<30, `"}{.`)
	f.Fuzz(func(t *testing.T, userID, kind string, reportID, version int, extra string) {
		s := fuzzSigner(t)
		in := Claims{UserID: userID, Kind: kind, ReportID: reportID, Version: version, Extra: extra}
		state := s.Sign(in, time.Minute)
		c, err := s.Verify(state, userID, kind)
		// JSON carries text as valid UTF-8: invalid bytes come back as U+FFFD,
		// so such a state fails closed (the plugin's ids and kinds are ASCII).
		if userID == "" || !utf8.ValidString(userID) || !utf8.ValidString(kind) {
			require.ErrorIs(t, err, ErrInvalid, "a state names a user, in text")
			return
		}
		require.NoError(t, err)
		in.Expires = fuzzClock.Add(time.Minute).Unix()
		in.Extra = asJSONText(extra)
		require.Equal(t, in, c)

		_, err = s.Verify(state, userID+"x", kind)
		require.ErrorIs(t, err, ErrInvalid)
		_, err = s.Verify(state, userID, kind+"x")
		require.ErrorIs(t, err, ErrInvalid)
		late := &Signer{key: s.key, now: func() time.Time { return fuzzClock.Add(time.Minute) }}
		_, err = late.Verify(state, userID, kind)
		require.ErrorIs(t, err, ErrInvalid, "expired")
	})
}

// asJSONText is s as encoding/json carries it: each byte that is not part of
// valid UTF-8 becomes U+FFFD.
func asJSONText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:]) // utf8.RuneError for a stray byte
		b.WriteRune(r)
		i += size
	}
	return b.String()
}
