package store

import (
	"bytes"
	"slices"
	"sync"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// syncWhat selects the indexes syncIndexes brings in line with a record.
type syncWhat uint16

const (
	syncReporter  syncWhat = 1 << iota // v1/u/<userID>: the researcher's id list
	syncOpen                           // v1/open: the open id list
	syncFixed                          // v1/fixed: the fixed id list
	syncPosts                          // v1/p/<postID>: links from its card and thread
	syncArchive                        // v2/sum/<k>: its summary in the archive
	syncSummaries                      // v2/u/<userID>: its summary in the researcher's set
	syncOpenSet                        // v2/open/<k>: its summary among the open ones
	syncFixedSet                       // v2/fixed/<k>: its summary among the fixed ones
	syncLiveSet                        // v2/live/<k>: its summary among the live final ones

	syncLayout1 = syncReporter | syncOpen | syncFixed | syncPosts
	// syncRetired are the layout-1 id lists that only the readers' fallback
	// reads until the migration is done: no longer written after it.
	syncRetired = syncReporter | syncOpen | syncFixed
	syncAll     = syncLayout1 | syncArchive | syncSummaries | syncOpenSet | syncFixedSet | syncLiveSet
	// syncFiled is what a filing writes: a new report is open, not fixed, not
	// final and has no posts yet, so the other indexes cannot hold it.
	syncFiled = syncReporter | syncOpen | syncArchive | syncSummaries | syncOpenSet
)

// changedIndexes is what a change from old to new must sync. oldLine and
// newLine are the summaries as stored; every summary set holding the report
// before or after must follow a changed summary.
func changedIndexes(old, new *report.Report, oldLine, newLine []byte) syncWhat {
	var what syncWhat
	if old.IsOpen() != new.IsOpen() {
		what |= syncOpen
	}
	if (old.Status == report.StatusFixed) != (new.Status == report.StatusFixed) {
		what |= syncFixed
	}
	if !slices.Equal(old.PostIDs(), new.PostIDs()) {
		what |= syncPosts
	}
	if bytes.Equal(oldLine, newLine) {
		return what
	}
	what |= syncArchive | syncSummaries
	if old.IsOpen() || new.IsOpen() {
		what |= syncOpenSet
	}
	if old.Status == report.StatusFixed || new.Status == report.StatusFixed {
		what |= syncFixedSet
	}
	if mayBeLive(old) || mayBeLive(new) {
		what |= syncLiveSet
	}
	return what
}

// syncIndexes makes the selected index entries of report id agree with its
// record: the researcher's list, the open and fixed lists (until the
// migration is done: listsRetired), the post links for
// its card and thread (plus touched, posts it used to have, which get
// unlinked), and its summary in the archive, the researcher's set and the open,
// fixed and live sets.
//
// Indexes are written after the record, so two updates of one report can write
// them in the opposite order (close, reopen; then the reopen's "add" lands before
// the close's "remove"; or an older summary lands after a newer one). To prevent
// that, each pass computes the entries from the record as read, writes them,
// then checks the record did not change meanwhile; if it did, it runs again
// from the newer record, covering every entry an earlier pass wrote. The last
// pass of every writer is therefore based on a record that was current after
// its index writes, and any later change that affects an entry is followed by
// its own writer's sync, which starts after those writes; so the entries end up
// matching the final record. This holds key by key, so the writes of one pass
// may run concurrently, as long as all of them end before the check. Without
// the re-check, TestOpenIndexFollowsStatusUnderConcurrency,
// TestConcurrentCardChangesLeaveOneLink and TestSummarySetsFollowConcurrentChanges
// fail.
//
// raw and r are the record's bytes and content if the caller has them (nil to
// load).
func (s *Store) syncIndexes(id int, what syncWhat, touched []string, raw []byte, r *report.Report) error {
	if s.layout1Only {
		what &= syncLayout1
	} else if s.listsRetired() {
		what &^= syncRetired
	}
	for attempt := 1; ; attempt++ {
		if raw == nil {
			var err error
			if raw, r, err = s.loadReport(id); err != nil {
				return err
			}
			if raw == nil {
				return nil // no record, nothing to index
			}
		}
		if err := s.writeIndexes(r, what, touched); err != nil {
			return err
		}
		// Posts linked in this pass count as touched in the next: should the
		// record have moved on, the next pass removes a link it just wrote.
		touched = union(touched, r.PostIDs())
		same, err := s.sameBytes(reportKey(id), raw)
		if err != nil || same {
			return err
		}
		if attempt >= s.retry.attempts {
			return errors.Wrapf(ErrBusy, "index %s: the report kept changing", report.FormatID(id))
		}
		raw, r = nil, nil
	}
}

// writeIndexes writes the selected entries of r, each key in its own
// goroutine: they are independent, and a filing waits for the slowest instead
// of their sum.
func (s *Store) writeIndexes(r *report.Report, what syncWhat, touched []string) error {
	var tasks []func() error
	if what&syncReporter != 0 {
		tasks = append(tasks, func() error { _, err := s.setMember(reporterKey(r.ReporterID), r.ID, true); return err })
	}
	if what&syncOpen != 0 {
		tasks = append(tasks, func() error { _, err := s.setMember(keyOpen, r.ID, r.IsOpen()); return err })
	}
	if what&syncFixed != 0 {
		tasks = append(tasks, func() error { _, err := s.setMember(keyFixed, r.ID, r.Status == report.StatusFixed); return err })
	}
	if what&syncPosts != 0 {
		tasks = append(tasks, func() error {
			current := r.PostIDs()
			for _, p := range union(touched, current) {
				if _, err := s.setPostLink(p, r.ID, slices.Contains(current, p)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if what&^syncLayout1 != 0 {
		sum, line, err := summaryLine(r)
		if err != nil {
			return err
		}
		member := func(in bool) map[int][]byte {
			if in {
				return map[int][]byte{r.ID: line}
			}
			return nil
		}
		sets := []struct {
			bit syncWhat
			set rangeSet
			in  bool
		}{
			{syncArchive, archiveSet, true},
			{syncOpenSet, openSet, r.IsOpen()},
			{syncFixedSet, fixedSet, r.Status == report.StatusFixed},
			{syncLiveSet, liveSet, isLive(&sum, s.now())},
		}
		for _, st := range sets {
			if what&st.bit != 0 {
				tasks = append(tasks, func() error { _, err := s.writeRange(st.set, r.ID, r.ID, member(st.in), modeSync); return err })
			}
		}
		if what&syncSummaries != 0 {
			tasks = append(tasks, func() error {
				_, err := s.writeReporter(r.ReporterID, r.ID, r.ID, member(true), modeSync)
				return err
			})
		}
	}
	return runAll(tasks)
}

// runAll runs tasks concurrently and returns the first error.
func runAll(tasks []func() error) error {
	if len(tasks) == 1 {
		return tasks[0]()
	}
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() { errs[i] = task() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// setMember adds id to (member) or removes it from the id list at key, and
// reports whether the list changed.
func (s *Store) setMember(key string, id int, member bool) (bool, error) {
	return s.modify(key, func(old []byte) ([]byte, bool, error) {
		ids, err := decodeIDs(old)
		if err != nil {
			return nil, false, errors.Wrapf(err, "read %s", key)
		}
		var changed bool
		if member {
			ids, changed = withID(ids, id)
		} else {
			ids, changed = withoutID(ids, id)
		}
		if !changed {
			return nil, false, nil
		}
		return encodeIDs(ids), true, nil
	})
}

// setPostLink points postID at report id (linked), or removes the link if it
// points at id (!linked; a link to another report is left alone). It reports
// whether it wrote.
func (s *Store) setPostLink(postID string, id int, linked bool) (bool, error) {
	if postID == "" {
		return false, nil
	}
	return s.modify(postKey(postID), func(old []byte) ([]byte, bool, error) {
		cur, err := decodeInt(old)
		if linked {
			// An undecodable value is overwritten: the record is the truth.
			return encodeInt(id), err != nil || cur != id, nil //nolint:nilerr // the decode error is handled by overwriting
		}
		return nil, err == nil && old != nil && cur == id, nil
	})
}

// union returns the distinct non-empty strings of a and b.
func union(a, b []string) []string {
	var out []string
	for _, list := range [][]string{a, b} {
		for _, s := range list {
			if s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// listsRetired says whether the layout-1 id lists (v1/u, v1/open, v1/fixed)
// are retired: once the migration is done every reader uses the summaries, so
// writers stop keeping the lists, whose cost grew with the history (v1/open
// holds every open id). They are left as they were then.
func (s *Store) listsRetired() bool {
	migrated, err := s.Migrated()
	return err == nil && migrated
}
