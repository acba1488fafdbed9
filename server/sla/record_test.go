package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRecordClaims(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	stale := 3 * time.Minute
	var r Record
	assert.Equal(t, Free, r.StateOf("k", t0, stale))

	r.Claim("k", t0)
	assert.Equal(t, Held, r.StateOf("k", t0.Add(stale-time.Second), stale), "a live claim is someone else's")
	assert.Equal(t, Stale, r.StateOf("k", t0.Add(stale), stale), "an old unconfirmed claim may be retried")
	assert.Equal(t, Free, r.StateOf("other", t0, stale))

	r.Confirm("k", "post1")
	assert.Equal(t, Held, r.StateOf("k", t0.Add(time.Hour), stale), "a confirmed message is never sent again")
	assert.Equal(t, "post1", r.Claims["k"].PostID)
}
