package store

import (
	"bytes"
	"slices"

	"github.com/pkg/errors"
)

// reporterHeadMax is how many summaries a researcher's head holds before it is
// sealed into a shard of its own.
const reporterHeadMax = 500

// A researcher's summaries are sharded by count, because their reports are
// spread over the whole id range: the head (v2/u/<userID>) holds the newest
// ones and the bounds b1 < b2 < ... < bn of the sealed shards, shard j holding
// the ids from b(j-1) (1 for the first) up to bj-1, the head every id from bn.
// Bounds only ever grow by one at the end, so a sealed shard's range never
// changes, and a summary is always written to the one record whose range holds
// its id: no summary moves between keys except when a head is sealed.

// writeReporter makes the entries of userID's summaries with ids in lo..hi
// exactly want (id → summary line).
func (s *Store) writeReporter(userID string, lo, hi int, want map[int][]byte, mode writeMode) ([]Repair, error) {
	key := summaryHeadKey(userID)
	for attempt := 1; ; attempt++ {
		raw, err := s.getRaw(key)
		if err != nil {
			return nil, err
		}
		if line, ok := want[lo]; ok && lo == hi && mode == modeSync {
			// A filing appends the researcher's newest report (no bounds can
			// lie above it, so the head is its record); a change replaces a
			// line the head holds.
			change := "added"
			value, ok := appendLine(raw, lo, line)
			if !ok {
				var changed bool
				if value, changed, ok = spliceLine(raw, lo, line); ok && !changed {
					s.stats.record(attempt)
					return nil, nil
				}
				change = "replaced"
			}
			if ok {
				ok, err := s.casSet(key, raw, value)
				if err != nil {
					return nil, err
				}
				if !ok {
					if err := s.backoff(key, attempt); err != nil {
						return nil, err
					}
					continue
				}
				s.stats.record(attempt)
				if bytes.Count(value, []byte{'\n'})-1 > reporterHeadMax {
					s.sealOrWarn(userID)
				}
				return []Repair{{Key: key, ID: lo, Change: change}}, nil
			}
		}
		head, rewritten, err := parseHead(raw, mode)
		if err != nil {
			return nil, errors.Wrapf(err, "read %s", key)
		}
		from := 1
		if n := len(head.bounds); n > 0 {
			from = head.bounds[n-1]
		}
		var repairs []Repair
		if hi >= from {
			w := shardWrite{rewritten: rewritten, changes: head.setRange(max(lo, from), hi, want)}
			repairs = lineRepairs(key, w)
			if w.changed() && mode != modeDryRun {
				// The bounds the sealed writes below rely on are the ones this
				// write presents: if a seal moved them, the write fails and
				// the loop reads them again.
				ok, err := s.casSet(key, raw, head.encode())
				if err != nil {
					return nil, err
				}
				if !ok {
					if err := s.backoff(key, attempt); err != nil {
						return nil, err
					}
					continue
				}
			}
		}
		s.stats.record(attempt)
		for j := 1; j <= len(head.bounds); j++ {
			jlo, jhi := sealedRange(head.bounds, j)
			if jhi < lo || jlo > hi {
				continue
			}
			rs, err := s.writeSealed(userID, j, max(lo, jlo), min(hi, jhi), want, mode)
			if err != nil {
				return repairs, err
			}
			repairs = append(repairs, rs...)
		}
		if len(head.ids) > reporterHeadMax && mode != modeDryRun {
			s.sealOrWarn(userID)
		}
		return repairs, nil
	}
}

// sealOrWarn seals a head that grew past reporterHeadMax. On failure the head
// only stays larger until the next write seals it.
func (s *Store) sealOrWarn(userID string) {
	if err := s.sealHead(userID); err != nil {
		s.log.Warn("Could not seal a researcher's summaries; the next change retries.", "key", summaryHeadKey(userID), "error", err.Error())
	}
}

// parseHead reads a head record; a missing one is an empty head. In a repair,
// an undecodable head is started afresh (its sealed shards are found again as
// the check re-adds their summaries and the head is sealed anew).
func parseHead(raw []byte, mode writeMode) (*sumRecord, bool, error) {
	head, err := parseSumRecord(raw)
	if err == nil && raw != nil && !head.head {
		err = errors.New("a shard where a head belongs")
	}
	if err != nil {
		if mode == modeSync {
			return nil, false, err
		}
		return &sumRecord{head: true}, true, nil
	}
	head.head = true
	return head, false, nil
}

