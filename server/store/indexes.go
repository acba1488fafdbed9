package store

import (
	"slices"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// syncWhat selects the indexes syncIndexes brings in line with a record.
type syncWhat uint8

const (
	syncReporter syncWhat = 1 << iota
	syncOpen              // the open list and the fixed (awaiting disclosure) list
	syncPosts
	syncAll = syncReporter | syncOpen | syncPosts
)

// syncIndexes makes the selected index entries of report id agree with its
// record: the researcher's list, the open list, and the post links for its card
// and thread (plus touched, posts it used to have, which get unlinked).
//
// Indexes are written after the record, so two updates of one report can write
// them in the opposite order (close, reopen; then the reopen's "add" lands before
// the close's "remove"). To prevent that, each pass computes the entries from the
// record as read, writes them, then checks the record did not change meanwhile;
// if it did, it runs again from the newer record, covering every entry an
// earlier pass wrote. The last pass of every writer is therefore based on a record
// that was current after its index writes, and any later change that affects an
// entry is followed by its own writer's sync, which starts after those writes; so
// the entries end up matching the final record. Without the re-check,
// TestOpenIndexFollowsStatusUnderConcurrency and
// TestConcurrentCardChangesLeaveOneLink fail.
//
// raw and r are the record's bytes and content if the caller has them (nil to
// load).
func (s *Store) syncIndexes(id int, what syncWhat, touched []string, raw []byte, r *report.Report) error {
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

func (s *Store) writeIndexes(r *report.Report, what syncWhat, touched []string) error {
	if what&syncReporter != 0 {
		if _, err := s.setMember(reporterKey(r.ReporterID), r.ID, true); err != nil {
			return err
		}
	}
	if what&syncOpen != 0 {
		if _, err := s.setMember(keyOpen, r.ID, r.IsOpen()); err != nil {
			return err
		}
		if _, err := s.setMember(keyFixed, r.ID, r.Status == report.StatusFixed); err != nil {
			return err
		}
	}
	if what&syncPosts != 0 {
		current := r.PostIDs()
		for _, p := range union(touched, current) {
			if _, err := s.setPostLink(p, r.ID, slices.Contains(current, p)); err != nil {
				return err
			}
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
