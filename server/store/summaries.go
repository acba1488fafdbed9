package store

import (
	"slices"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Readers of summaries. Each costs a few KV reads whatever the number of
// reports: the queue, a researcher's list, the digest, the SLA job, stats,
// the Hall of Fame and reply catch-up read these instead of records. Until the
// migration from layout 1 has finished (Migrated), they read records through
// the layout-1 indexes instead, so the plugin works fully meanwhile.
//
// A summary set may briefly disagree with a record that is being changed (see
// syncIndexes), so each reader checks the summary itself (an open set entry
// must say open) and never returns an entry whose own fields exclude it.

// OpenSummaries returns the summaries of the open reports (submitted,
// triaging, needs_info, confirmed), oldest first.
func (s *Store) OpenSummaries() ([]report.Summary, error) {
	if ok, err := s.useSummaries(); err != nil || !ok {
		return summarizeAll(s.ListOpen, err)
	}
	return s.allOf(openSet, (*report.Summary).IsOpen)
}

// FixedSummaries returns the summaries of the reports fixed and waiting for
// disclosure, oldest first.
func (s *Store) FixedSummaries() ([]report.Summary, error) {
	if ok, err := s.useSummaries(); err != nil || !ok {
		return summarizeAll(s.ListFixed, err)
	}
	return s.allOf(fixedSet, isFixed)
}

// ReporterSummaries returns the summaries of the reports userID filed, oldest
// first.
func (s *Store) ReporterSummaries(userID string) ([]report.Summary, error) {
	if ok, err := s.useSummaries(); err != nil || !ok {
		return summarizeAll(func() ([]*report.Report, error) { return s.ListByReporter(userID) }, err)
	}
	recs, err := s.reporterRecords(userID)
	if err != nil {
		return nil, err
	}
	var out []report.Summary
	for _, rec := range recs {
		sums, err := rec.summaries(1, maxID)
		if err != nil {
			return nil, err
		}
		for _, sum := range sums {
			if sum.Reporter == userID {
				out = append(out, sum)
			}
		}
	}
	return out, nil
}

// LiveThreads returns the reports whose DM thread may still get replies to
// relay, ascending by id: open and fixed reports, and final ones for LiveGrace
// after they became final, each with a thread. Catch-up after downtime reads
// only these. During the migration the final ones are those the live set holds
// already (every report final since the upgrade, and those migrated).
func (s *Store) LiveThreads() ([]report.Summary, error) {
	unfinished, err := s.unfinishedSummaries()
	if err != nil {
		return nil, err
	}
	now := s.now()
	final, err := s.allOf(liveSet, func(sum *report.Summary) bool { return isLive(sum, now) })
	if err != nil {
		return nil, err
	}
	var out []report.Summary
	for _, sum := range append(unfinished, final...) {
		if sum.ThreadRootID != "" {
			out = append(out, sum)
		}
	}
	return byID(out), nil
}

// unfinishedSummaries returns the summaries of the open and fixed reports,
// ascending by id.
func (s *Store) unfinishedSummaries() ([]report.Summary, error) {
	open, err := s.OpenSummaries()
	if err != nil {
		return nil, err
	}
	fixed, err := s.FixedSummaries()
	if err != nil {
		return nil, err
	}
	return byID(append(open, fixed...)), nil
}

// byID sorts summaries by id and drops repeats (a report seen in two sets
// while it moved between them).
func byID(sums []report.Summary) []report.Summary {
	slices.SortFunc(sums, func(a, b report.Summary) int { return a.ID - b.ID })
	return slices.CompactFunc(sums, func(a, b report.Summary) bool { return a.ID == b.ID })
}

// ArchiveShards is the number of archive shards: ArchiveShard(0) up to
// ArchiveShard(ArchiveShards()-1) hold every report.
func (s *Store) ArchiveShards() (int, error) {
	highest, err := s.HighestID()
	if err != nil || highest == 0 {
		return 0, err
	}
	return shardOf(highest) + 1, nil
}

// ArchiveShard returns the summaries of the reports with ids 500k+1 to
// 500k+500, ascending: one read, for search, stats and Hall of Fame rebuilds
// that go through the archive a shard at a time.
func (s *Store) ArchiveShard(k int) ([]report.Summary, error) {
	lo, hi := shardBounds(k)
	return s.Summaries(lo, hi)
}

// Summaries returns the summaries of the reports with ids from..to,
// ascending; ids without a record are left out. It reads one archive shard per
// 500 ids.
func (s *Store) Summaries(from, to int) ([]report.Summary, error) {
	from = max(from, 1)
	if to < from {
		return nil, nil
	}
	if ok, err := s.useSummaries(); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return s.summariesFromRecords(from, to)
	}
	var out []report.Summary
	for k := shardOf(from); k <= shardOf(to); k++ {
		rec, err := s.readShard(archiveSet, k)
		if err != nil {
			return nil, err
		}
		sums, err := rec.summaries(from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, sums...)
	}
	return out, nil
}

func (s *Store) summariesFromRecords(from, to int) ([]report.Summary, error) {
	var out []report.Summary
	for id := from; id <= to; id++ {
		_, r, err := s.loadReport(id)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, report.Summarize(r))
		}
	}
	return out, nil
}

// maxID is above every id, for "to the end" ranges.
const maxID = int(^uint(0) >> 1)

func isFixed(sum *report.Summary) bool { return sum.Status == report.StatusFixed }

// allOf reads every shard the directory of set lists.
func (s *Store) allOf(set rangeSet, belongs func(*report.Summary) bool) ([]report.Summary, error) {
	ks, err := s.shardsOf(set)
	if err != nil {
		return nil, err
	}
	var out []report.Summary
	for _, k := range ks {
		rec, err := s.readShard(set, k)
		if err != nil {
			return nil, err
		}
		sums, err := rec.summaries(1, maxID)
		if err != nil {
			return nil, err
		}
		for i := range sums {
			if belongs(&sums[i]) {
				out = append(out, sums[i])
			}
		}
	}
	return out, nil
}

// summarizeAll is the fallback of a reader: the layout-1 list, summarized.
func summarizeAll(list func() ([]*report.Report, error), err error) ([]report.Summary, error) {
	if err != nil {
		return nil, err
	}
	reports, err := list()
	if err != nil {
		return nil, err
	}
	out := make([]report.Summary, len(reports))
	for i, r := range reports {
		out[i] = report.Summarize(r)
	}
	return out, nil
}
