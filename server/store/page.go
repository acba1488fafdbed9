package store

import (
	"sort"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// PageQuery walks an index in id order from just past a cursor, keeping the
// reports that pass the filter until a page is full. The filter runs while
// walking, not after fetching a fixed slice, so a selective filter still fills
// its pages.
type PageQuery struct {
	After  int  // cursor: the last id of the previous page; 0 starts at the beginning
	Limit  int  // reports per page
	Newest bool // walk from the highest id down
	Keep   func(*report.Report) bool
}

// Page is one page of reports and the cursor of the next (0: no more).
type Page struct {
	Reports []*report.Report
	Next    int
}

// OpenPage pages through the open reports.
func (s *Store) OpenPage(q PageQuery) (*Page, error) {
	return s.page(keyOpen, func(r *report.Report) bool { return r.IsOpen() }, q)
}

// ReporterPage pages through one researcher's reports.
func (s *Store) ReporterPage(userID string, q PageQuery) (*Page, error) {
	return s.page(reporterKey(userID), func(r *report.Report) bool { return r.ReporterID == userID }, q)
}

func (s *Store) page(key string, belongs func(*report.Report) bool, q PageQuery) (*Page, error) {
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	ids, err := decodeIDs(raw)
	if err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	if q.Newest {
		sort.Sort(sort.Reverse(sort.IntSlice(ids)))
	}
	start := 0
	if q.After > 0 {
		start = len(ids)
		for i, id := range ids {
			if (!q.Newest && id > q.After) || (q.Newest && id < q.After) {
				start = i
				break
			}
		}
	}
	page := &Page{}
	for i := start; i < len(ids); i++ {
		_, r, err := s.loadReport(ids[i])
		if err != nil {
			return nil, err
		}
		if r == nil || !belongs(r) || (q.Keep != nil && !q.Keep(r)) {
			continue
		}
		if len(page.Reports) == q.Limit {
			page.Next = page.Reports[len(page.Reports)-1].ID
			break
		}
		page.Reports = append(page.Reports, r)
	}
	return page, nil
}
