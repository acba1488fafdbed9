package store

import (
	"maps"
	"slices"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Reconciliation says what Reconcile found and changed.
type Reconciliation struct {
	// Highest is the highest report id; ids 1..Highest were walked.
	Highest int
	// Missing lists ids at or below Highest that have no record. File never
	// leaves such a gap (the record is the id claim), so an entry here means a
	// record was deleted by hand; Reconcile reports it and invents nothing.
	Missing []int
	// Repairs lists every write Reconcile made; empty when all was well.
	Repairs []Repair
}

// Repair is one write made by Reconcile, or by the consistency check and the
// migration (check.go).
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

// Reconcile walks reports 1..HighestID and makes the indexes agree with the
// records: it raises a lagging counter, adds missing entries to the per-reporter
// and open lists and the post links, and removes list entries whose record says
// otherwise. It changes nothing when all is well. The plugin runs it at
// activation, which is when a crash between a record write and its index writes
// would otherwise stay unrepaired.
//
// It cannot find a stale post link (a replaced card's post) without listing
// keys, which the store never does; FindByPost detects and removes those instead.
// Other servers of a cluster may write while it runs: every id it repairs is
// synced once more from its current record at the end, which undoes a repair
// based on a record that changed during the walk.
func (s *Store) Reconcile() (Reconciliation, error) {
	var res Reconciliation
	counter, err := s.counter()
	if err != nil {
		return res, err
	}
	highest, err := s.HighestID()
	if err != nil {
		return res, err
	}
	res.Highest = highest
	if highest > counter {
		if err := s.raiseCounter(highest); err != nil {
			return res, err
		}
		res.Repairs = append(res.Repairs, Repair{Key: keyCounter, ID: highest, Change: "raised"})
	}

	owner := make(map[int]string, highest)
	byReporter := map[string][]int{}
	var open, fixed []int
	posts := map[string]int{}
	for id := 1; id <= highest; id++ {
		_, r, err := s.loadReport(id)
		if err != nil {
			return res, err
		}
		if r == nil {
			res.Missing = append(res.Missing, id)
			continue
		}
		owner[id] = r.ReporterID
		byReporter[r.ReporterID] = append(byReporter[r.ReporterID], id)
		if r.IsOpen() {
			open = append(open, id)
		}
		if r.Status == report.StatusFixed {
			fixed = append(fixed, id)
		}
		for _, p := range r.PostIDs() {
			posts[p] = id
		}
	}

	openSet := map[int]bool{}
	for _, id := range open {
		openSet[id] = true
	}
	repairs, err := s.repairList(keyOpen, highest, open, func(id int) bool { return openSet[id] })
	if err != nil {
		return res, err
	}
	res.Repairs = append(res.Repairs, repairs...)

	fixedSet := map[int]bool{}
	for _, id := range fixed {
		fixedSet[id] = true
	}
	repairs, err = s.repairList(keyFixed, highest, fixed, func(id int) bool { return fixedSet[id] })
	if err != nil {
		return res, err
	}
	res.Repairs = append(res.Repairs, repairs...)

	for _, user := range slices.Sorted(maps.Keys(byReporter)) {
		repairs, err := s.repairList(reporterKey(user), highest, byReporter[user], func(id int) bool { return owner[id] == user })
		if err != nil {
			return res, err
		}
		res.Repairs = append(res.Repairs, repairs...)
	}

	for _, p := range slices.Sorted(maps.Keys(posts)) {
		wrote, err := s.setPostLink(p, posts[p], true)
		if err != nil {
			return res, err
		}
		if wrote {
			res.Repairs = append(res.Repairs, Repair{Key: postKey(p), ID: posts[p], Change: "linked"})
		}
	}

	if err := s.resync(res.Repairs); err != nil {
		return res, err
	}
	return res, nil
}

// repairList makes the id list at key hold every id of want and no id at or
// below highest for which belongs is false. Ids above highest were filed during
// the walk and are left alone.
func (s *Store) repairList(key string, highest int, want []int, belongs func(int) bool) ([]Repair, error) {
	var repairs []Repair
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		repairs = nil // recomputed on every attempt
		ids, err := decodeIDs(old)
		if err != nil {
			ids = nil
			repairs = append(repairs, Repair{Key: key, Change: "rewritten"})
		}
		var kept []int
		for _, id := range ids {
			if id > highest || belongs(id) {
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
		if len(repairs) == 0 {
			return nil, false, nil
		}
		return encodeIDs(kept), true, nil
	})
	if err != nil {
		return nil, err
	}
	return repairs, nil
}

// resync syncs every repaired report from its current record, in case it
// changed between the walk and the repair.
func (s *Store) resync(repairs []Repair) error {
	seen := map[int]bool{}
	for _, rp := range repairs {
		if rp.ID == 0 || rp.Key == keyCounter || seen[rp.ID] {
			continue
		}
		seen[rp.ID] = true
		if err := s.syncIndexes(rp.ID, syncAll, nil, nil, nil); err != nil {
			return err
		}
	}
	return nil
}
