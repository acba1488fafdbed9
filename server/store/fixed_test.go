package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func TestFixedIndexFollowsTheStatus(t *testing.T) {
	s, mem := newStore(t)
	r := mustFile(t, s, userID(1), "x")
	other := mustFile(t, s, userID(2), "y")
	mustApply(t, s, r.ID, report.ActionTake, report.Triager("t"), report.Input{})
	mustApply(t, s, r.ID, report.ActionConfirm, report.Triager("t"), report.Input{})
	mustApply(t, s, r.ID, report.ActionFix, report.Triager("t"), report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1"}}})

	fixed, err := s.ListFixed()
	require.NoError(t, err)
	assert.Equal(t, []int{r.ID}, ids(fixed))
	open, err := s.ListOpen()
	require.NoError(t, err)
	assert.Equal(t, []int{other.ID}, ids(open), "a fixed report is no longer open")

	// The consistency check restores a lost entry.
	require.NoError(t, mem.Delete(keyFixed))
	rec := checkAll(t, s)
	assert.NotEmpty(t, rec.Repairs)
	fixed, _ = s.ListFixed()
	assert.Equal(t, []int{r.ID}, ids(fixed))

	mustApply(t, s, r.ID, report.ActionDisclose, report.System(), report.Input{})
	fixed, _ = s.ListFixed()
	assert.Empty(t, fixed, "a disclosed report leaves the list")
}
