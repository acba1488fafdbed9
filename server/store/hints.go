package store

import "sync"

// hintsKept bounds a hints map: a hint only saves a read, so forgetting all
// of them now and then costs little.
const hintsKept = 1024

// hints are values this Store wrote, by key, to guess a key's value before a
// compare-and-set instead of reading it. A wrong guess only fails the
// compare-and-set, so hints need not be exact, only usually right.
type hints struct {
	mu     sync.Mutex
	values map[string][]byte
}

func (h *hints) get(key string) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.values[key]
}

// set remembers value for key; nil forgets it.
func (h *hints) set(key string, value []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if value == nil {
		delete(h.values, key)
		return
	}
	if h.values == nil || len(h.values) >= hintsKept {
		h.values = make(map[string][]byte)
	}
	h.values[key] = value
}
