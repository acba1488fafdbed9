package store

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSigningSecretIsCreatedOnceAndShared(t *testing.T) {
	s, mem := newStore(t)
	other := New(mem) // a second server on the same KV

	secrets := make([][]byte, 20)
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := s
			if i%2 == 1 {
				st = other
			}
			secret, err := st.SigningSecret(32)
			assert.NoError(t, err)
			secrets[i] = secret
		}()
	}
	wg.Wait()

	require.Len(t, secrets[0], 32)
	for _, secret := range secrets {
		assert.Equal(t, secrets[0], secret)
	}
	assert.Equal(t, secrets[0], rawKey(t, mem, keySecret))

	again, err := s.SigningSecret(32)
	require.NoError(t, err)
	assert.Equal(t, secrets[0], again, "a restart reads the same secret")
}
