package service

import (
	"sync"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// rowReaders bounds the record reads of one page in flight at once: each is a
// round trip to the server, and a page of 50 read one after another would
// wait for 50 of them, while a handful at once keeps the server's RPC busy
// without crowding out other requests.
const rowReaders = 8

// recordsOf reads the records of a page of summaries, in the page's order:
// a REST row shows the report's text and timeline, which summaries do not
// keep. A record that no longer passes still (its summary was a moment
// behind a change) is left out, as the page would have left it out had it
// been chosen a moment later; one lost to a crash is left out too.
func recordsOf(st *store.Store, sums []report.Summary, still func(*report.Report) bool) ([]*report.Report, error) {
	got := make([]*report.Report, len(sums))
	errs := make([]error, len(sums))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(rowReaders, len(sums)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				got[i], errs[i] = st.Get(sums[i].ID)
			}
		}()
	}
	for i := range sums {
		next <- i
	}
	close(next)
	wg.Wait()
	out := make([]*report.Report, 0, len(sums))
	for i, r := range got {
		switch {
		case errors.Is(errs[i], store.ErrNotFound):
		case errs[i] != nil:
			return nil, storeError(errs[i])
		case still(r):
			out = append(out, r)
		}
	}
	return out, nil
}
