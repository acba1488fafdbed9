package service

import (
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// recordsOf reads the records of a page of summaries, in the page's order:
// a REST row shows the report's text and timeline, which summaries do not
// keep. A record that no longer passes still (its summary was a moment
// behind a change) is left out, as the page would have left it out had it
// been chosen a moment later; one lost to a crash is left out too.
func recordsOf(st *store.Store, sums []report.Summary, still func(*report.Report) bool) ([]*report.Report, error) {
	out := make([]*report.Report, 0, len(sums))
	for _, s := range sums {
		r, err := st.Get(s.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, storeError(err)
		}
		if still(r) {
			out = append(out, r)
		}
	}
	return out, nil
}