// sealedRange is the id range of sealed shard j (1-based).
func sealedRange(bounds []int, j int) (lo, hi int) {
	lo = 1
	if j > 1 {
		lo = bounds[j-2]
	}
	return lo, bounds[j-1] - 1
}

func (s *Store) writeSealed(userID string, j, lo, hi int, want map[int][]byte, mode writeMode) ([]Repair, error) {
	key := sealedKey(userID, j)
	var w shardWrite
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		w = shardWrite{}
		rec, err := parseSumRecord(old)
		if err != nil {
			if mode == modeSync {
				return nil, false, errors.Wrapf(err, "read %s", key)
			}
			rec, w.rewritten = &sumRecord{}, true
		}
		w.changes = rec.setRange(lo, hi, want)
		if !w.changed() || mode == modeDryRun {
			return nil, false, nil
		}
		return rec.encode(), true, nil
	})
	return lineRepairs(key, w), err
}

// sealHead moves the oldest reporterHeadMax summaries of a head that holds
// more than that into the next sealed shard, n, and raises the head's bounds to
// the first id it keeps; it repeats while the head is still too large (a
// migration step may add many at once), so sealed shards hold 500 each. Two
// writes per seal, the shard and then the head, each a compare-and-set:
//
//  1. read the head, to learn n; read shard n; read the head again (h);
//  2. write shard n := the oldest summaries of h, if the shard is still as read;
//  3. write the head := the others, bounds + the first id kept, if it is still h.
//
// When 3 succeeds, shard n holds exactly those summaries of h. Nobody else
// writes shard n before the new bounds exist (writers find sealed shards in the
// head's bounds), except another sealer, and its step 2 succeeds only if it read
// the shard after ours was written, so it read the head after that too: while
// the head is still h that gives the same content, and if the head changed, our
// step 3 fails. A crash between 2 and 3 leaves shard n unreferenced, and the
// next seal overwrites it. Readers see the head before or after step 3: the
// summaries in the head, or in shard n, which exists by then.
func (s *Store) sealHead(userID string) error {
	key := summaryHeadKey(userID)
	for attempt := 1; ; attempt++ {
		if attempt > s.retry.attempts {
			return errors.Wrapf(ErrBusy, "seal %s: gave up after %d attempts", key, attempt-1)
		}
		first, err := s.readRecord(key)
		if err != nil || len(first.ids) <= reporterHeadMax {
			return err
		}
		n := len(first.bounds) + 1
		shardKey := sealedKey(userID, n)
		shardRaw, err := s.getRaw(shardKey)
		if err != nil {
			return err
		}
		raw, err := s.getRaw(key)
		if err != nil {
			return err
		}
		h, err := parseSumRecord(raw)
		if err != nil {
			return errors.Wrapf(err, "read %s", key)
		}
		if len(h.bounds)+1 != n || len(h.ids) <= reporterHeadMax {
			continue // sealed meanwhile: look again
		}
		shard := &sumRecord{ids: h.ids[:reporterHeadMax], lines: h.lines[:reporterHeadMax]}
		ok, err := s.casSet(shardKey, shardRaw, shard.encode())
		if err != nil {
			return err
		}
		if ok {
			kept := &sumRecord{head: true, bounds: append(slices.Clone(h.bounds), h.ids[reporterHeadMax]),
				ids: h.ids[reporterHeadMax:], lines: h.lines[reporterHeadMax:]}
			if ok, err = s.casSet(key, raw, kept.encode()); err != nil {
				return err
			}
			if ok {
				attempt = 0 // sealed one shard; the loop checks for another
				continue
			}
		}
		s.retry.wait(attempt)
	}
}

// readRecord reads the summary record at key.
func (s *Store) readRecord(key string) (*sumRecord, error) {
	raw, err := s.getRaw(key)
	if err != nil {
		return nil, err
	}
	rec, err := parseSumRecord(raw)
	return rec, errors.Wrapf(err, "read %s", key)
}

// reporterRecords reads a researcher's head and sealed shards, oldest first
// (the head last).
func (s *Store) reporterRecords(userID string) ([]*sumRecord, error) {
	head, err := s.readRecord(summaryHeadKey(userID))
	if err != nil {
		return nil, err
	}
	out := make([]*sumRecord, 0, len(head.bounds)+1)
	for j := 1; j <= len(head.bounds); j++ {
		key := sealedKey(userID, j)
		rec, err := s.readRecord(key)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return append(out, head), nil
}
