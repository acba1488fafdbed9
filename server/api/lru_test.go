package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestResponseLRUKeepsTheMostRecent(t *testing.T) {
	// ops put (+k) or read (-k) keys, in order, in an LRU of three.
	tests := []struct {
		name  string
		ops   []int
		kept  []int
		drops []int
	}{
		{"under the limit", []int{+1, +2}, []int{1, 2}, nil},
		{"the least recent goes", []int{+1, +2, +3, +4}, []int{2, 3, 4}, []int{1}},
		{"a read keeps one", []int{+1, +2, +3, -1, +4}, []int{1, 3, 4}, []int{2}},
		{"a second put counts as a use", []int{+1, +2, +3, +1, +4}, []int{1, 3, 4}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newResponseLRU[int](3)
			for _, op := range tt.ops {
				if op > 0 {
					c.put(op, &renderedResponse{etag: "v"})
					continue
				}
				_, ok := c.get(-op)
				assert.True(t, ok, "%d is there to read", -op)
			}
			for _, k := range tt.drops {
				_, ok := c.get(k)
				assert.False(t, ok, "%d is dropped", k)
			}
			for _, k := range tt.kept {
				_, ok := c.get(k)
				assert.True(t, ok, "%d is kept", k)
			}
			assert.Equal(t, len(tt.kept), c.len())
		})
	}
}

func (c *responseLRU[K]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
