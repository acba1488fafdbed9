package harness

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks an error returned by an Eventually condition as final: waiting
// stops at once instead of retrying until the timeout.
func Permanent(err error) error { return permanentError{err} }

// Eventually calls cond every interval until it returns true, a Permanent error,
// or timeout passes. The timeout error names what was awaited and the last error
// cond returned, so a failing wait explains itself.
func Eventually(parent context.Context, timeout, interval time.Duration, what string, cond func(ctx context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	var lastErr error
	for {
		ok, err := cond(ctx)
		if ok {
			return nil
		}
		var perm permanentError
		if errors.As(err, &perm) {
			return fmt.Errorf("waiting for %s: %w", what, perm.err)
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				return fmt.Errorf("waiting for %s: %w", what, parent.Err())
			}
			if lastErr != nil {
				return fmt.Errorf("timed out after %s waiting for %s (last error: %v)", timeout, what, lastErr)
			}
			return fmt.Errorf("timed out after %s waiting for %s", timeout, what)
		case <-time.After(interval):
		}
	}
}
