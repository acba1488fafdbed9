package service

import (
	"context"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// The background steps of the job, each bounded per run so that a run's cost
// and memory do not grow with the number of reports: the replay of stale
// intents, the migration from layout 1 (until it is done) and a slice of the
// full consistency check.
const (
	// stepBudget is how many reports one migration or check step reads and
	// holds at a time: one archive shard.
	stepBudget = 500
	// migrationRunTime bounds the migration steps of one run: a step of 500
	// takes a fraction of a second to a few seconds, so a run migrates a few
	// thousand reports and 100,000 migrate in a few runs, while the run itself
	// stays short (the migration lease, 2 minutes, is well above a step).
	migrationRunTime = 20 * time.Second
)

// Steps says what one run of the background steps did.
type Steps struct {
	Replay    store.Replayed
	Migration store.MigrationProgress
	Check     store.CheckProgress
	// PublicRepairs counts the Hall of Fame contributions and the
	// advisories the check corrected.
	PublicRepairs int
}

// RunSteps is the job's recovery work for one run: Replay(ReplayStale), then
// migration steps until the migration is done or migrationRunTime passed, then,
// once migrated, the moves of cards to a new triage channel for up to
// rehomeRunTime (RehomeStep), then one check step of stepBudget reports (a pass over 100,000
// reports takes 200 runs, about 17 hours at the default 5-minute interval:
// the check finds damage a crash could not leave, so it may be slow). Each
// step is safe on any number of servers at once: the replay and the check are
// idempotent, and the migration holds the store's lease. Failures are logged;
// the next run resumes from the persisted cursors.
//
// ctx ends the migration's steps early (the plugin deactivates); a step
// already begun finishes, since the next one would redo it anyway.
func (rc *Recovery) RunSteps(ctx context.Context) Steps {
	var done Steps
	var err error
	if done.Replay, err = rc.Replay(store.ReplayStale); err != nil {
		rc.log.Warn("The job could not replay stale intents", "error", err.Error())
	}
	if done.Migration, err = rc.migrate(ctx, rc.now().Add(migrationRunTime)); err != nil {
		rc.log.Warn("The job could not migrate reports to summaries", "error", err.Error())
		return done
	}
	if !done.Migration.Done || ctx.Err() != nil {
		return done
	}
	if err := rc.rehome(ctx, rc.now().Add(rehomeRunTime)); err != nil {
		rc.log.Warn("The job could not move the cards to the new triage channel", "error", err.Error())
	}
	if done.Check, done.PublicRepairs, err = rc.checkStep(); err != nil {
		rc.log.Warn("The job's consistency check failed", "error", err.Error())
		return done
	}
	if n := len(done.Check.Repairs); n > 0 || done.PublicRepairs > 0 || len(done.Check.Missing) > 0 {
		rc.log.Warn("The consistency check repaired reports", "from", done.Check.From, "to", done.Check.To,
			"repairs", n, "public_lists", done.PublicRepairs, "missing_records", len(done.Check.Missing))
	}
	return done
}

// Migrate runs the migration from layout 1 until it is done, another server
// holds its lease, or ctx is done: activation starts it in the background,
// so an upgraded server migrates its whole history within minutes instead of
// a few thousand reports per job run. Each step is one shard of 500 reports,
// so memory stays that of one step; readers fall back to the records until
// it is done. A failure is logged and the job's runs resume from the cursor.
func (rc *Recovery) Migrate(ctx context.Context) store.MigrationProgress {
	p, err := rc.migrate(ctx, time.Time{})
	if err != nil {
		rc.log.Warn("Could not migrate reports to summaries; the job resumes", "error", err.Error())
	}
	return p
}

// migrate runs migration steps until it is done, another server holds the
// lease, the deadline passed (a zero deadline: none) or ctx is done; then,
// once, the conversion of the Security Updates into their shards.
func (rc *Recovery) migrate(ctx context.Context, deadline time.Time) (store.MigrationProgress, error) {
	if n, err := rc.store.ConvertSecurityUpdates(); err != nil {
		rc.log.Warn("Could not convert the Security Updates into shards; the job resumes", "error", err.Error())
	} else if n > 0 {
		rc.log.Warn("Converted the Security Updates into shards", "advisories", n)
	}
	for {
		p, err := rc.store.MigrateStep(stepBudget)
		if err != nil || p.Done || p.Busy || (!deadline.IsZero() && !rc.now().Before(deadline)) || ctx.Err() != nil {
			return p, storeError(err)
		}
	}
}

// checkStep runs one step of the store's check, then the Hall of Fame's and
// the Security Updates' over the same ids; it returns how many public entries
// those corrected.
func (rc *Recovery) checkStep() (store.CheckProgress, int, error) {
	p, err := rc.store.CheckStep(stepBudget)
	if err != nil {
		return p, 0, storeError(err)
	}
	hall, err := rc.hall.checkRange(p.From, p.To)
	if err != nil {
		return p, hall, err
	}
	advisories, err := rc.public.checkAdvisories(p.From, p.To)
	return p, hall + advisories, err
}

// CheckReport says what a full check found and repaired.
type CheckReport struct {
	Checked int // reports checked
	Steps   int
	Missing []int          // ids without a record
	Repairs []store.Repair // what the store's check rewrote
	// PublicRepairs counts the Hall of Fame contributions and advisories
	// corrected.
	PublicRepairs int
}

// CheckAll runs the full consistency check now, over every report, in steps of
// stepBudget (first finishing the migration if it has not): for a system
// admin who wants to know that indexes, summaries and the Hall of Fame agree
// with the records, after an incident. Like the job's steps it holds one step's
// reports at a time. Anyone else gets ErrNotAdmin.
func (rc *Recovery) CheckAll(userID string) (*CheckReport, error) {
	if !rc.hall.directory.IsSystemAdmin(userID) {
		return nil, ErrNotAdmin
	}
	for {
		p, err := rc.migrate(context.Background(), rc.now().Add(migrationRunTime))
		if err != nil {
			return nil, err
		}
		if p.Done {
			break
		}
		if p.Busy {
			return nil, ErrBusy
		}
	}
	highest, err := rc.store.HighestID()
	if err != nil {
		return nil, storeError(err)
	}
	res := &CheckReport{}
	for res.Checked < highest {
		p, n, err := rc.checkStep()
		if err != nil {
			return res, err
		}
		res.Steps++
		if p.To < p.From {
			break
		}
		res.Checked += p.To - p.From + 1
		res.Missing = append(res.Missing, p.Missing...)
		res.Repairs = append(res.Repairs, p.Repairs...)
		res.PublicRepairs += n
	}
	return res, nil
}
