package api

import (
	"sync"
	"sync/atomic"
	"time"
)

// revisionCheckInterval is how long a rendering is served from memory before
// the stored revision is read again. Another server's change shows here within
// this interval plus one read and render, inside the 1 s a cluster must agree
// within; there are no cluster events without an Enterprise licence, so the
// stored revision is the only signal.
const revisionCheckInterval = 500 * time.Millisecond

// revisioned keeps one rendering of a stored aggregate (the Hall of Fame, the
// Security Updates) in memory. A request is served from memory, with no call
// to the server, while the rendering is fresh: made under the current
// settings, checked after the last change made through this server, and
// checked against the stored revision less than an interval ago. When only the
// interval has passed, one request reads the revision (and renders, when it
// moved) while concurrent requests are served the rendering they have without
// waiting. When the settings changed or a change was made through this server,
// requests wait for the new rendering: what they would be served is known to
// be out of date.
//
// The check is driven by requests rather than by a background ticker: an idle
// server reads nothing, and there is no goroutine whose lifetime must follow
// the plugin's.
type revisioned[T any] struct {
	now      func() time.Time
	interval time.Duration
	config   func() *publicConfig
	// epoch counts the changes made through this server (PublicChanges).
	epoch func() uint64
	// revision reads the stored revision; render reads the aggregate and
	// renders it under cfg, returning the revision it rendered.
	revision func() (int64, error)
	render   func(cfg *publicConfig) (*T, int64, error)
	// warn logs a problem the request is still answered despite.
	warn func(message string, err error)

	current atomic.Pointer[snapshot[T]]
	// checking lets one request at a time check an expired rendering.
	checking atomic.Bool
	// reload serialises checks and renders, so a burst of requests after a
	// change renders once.
	reload sync.Mutex
}

// snapshot is a rendering and what it was checked against. It is replaced,
// never changed.
type snapshot[T any] struct {
	value   *T
	rev     int64
	gen     uint64
	epoch   uint64
	checked time.Time
}

func (s *snapshot[T]) matches(cfg *publicConfig, epoch uint64) bool {
	return s != nil && s.gen == cfg.gen && s.epoch == epoch
}

// get returns the rendering to serve.
func (r *revisioned[T]) get() (*T, error) {
	s := r.current.Load()
	if s.matches(r.config(), r.epoch()) {
		if r.now().Sub(s.checked) < r.interval {
			return s.value, nil
		}
		if !r.checking.CompareAndSwap(false, true) {
			return s.value, nil // another request is checking it
		}
		defer r.checking.Store(false)
		return r.refresh(s)
	}
	return r.refresh(nil)
}

// refresh checks the stored revision and renders when it differs from the
// rendering's. fallback, when not nil, is served if the store cannot be read:
// it was current less than an interval ago, which beats an error page.
func (r *revisioned[T]) refresh(fallback *snapshot[T]) (*T, error) {
	r.reload.Lock()
	defer r.reload.Unlock()
	cfg, epoch := r.config(), r.epoch()
	// The start of the read, not its end, is when the revision was current.
	start := r.now()
	s := r.current.Load()
	if s.matches(cfg, epoch) && start.Sub(s.checked) < r.interval {
		return s.value, nil // refreshed by the request this one waited for
	}
	rev, err := r.revision()
	if err != nil {
		// An unreadable revision: render from the record, which repairs it
		// where the store can.
		r.warn("Could not read the revision of a public page", err)
		rev = -1
	}
	// Equal, not "at most": a store that went back (restored from a backup)
	// must not leave a newer rendering in place.
	if s != nil && s.gen == cfg.gen && s.rev == rev {
		r.current.Store(&snapshot[T]{value: s.value, rev: rev, gen: cfg.gen, epoch: epoch, checked: start})
		return s.value, nil
	}
	value, renderedRev, err := r.render(cfg)
	if err != nil {
		if fallback != nil {
			r.warn("Could not render a public page; serving the last rendering", err)
			return fallback.value, nil
		}
		return nil, err
	}
	r.current.Store(&snapshot[T]{value: value, rev: renderedRev, gen: cfg.gen, epoch: epoch, checked: start})
	return value, nil
}
