package store

import (
	"crypto/rand"

	"github.com/pkg/errors"
)

// SigningSecret returns the per-install secret, creating it on first use. Two
// servers starting at once both try to create it; the compare-and-set lets exactly
// one win and the other reads the winner's, so every server signs with one key.
func (s *Store) SigningSecret(size int) ([]byte, error) {
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, errors.Wrap(err, "generate signing secret")
	}
	var secret []byte
	_, err := s.modify(keySecret, func(old []byte) ([]byte, bool, error) {
		if old != nil {
			secret = old
			return nil, false, nil
		}
		secret = fresh
		return fresh, true, nil
	})
	if err != nil {
		return nil, err
	}
	if len(secret) < size {
		return nil, errors.Errorf("stored signing secret is %d bytes, want %d", len(secret), size)
	}
	return secret, nil
}
