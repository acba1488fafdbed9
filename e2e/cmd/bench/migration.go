package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// migration is how the plugin's migration of a history seeded in wave 1's
// layout went: it runs in the background, in steps (at activation and at
// each run of the job), while the plugin answers.
type migration struct {
	elapsed  time.Duration // from the enable call until the state said done
	done     bool
	next     int   // the first report not migrated yet, when not done
	peakRSS  int64 // the plugin's largest resident memory meanwhile
	migrated int   // reports seeded (all of them are migrated when done)
}

// awaitMigration polls the stored migration state (v2/mig) every second until
// it is done or timeout passed since start.
func (b *bench) awaitMigration(start time.Time, timeout time.Duration) (migration, error) {
	m := migration{migrated: b.cfg.seed}
	query := "SELECT convert_from(pvalue, 'UTF8') FROM pluginkeyvaluestore WHERE pluginid = '" + b.pluginID + "' AND pkey = 'v2/mig'"
	for b.ctx.Err() == nil {
		m.peakRSS = max(m.peakRSS, b.pluginRSS())
		out, err := b.stack.PG.Query(b.ctx, query)
		if err != nil {
			return m, err
		}
		if out = strings.TrimSpace(out); out != "" {
			var st struct {
				Next int  `json:"next"`
				Done bool `json:"done"`
			}
			if err := json.Unmarshal([]byte(out), &st); err != nil {
				return m, fmt.Errorf("the migration state %q: %w", out, err)
			}
			m.next, m.done = st.Next, st.Done
		}
		m.elapsed = time.Since(start)
		if m.done || m.elapsed > timeout {
			return m, nil
		}
		time.Sleep(time.Second)
	}
	return m, b.ctx.Err()
}
