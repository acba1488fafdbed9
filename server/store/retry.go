package store

import (
	"bytes"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"
)

// retryPolicy bounds every compare-and-set loop in the store.
//
// Why 512 attempts: a compare-and-set fails only when another writer changed the
// same key between our read and our write, and each failed attempt is a different
// such write (the next attempt reads after it). So a caller gives up only after at
// least 512 other writes landed on the same key while it was trying, which needs
// more than 512 concurrent writers on one key. The heaviest load the tests put on
// one key is 500 concurrent filings (the counter, the open index); a plugin sees a
// handful. The sleep is jittered exponential (base doubling up to max, a random
// point in the upper half of that window), which spreads a burst out so that in
// practice a few attempts suffice; the bound is a guarantee, not the typical case.
// Worst case, a caller sleeps about attempts*max*3/4 (about 8 s) before ErrBusy.
type retryPolicy struct {
	attempts int
	base     time.Duration
	max      time.Duration
}

var defaultRetry = retryPolicy{attempts: 512, base: 500 * time.Microsecond, max: 20 * time.Millisecond}

// wait sleeps before attempt number next (1 for the first retry).
func (p retryPolicy) wait(next int) {
	d := p.max
	if shift := next - 1; shift < 30 {
		if b := p.base << shift; b < d {
			d = b
		}
	}
	half := d / 2
	time.Sleep(half + rand.N(half+1)) //nolint:gosec // jitter only spreads retries; it needs no secrecy
}

// retryStats counts contention, so tests can show how far from the bound a load
// got.
type retryStats struct {
	conflicts   atomic.Int64
	maxAttempts atomic.Int64
}

func (st *retryStats) record(attempts int) {
	if attempts > 1 {
		st.conflicts.Add(int64(attempts - 1))
	}
	for {
		cur := st.maxAttempts.Load()
		if int64(attempts) <= cur || st.maxAttempts.CompareAndSwap(cur, int64(attempts)) {
			return
		}
	}
}

// mutation computes a key's new value from its current bytes (nil when absent).
// It returns write=false to leave the key as it is, a nil value with write=true to
// delete it, or an error to stop without writing (the error is returned as is).
type mutation func(old []byte) (value []byte, write bool, err error)

// modify is the store's compare-and-set loop: read the raw bytes, compute, write
// only if the bytes are still the ones read, and retry on conflict. The stored
// bytes are passed back unchanged as the expected old value: the server and
// MemoryStore compare bytes, so re-encoding the old value could fail forever.
// It reports whether it wrote.
func (s *Store) modify(key string, next mutation, opts ...pluginapi.KVSetOption) (bool, error) {
	for attempt := 1; ; attempt++ {
		var old []byte
		if err := s.kv.Get(key, &old); err != nil {
			return false, errors.Wrapf(err, "read %s", key)
		}
		value, write, err := next(old)
		if err != nil || !write {
			s.stats.record(attempt)
			return false, err
		}
		if value == nil && old == nil {
			s.stats.record(attempt)
			return false, nil
		}
		ok, err := s.casSet(key, old, value, opts...)
		if err != nil {
			return false, err
		}
		if ok {
			s.stats.record(attempt)
			return true, nil
		}
		if attempt >= s.retry.attempts {
			s.stats.record(attempt)
			return false, errors.Wrapf(ErrBusy, "%s: gave up after %d attempts", key, attempt)
		}
		s.retry.wait(attempt)
	}
}

// backoff ends a failed compare-and-set attempt on key: ErrBusy once the bound
// is reached, otherwise a jittered sleep before the next attempt.
func (s *Store) backoff(key string, attempt int) error {
	if attempt >= s.retry.attempts {
		s.stats.record(attempt)
		return errors.Wrapf(ErrBusy, "%s: gave up after %d attempts", key, attempt)
	}
	s.retry.wait(attempt)
	return nil
}

// casSet writes value (nil deletes) if key still holds old (nil: is absent).
func (s *Store) casSet(key string, old, value []byte, opts ...pluginapi.KVSetOption) (bool, error) {
	all := append([]pluginapi.KVSetOption{pluginapi.SetAtomic(old)}, opts...)
	var v any
	if value != nil {
		// An untyped nil is what both KV implementations read as "delete"; a nil
		// []byte inside an interface is not.
		v = value
	}
	ok, err := s.kv.Set(key, v, all...)
	if err != nil {
		return false, errors.Wrapf(err, "write %s", key)
	}
	return ok, nil
}

// sameBytes reports whether key still holds want.
func (s *Store) sameBytes(key string, want []byte) (bool, error) {
	var cur []byte
	if err := s.kv.Get(key, &cur); err != nil {
		return false, errors.Wrapf(err, "read %s", key)
	}
	return bytes.Equal(cur, want), nil
}

// exists reports whether key holds a value.
func (s *Store) exists(key string) (bool, error) {
	var cur []byte
	if err := s.kv.Get(key, &cur); err != nil {
		return false, errors.Wrapf(err, "read %s", key)
	}
	return cur != nil, nil
}
