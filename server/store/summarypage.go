package store

import (
	"encoding/json"
	"slices"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// SummaryQuery walks a summary set in id order from just past a cursor,
// keeping the summaries that pass the filter until a page is full, like
// PageQuery: the filter runs while walking, so a selective filter still fills
// its pages, and shards wholly before the cursor are not read.
type SummaryQuery struct {
	After  int  // cursor: the last id of the previous page; 0 starts at the beginning
	Limit  int  // summaries per page; 0 or less: no limit
	Newest bool // walk from the highest id down
	Keep   func(*report.Summary) bool
}

// SummaryPage is one page of summaries and the cursor of the next (0: no
// more).
type SummaryPage struct {
	Summaries []report.Summary
	Next      int
}

// segment is one record of a set and the ids it may hold; load reads it.
type segment struct {
	lo, hi int
	load   func() (*sumRecord, error)
}

// OpenSummaryPage pages through the open reports' summaries: the directory,
// then the shards the page reaches.
func (s *Store) OpenSummaryPage(q SummaryQuery) (*SummaryPage, error) {
	if ok, err := s.useSummaries(); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return summarizePage(s.OpenPage(recordQuery(q)))
	}
	ks, err := s.shardsOf(openSet)
	if err != nil {
		return nil, err
	}
	segs := make([]segment, len(ks))
	for i, k := range ks {
		lo, hi := shardBounds(k)
		segs[i] = segment{lo, hi, func() (*sumRecord, error) { return s.readShard(openSet, k) }}
	}
	return pageSegments(segs, (*report.Summary).IsOpen, q)
}

// ReporterSummaryPage pages through one researcher's summaries: the head, then
// the sealed shards the page reaches.
func (s *Store) ReporterSummaryPage(userID string, q SummaryQuery) (*SummaryPage, error) {
	if ok, err := s.useSummaries(); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return summarizePage(s.ReporterPage(userID, recordQuery(q)))
	}
	head, err := s.readRecord(summaryHeadKey(userID))
	if err != nil {
		return nil, err
	}
	segs := make([]segment, 0, len(head.bounds)+1)
	for j := 1; j <= len(head.bounds); j++ {
		lo, hi := sealedRange(head.bounds, j)
		segs = append(segs, segment{lo, hi, func() (*sumRecord, error) { return s.readRecord(sealedKey(userID, j)) }})
	}
	from := 1
	if n := len(head.bounds); n > 0 {
		from = head.bounds[n-1]
	}
	segs = append(segs, segment{from, maxID, func() (*sumRecord, error) { return head, nil }})
	return pageSegments(segs, func(sum *report.Summary) bool { return sum.Reporter == userID }, q)
}

// pageSegments walks segments (ascending, disjoint) in the query's order.
func pageSegments(segs []segment, belongs func(*report.Summary) bool, q SummaryQuery) (*SummaryPage, error) {
	if q.Newest {
		segs = slices.Clone(segs)
		slices.Reverse(segs)
	}
	past := func(id int) bool {
		return q.After <= 0 || (!q.Newest && id > q.After) || (q.Newest && id < q.After)
	}
	page := &SummaryPage{}
	for _, seg := range segs {
		if !past(seg.lo) && !past(seg.hi) {
			continue // wholly on the far side of the cursor
		}
		rec, err := seg.load()
		if err != nil {
			return nil, err
		}
		for n := range rec.ids {
			i := n
			if q.Newest {
				i = len(rec.ids) - 1 - n
			}
			if !past(rec.ids[i]) {
				continue
			}
			var sum report.Summary
			if err := json.Unmarshal(rec.lines[i], &sum); err != nil {
				return nil, errors.Wrapf(err, "decode the summary of %s", report.FormatID(rec.ids[i]))
			}
			if !belongs(&sum) || (q.Keep != nil && !q.Keep(&sum)) {
				continue
			}
			if q.Limit > 0 && len(page.Summaries) == q.Limit {
				page.Next = page.Summaries[len(page.Summaries)-1].ID
				return page, nil
			}
			page.Summaries = append(page.Summaries, sum)
		}
	}
	return page, nil
}

// recordQuery is q for the layout-1 pages, the filter applied to each record's
// summary.
func recordQuery(q SummaryQuery) PageQuery {
	pq := PageQuery{After: q.After, Limit: q.Limit, Newest: q.Newest}
	if q.Keep != nil {
		pq.Keep = func(r *report.Report) bool {
			sum := report.Summarize(r)
			return q.Keep(&sum)
		}
	}
	return pq
}

func summarizePage(p *Page, err error) (*SummaryPage, error) {
	if err != nil {
		return nil, err
	}
	out := &SummaryPage{Next: p.Next, Summaries: make([]report.Summary, len(p.Reports))}
	for i, r := range p.Reports {
		out.Summaries[i] = report.Summarize(r)
	}
	return out, nil
}
