package api

import (
	"container/list"
	"sync"
)

// responseLRU keeps the most recently served of the responses rendered on
// demand (later pages, single advisories), so memory stays bounded however
// many there are. It is safe for concurrent use.
type responseLRU[K comparable] struct {
	mu    sync.Mutex
	limit int
	order *list.List // of *lruEntry[K], most recent first
	byKey map[K]*list.Element
}

type lruEntry[K comparable] struct {
	key  K
	resp *renderedResponse
}

func newResponseLRU[K comparable](limit int) *responseLRU[K] {
	return &responseLRU[K]{limit: limit, order: list.New(), byKey: make(map[K]*list.Element, limit)}
}

func (c *responseLRU[K]) get(key K) (*renderedResponse, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[K]).resp, true
}

// put keeps resp under key, dropping the least recently used beyond the limit.
func (c *responseLRU[K]) put(key K, resp *renderedResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		// Rendered twice by concurrent misses: both renderings are equal.
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&lruEntry[K]{key: key, resp: resp})
	for c.order.Len() > c.limit {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*lruEntry[K]).key)
	}
}

// cached returns the response under key, rendering and keeping it on a miss.
// Concurrent misses may render the same response twice; they never wait on
// each other.
func (c *responseLRU[K]) cached(key K, render func() (*renderedResponse, error)) (*renderedResponse, error) {
	if resp, ok := c.get(key); ok {
		return resp, nil
	}
	resp, err := render()
	if err != nil {
		return nil, err
	}
	c.put(key, resp)
	return resp, nil
}
