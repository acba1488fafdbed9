package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func TestPagesAreFullWhateverTheFilter(t *testing.T) {
	s, _ := newStore(t)
	for i := 0; i < 95; i++ {
		mustFile(t, s, userID(i%3), "r")
	}
	// Every third report belongs to user0: a selective filter.
	mine := func(r *report.Report) bool { return r.ReporterID == userID(0) }

	for _, newest := range []bool{false, true} {
		var seen []int
		after := 0
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10)
			p, err := s.OpenPage(PageQuery{After: after, Limit: 7, Newest: newest, Keep: mine})
			require.NoError(t, err)
			if p.Next != 0 {
				assert.Len(t, p.Reports, 7, "a page with more to come is full")
			}
			seen = append(seen, ids(p.Reports)...)
			if p.Next == 0 {
				break
			}
			after = p.Next
		}
		assert.Len(t, seen, 32, "every matching report exactly once")
		for i := 1; i < len(seen); i++ {
			if newest {
				assert.Greater(t, seen[i-1], seen[i])
			} else {
				assert.Less(t, seen[i-1], seen[i])
			}
		}
	}

	p, err := s.ReporterPage(userID(1), PageQuery{Limit: 100})
	require.NoError(t, err)
	assert.Len(t, p.Reports, 32)
	assert.Zero(t, p.Next)
}
