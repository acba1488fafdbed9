package store

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// rangeRepair says what repairRange found and changed.
type rangeRepair struct {
	// Highest is the last id of the range checked.
	Highest int
	// Missing lists the ids of the range that have no record. File never
	// leaves such a gap (the record is the id claim), so an entry here means a
	// record was deleted by hand; the check reports it and invents nothing.
	Missing []int
	// Repairs lists every write made; empty when all was well.
	Repairs []Repair
}

// Repair is one write made by the consistency check or the migration.
type Repair struct {
	Key string // the key written
	// ID is the report concerned; for a directory ("listed", "unlisted"), the
	// shard number.
	ID int
	// Change is "added", "removed", "replaced" (a summary that differed),
	// "linked" (post link), "raised" (counter), "rewritten" (undecodable
	// record), "listed" or "unlisted" (directory entry).
	Change string
}

// repairRange makes every index and summary set agree with the records of ids
// from..to, shard by shard: one read per record, one compare-and-set per key
// touched. It is the consistency check's step, the migration's step, and in
// modeDryRun the check that tests and the background job use to list what
// disagrees.
//
// What it covers: the archive, open, fixed and live shards of the range and
// their directory entries; the summaries and the layout-1 list of every
// researcher whose record, or whose archive entry, falls in the range (the
// entry names the researcher of a record deleted by hand); the open and fixed
// lists (layout-1 lists only until they are retired: listsRetired); the post
// links the records name; the counter. A stale post link (a
// replaced card's post) cannot be found without listing keys, which the store
// never does; FindByPost detects and removes those instead.
//
// Other servers may write meanwhile. Entries written here from a record that
// changed since it was read are rewritten by syncing that report again at the
// end, from its current record, as syncIndexes does for its own writes.
func (s *Store) repairRange(from, to int, mode writeMode) (rangeRepair, error) {
	res := rangeRepair{Highest: to}
	type loaded struct {
		raw  []byte
		r    *report.Report
		sum  report.Summary
		line []byte
	}
	recs := map[int]*loaded{}
	for id := from; id <= to; id++ {
		raw, r, err := s.loadReport(id)
		if err != nil {
			return res, err
		}
		if r == nil {
			res.Missing = append(res.Missing, id)
			continue
		}
		sum, line, err := summaryLine(r)
		if err != nil {
			return res, err
		}
		recs[id] = &loaded{raw, r, sum, line}
	}
	want := func(in func(l *loaded) bool) map[int][]byte {
		out := map[int][]byte{}
		for id, l := range recs {
			if in(l) {
				out[id] = l.line
			}
		}
		return out
	}
	ids := func(m map[int][]byte) []int { return slices.Sorted(maps.Keys(m)) }
	add := func(repairs []Repair, err error) error {
		res.Repairs = append(res.Repairs, repairs...)
		return err
	}

	reporters, err := s.archivedReporters(from, to)
	if err != nil {
		return res, err
	}
	for _, l := range recs {
		reporters[l.r.ReporterID] = true
	}
	now := s.now()
	open := want(func(l *loaded) bool { return l.r.IsOpen() })
	fixed := want(func(l *loaded) bool { return l.r.Status == report.StatusFixed })
	sets := []struct {
		set  rangeSet
		want map[int][]byte
	}{
		{archiveSet, want(func(*loaded) bool { return true })},
		{openSet, open},
		{fixedSet, fixed},
		{liveSet, want(func(l *loaded) bool { return isLive(&l.sum, now) })},
	}
	for _, st := range sets {
		if err := add(s.writeRange(st.set, from, to, st.want, mode)); err != nil {
			return res, err
		}
	}
	lists := !s.listsRetired()
	if lists {
		if err := add(s.repairIDList(keyOpen, from, to, ids(open), mode)); err != nil {
			return res, err
		}
		if err := add(s.repairIDList(keyFixed, from, to, ids(fixed), mode)); err != nil {
			return res, err
		}
	}
	byReporter := map[string]map[int][]byte{}
	for id, l := range recs {
		if byReporter[l.r.ReporterID] == nil {
			byReporter[l.r.ReporterID] = map[int][]byte{}
		}
		byReporter[l.r.ReporterID][id] = l.line
	}
	for _, user := range slices.Sorted(maps.Keys(reporters)) {
		theirs := byReporter[user]
		if err := add(s.writeReporter(user, from, to, theirs, mode)); err != nil {
			return res, err
		}
		if !lists {
			continue
		}
		if err := add(s.repairIDList(reporterKey(user), from, to, ids(theirs), mode)); err != nil {
			return res, err
		}
	}
	for _, id := range ids(want(func(*loaded) bool { return true })) {
		for _, p := range recs[id].r.PostIDs() {
			if err := add(s.repairPostLink(p, id, mode)); err != nil {
				return res, err
			}
		}
	}
	if err := add(s.repairCounter(mode)); err != nil {
		return res, err
	}
	if err := add(s.pruneDirectories(to, mode)); err != nil {
		return res, err
	}

	if mode != modeRepair {
		return res, nil
	}
	for id := from; id <= to; id++ {
		var before []byte
		if l := recs[id]; l != nil {
			before = l.raw
		}
		same, err := s.sameBytes(reportKey(id), before)
		if err != nil {
			return res, err
		}
		if !same {
			if err := s.syncIndexes(id, syncAll, nil, nil, nil); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// pruneDirectories unlists, at the end of a pass (to at or past the highest
// id), the directory entries of shards past the highest id, which no range of
// the check reaches.
func (s *Store) pruneDirectories(to int, mode writeMode) ([]Repair, error) {
	highest, err := s.HighestID()
	if err != nil || to < highest {
		return nil, err
	}
	var repairs []Repair
	for _, set := range []rangeSet{openSet, fixedSet, liveSet} {
		ks, err := s.readIDs(set.dir)
		if err != nil {
			return repairs, err
		}
		for _, k := range ks {
			if highest > 0 && k <= shardOf(highest) {
				continue
			}
			rs, err := s.unlistShard(set, k, mode)
			if err != nil {
				return repairs, err
			}
			repairs = append(repairs, rs...)
		}
	}
	return repairs, nil
}

// archivedReporters lists the researchers the archive names for ids from..to.
func (s *Store) archivedReporters(from, to int) (map[string]bool, error) {
	users := map[string]bool{}
	for k := shardOf(from); k <= shardOf(to); k++ {
		rec, err := s.readShard(archiveSet, k)
		if err != nil {
			continue // undecodable: rewritten from the records below
		}
		start, _ := slices.BinarySearch(rec.ids, from)
		for i := start; i < len(rec.ids) && rec.ids[i] <= to; i++ {
			var who struct {
				Reporter string `json:"u"`
			}
			if json.Unmarshal(rec.lines[i], &who) == nil && who.Reporter != "" {
				users[who.Reporter] = true
			}
		}
	}
	return users, nil
}

// repairIDList makes the ids from..to of the id list at key exactly want.
func (s *Store) repairIDList(key string, from, to int, want []int, mode writeMode) ([]Repair, error) {
	var repairs []Repair
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		repairs = nil // recomputed on every attempt
		cur, err := decodeIDs(old)
		if err != nil {
			cur = nil
			repairs = append(repairs, Repair{Key: key, Change: "rewritten"})
		}
		var kept []int
		for _, id := range cur {
			if id < from || id > to || slices.Contains(want, id) {
				kept = append(kept, id)
				continue
			}
			repairs = append(repairs, Repair{Key: key, ID: id, Change: "removed"})
		}
		for _, id := range want {
			var added bool
			if kept, added = withID(kept, id); added {
				repairs = append(repairs, Repair{Key: key, ID: id, Change: "added"})
			}
		}
		if len(repairs) == 0 || mode == modeDryRun {
			return nil, false, nil
		}
		if len(kept) == 0 && old == nil {
			return nil, false, nil
		}
		return encodeIDs(kept), true, nil
	})
	return repairs, err
}

func (s *Store) repairPostLink(postID string, id int, mode writeMode) ([]Repair, error) {
	var wrote bool
	var err error
	if mode == modeDryRun {
		var raw []byte
		if raw, err = s.getRaw(postKey(postID)); err == nil {
			cur, decodeErr := decodeInt(raw)
			wrote = decodeErr != nil || cur != id
		}
	} else {
		wrote, err = s.setPostLink(postID, id, true)
	}
	if err != nil || !wrote {
		return nil, err
	}
	return []Repair{{Key: postKey(postID), ID: id, Change: "linked"}}, nil
}

// repairCounter raises a counter that lags the records.
func (s *Store) repairCounter(mode writeMode) ([]Repair, error) {
	counter, err := s.counter()
	if err != nil {
		return nil, err
	}
	highest, err := s.HighestID()
	if err != nil || highest <= counter {
		return nil, err
	}
	if mode != modeDryRun {
		if err := s.raiseCounter(highest); err != nil {
			return nil, err
		}
	}
	return []Repair{{Key: keyCounter, ID: highest, Change: "raised"}}, nil
}

// checkState is the background check's cursor.
type checkState struct {
	Next int `json:"next"` // first id of the next step
	Pass int `json:"pass"` // passes begun over all reports
}

// CheckProgress says what one CheckStep checked and repaired.
type CheckProgress struct {
	From, To int // the ids checked; none when To < From
	Pass     int // the pass this step belongs to (1 for the first)
	Missing  []int
	Repairs  []Repair
}

// CheckStep checks and repairs the next budget ids after the persisted cursor
// (v2/chk), wrapping to SEC-1 after the highest, and saves the cursor: a full
// consistency check in bounded, resumable steps, for the cluster-locked job to
// run at its own pace, never at activation or on a request path. It does
// nothing until the migration has finished, which is a full pass of its own.
func (s *Store) CheckStep(budget int) (CheckProgress, error) {
	var res CheckProgress
	if budget < 1 {
		return res, errors.New("check: the budget is at least one report")
	}
	if ok, err := s.Migrated(); err != nil || !ok {
		return res, err
	}
	raw, err := s.getRaw(keyCheck)
	if err != nil {
		return res, err
	}
	var st checkState
	if raw != nil {
		if err := json.Unmarshal(raw, &st); err != nil {
			st = checkState{} // restart from the beginning
		}
	}
	highest, err := s.HighestID()
	if err != nil {
		return res, err
	}
	if st.Next < 1 || st.Next > highest {
		st.Next, st.Pass = 1, st.Pass+1
	}
	res.From, res.To, res.Pass = st.Next, min(st.Next+budget-1, highest), st.Pass
	if res.From <= res.To {
		rec, err := s.repairRange(res.From, res.To, modeRepair)
		if err != nil {
			return res, err
		}
		res.Missing, res.Repairs = rec.Missing, rec.Repairs
	}
	data, err := json.Marshal(checkState{Next: res.To + 1, Pass: st.Pass})
	if err != nil {
		return res, errors.Wrap(err, "encode the check cursor")
	}
	// Another server's step that came first wins: it covered the same ids.
	if _, err := s.casSet(keyCheck, raw, data); err != nil {
		return res, err
	}
	return res, nil
}
