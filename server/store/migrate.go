package store

import (
	"encoding/json"
	"time"

	"github.com/pkg/errors"
)

// Wave 1 stored records, the layout-1 id lists and post links, and no
// summaries. The migration adds the summaries of every existing report in the
// background, in resumable steps, while writers already keep the summaries of
// whatever they change (so a report changed during the migration is right
// whether or not its step ran yet). Until it has finished, the summary readers
// read records through the layout-1 indexes (summaries.go).

// migrationLease is how long a server may run a step before another may take
// over: well above a step's duration, so a live step is never doubled. A
// doubled step would be harmless anyway (repairRange is idempotent and safe
// beside writers); the lease only keeps servers from wasting the work.
const migrationLease = 2 * time.Minute

// migrationState is the persisted progress of the migration.
type migrationState struct {
	Next  int    `json:"next"`            // first id not migrated yet
	Done  bool   `json:"done,omitempty"`  // every report has its summaries
	Owner string `json:"owner,omitempty"` // the Store instance running a step
	Until int64  `json:"until,omitempty"` // when its lease ends, Unix ms
}

// MigrationProgress says where the migration stands after a step.
type MigrationProgress struct {
	Next    int  // first id not migrated yet
	Highest int  // the highest id when the step ran
	Done    bool // finished: the summary readers use summaries
	Busy    bool // another server holds the lease; this step did nothing
	Repairs int  // entries the step wrote
}

// Migrated says whether the migration has finished. Once true it stays true,
// so it is cached and costs nothing after that.
func (s *Store) Migrated() (bool, error) {
	if s.migrated.Load() {
		return true, nil
	}
	st, _, err := s.readMigration()
	if err != nil {
		return false, err
	}
	if st.Done {
		s.migrated.Store(true)
	}
	return st.Done, nil
}

// useSummaries says whether readers may use the summary sets.
func (s *Store) useSummaries() (bool, error) { return s.Migrated() }

// MigrateStep migrates the next budget reports: it claims the lease on the
// migration state with a compare-and-set (returning Busy if another server
// holds it), adds the summaries of the ids after the cursor, and saves the
// cursor, marking the migration done once it passes the highest id. A crash
// anywhere leaves the cursor where the last finished step put it, and the
// lease expires, so the next step, on any server, redoes at most one step.
// On a new installation the first step finds nothing to migrate and finishes.
func (s *Store) MigrateStep(budget int) (MigrationProgress, error) {
	var res MigrationProgress
	if budget < 1 {
		return res, errors.New("migrate: the budget is at least one report")
	}
	st, raw, err := s.readMigration()
	if err != nil {
		return res, err
	}
	res.Next, res.Done = st.Next, st.Done
	if st.Done {
		s.migrated.Store(true)
		return res, nil
	}
	now := s.now()
	if st.Owner != "" && st.Owner != s.instance && now.UnixMilli() < st.Until {
		res.Busy = true
		return res, nil
	}
	claimed := st
	claimed.Owner, claimed.Until = s.instance, now.Add(migrationLease).UnixMilli()
	if ok, err := s.writeMigration(raw, claimed); err != nil || !ok {
		res.Busy = err == nil // another server claimed it first
		return res, err
	}

	highest, err := s.HighestID()
	if err != nil {
		return res, err
	}
	res.Highest = highest
	from := max(st.Next, 1)
	to := min(from+budget-1, highest)
	if from <= to {
		rec, err := s.repairRange(from, to, modeRepair)
		if err != nil {
			return res, err
		}
		res.Repairs = len(rec.Repairs)
	}
	res.Next, res.Done = to+1, to >= highest
	_, err = s.modify(keyMigration, func(old []byte) ([]byte, bool, error) {
		cur, err := decodeMigration(old)
		if err != nil {
			return nil, false, err
		}
		// A server that took over an expired lease may have gone further.
		cur.Next = max(cur.Next, res.Next)
		cur.Done = cur.Done || res.Done
		if cur.Owner == s.instance {
			cur.Owner, cur.Until = "", 0
		}
		data, err := json.Marshal(cur)
		return data, err == nil, errors.Wrap(err, "encode the migration state")
	})
	if err != nil {
		return res, err
	}
	if res.Done {
		s.migrated.Store(true)
	}
	return res, nil
}

func (s *Store) readMigration() (migrationState, []byte, error) {
	raw, err := s.getRaw(keyMigration)
	if err != nil {
		return migrationState{}, nil, err
	}
	st, err := decodeMigration(raw)
	return st, raw, err
}

func decodeMigration(raw []byte) (migrationState, error) {
	st := migrationState{Next: 1}
	if raw == nil {
		return st, nil
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, errors.Wrapf(err, "decode %s", keyMigration)
	}
	return st, nil
}

func (s *Store) writeMigration(old []byte, st migrationState) (bool, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return false, errors.Wrap(err, "encode the migration state")
	}
	return s.casSet(keyMigration, old, data)
}
