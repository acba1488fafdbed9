package store

import (
	"slices"
	"strconv"

	"github.com/pkg/errors"
)

// shardSpan is how many consecutive ids one shard of an id-range set covers.
const shardSpan = 500

func shardOf(id int) int { return (id - 1) / shardSpan }

func shardBounds(k int) (lo, hi int) { return k*shardSpan + 1, (k + 1) * shardSpan }

// rangeSet is a set of summaries sharded by id range (keys.go says why), with
// a directory of the shards that are not empty, except for the archive, where
// every shard up to the highest id holds something.
type rangeSet struct {
	prefix string // shard k is prefix + k
	dir    string // the directory's key; "" for the archive
	// expires marks the live set, whose entries leave it by age as well as by
	// a change of their report: any write to a shard drops its expired entries.
	expires bool
}

var (
	archiveSet = rangeSet{prefix: prefixArchive}
	openSet    = rangeSet{prefix: prefixOpenSet, dir: keyOpenDir}
	fixedSet   = rangeSet{prefix: prefixFixedSet, dir: keyFixedDir}
	liveSet    = rangeSet{prefix: prefixLiveSet, dir: keyLiveDir, expires: true}
)

func (rs rangeSet) key(k int) string { return rs.prefix + strconv.Itoa(k) }

// writeMode says how a set write treats what it finds.
type writeMode int

const (
	// modeSync: a writer bringing the sets in line with its own record. An
	// undecodable record is an error, and the directory is touched only when
	// this write may have made it wrong (below).
	modeSync writeMode = iota
	// modeRepair: the consistency check. An undecodable record is rewritten
	// from the records, and the directory entry of every shard written is made
	// exact.
	modeRepair
	// modeDryRun: the check without writing, to list what disagrees.
	modeDryRun
)

// writeRange makes the entries of set with ids in lo..hi exactly want (id →
// summary line), shard by shard, and keeps the directory in line.
func (s *Store) writeRange(set rangeSet, lo, hi int, want map[int][]byte, mode writeMode) ([]Repair, error) {
	var repairs []Repair
	for k := shardOf(lo); k <= shardOf(hi); k++ {
		klo, khi := shardBounds(k)
		rs, err := s.writeShard(set, k, max(lo, klo), min(hi, khi), want, mode)
		if err != nil {
			return repairs, err
		}
		repairs = append(repairs, rs...)
	}
	return repairs, nil
}

// shardWrite is what one shard write found and did.
type shardWrite struct {
	oldEmpty, newEmpty bool
	rewritten          bool // the stored record was undecodable
	changes            []lineChange
}

func (w shardWrite) changed() bool { return w.rewritten || len(w.changes) > 0 }

func (s *Store) writeShard(set rangeSet, k, lo, hi int, want map[int][]byte, mode writeMode) ([]Repair, error) {
	key := set.key(k)
	var w shardWrite
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		w = shardWrite{} // recomputed on every attempt
		if lo == hi && mode == modeSync && !set.expires {
			line := want[lo]
			if value, ok := appendLine(old, lo, line); ok && line != nil {
				w.changes = []lineChange{{lo, "added"}}
				return value, true, nil
			}
			if value, changed, ok := spliceLine(old, lo, line); ok {
				if !changed {
					return nil, false, nil
				}
				w.changes = []lineChange{{lo, map[bool]string{true: "replaced", false: "removed"}[line != nil]}}
				return value, true, nil
			}
		}
		rec, err := parseSumRecord(old)
		if err != nil {
			if mode == modeSync {
				return nil, false, errors.Wrapf(err, "read %s", key)
			}
			rec, w.rewritten = &sumRecord{}, true
		}
		w.oldEmpty = len(rec.ids) == 0
		w.changes = rec.setRange(lo, hi, want)
		if set.expires {
			now := s.now()
			w.changes = append(w.changes, rec.drop(func(_ int, line []byte) bool { return !expiredLine(line, now) })...)
		}
		w.newEmpty = len(rec.ids) == 0
		if !w.changed() || mode == modeDryRun {
			return nil, false, nil
		}
		return rec.encode(), true, nil
	})
	if err != nil {
		return nil, err
	}
	repairs := lineRepairs(key, w)
	if set.dir == "" {
		return repairs, nil
	}
	// The directory must list every shard that is not empty. A writer that
	// turned a shard from empty to not empty lists it; one that emptied it
	// unlists it and then reads the shard again, re-listing it if a writer
	// filled it meanwhile (that writer may have found it still listed). A
	// writer that changed a shard that was not empty relies on the one that
	// filled it, whose own sync, or intent, lists it. A write that changed
	// nothing cannot tell what happened before it (it may be a replay after a
	// crash between the two writes), so it makes the entry exact, as the check
	// does.
	exact := mode != modeSync || !w.changed()
	var dirRepairs []Repair
	switch {
	case !w.newEmpty && (exact || w.oldEmpty):
		dirRepairs, err = s.listShard(set, k, mode)
	case w.newEmpty && (exact || !w.oldEmpty):
		dirRepairs, err = s.unlistShard(set, k, mode)
	}
	return append(repairs, dirRepairs...), err
}

func lineRepairs(key string, w shardWrite) []Repair {
	var repairs []Repair
	if w.rewritten {
		repairs = append(repairs, Repair{Key: key, Change: "rewritten"})
	}
	for _, c := range w.changes {
		repairs = append(repairs, Repair{Key: key, ID: c.id, Change: c.change})
	}
	return repairs
}

// listShard makes sure the directory lists shard k.
func (s *Store) listShard(set rangeSet, k int, mode writeMode) ([]Repair, error) {
	changed, err := s.setDirMember(set.dir, k, true, mode)
	if err != nil || !changed {
		return nil, err
	}
	return []Repair{{Key: set.dir, ID: k, Change: "listed"}}, nil
}

// unlistShard removes shard k from the directory, then lists it again if the
// shard is no longer empty (see writeShard).
func (s *Store) unlistShard(set rangeSet, k int, mode writeMode) ([]Repair, error) {
	changed, err := s.setDirMember(set.dir, k, false, mode)
	if err != nil || !changed {
		return nil, err
	}
	if mode == modeDryRun {
		return []Repair{{Key: set.dir, ID: k, Change: "unlisted"}}, nil
	}
	rec, err := s.readShard(set, k)
	if err != nil {
		return nil, err
	}
	if len(rec.ids) == 0 {
		return []Repair{{Key: set.dir, ID: k, Change: "unlisted"}}, nil
	}
	_, err = s.setDirMember(set.dir, k, true, mode)
	return nil, err
}

func (s *Store) setDirMember(dir string, k int, member bool, mode writeMode) (bool, error) {
	if mode != modeDryRun {
		return s.setMember(dir, k, member)
	}
	ks, err := s.readIDs(dir)
	if err != nil {
		return false, err
	}
	_, found := slices.BinarySearch(ks, k)
	return found != member, nil
}

// readShard reads shard k of set.
func (s *Store) readShard(set rangeSet, k int) (*sumRecord, error) {
	return s.readRecord(set.key(k))
}

// shardsOf lists the shards of set that may hold something, ascending: the
// directory, or for the archive every shard up to the highest id.
func (s *Store) shardsOf(set rangeSet) ([]int, error) {
	if set.dir != "" {
		return s.readIDs(set.dir)
	}
	highest, err := s.HighestID()
	if err != nil || highest == 0 {
		return nil, err
	}
	ks := make([]int, shardOf(highest)+1)
	for k := range ks {
		ks[k] = k
	}
	return ks, nil
}
