package notify

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestUsernamesAreRememberedForAShortWhile(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var u usernames
	u.put("u1", "alice", t0)
	for _, tc := range []struct {
		name  string
		at    time.Time
		found bool
	}{
		{"at once", t0, true},
		{"just before the end", t0.Add(usernameTTL - time.Millisecond), true},
		{"at the end", t0.Add(usernameTTL), false},
		{"a clock set back", t0.Add(-time.Second), false},
	} {
		got, ok := u.get("u1", tc.at)
		assert.Equal(t, tc.found, ok, tc.name)
		if tc.found {
			assert.Equal(t, "alice", got, tc.name)
		}
	}
	_, ok := u.get("u2", t0)
	assert.False(t, ok, "never seen")
}
