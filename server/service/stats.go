package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// StatsWindow is how far back program metrics look.
const StatsWindow = 90 * 24 * time.Hour

// Stats are the program's measured response times over the reports filed in the
// last StatsWindow.
type Stats struct {
	From          time.Time   `json:"from"`
	To            time.Time   `json:"to"`
	Reports       int         `json:"reports"`
	FirstResponse sla.Summary `json:"first_response"`
	Triage        sla.Summary `json:"triage"`
	Fix           sla.Summary `json:"fix"`
	// Compliance counts the reports whose first response and triage are both
	// decided (done, or overdue while still running); Met when both met their
	// targets.
	Compliance sla.Compliance `json:"sla_compliance"`
}

// Stats computes the program metrics for a triager (or system admin).
func (c *Clocks) Stats(userID string) (*Stats, error) {
	if !c.directory.IsTriager(userID) {
		return nil, refuseTeam(c.directory, userID, ErrNotTriager)
	}
	return c.computeStats(c.now())
}

// AdminStats computes the program metrics for a system admin.
func (c *Clocks) AdminStats(userID string) (*Stats, error) {
	if !c.directory.IsSystemAdmin(userID) {
		return nil, ErrNotFound
	}
	return c.computeStats(c.now())
}

// computeStats reads the archive's summaries from the newest shard down and
// stops once it is past the window: ids grow with filing time, so a few shard
// reads cover the window whatever the number of reports.
func (c *Clocks) computeStats(now time.Time) (*Stats, error) {
	clocks := c.settings()
	from := now.Add(-StatsWindow)
	shards, err := c.store.ArchiveShards()
	if err != nil {
		return nil, storeError(err)
	}
	var firstResponse, triage, fix []time.Duration
	st := &Stats{From: from.UTC(), To: now.UTC()}
walk:
	for k := shards - 1; k >= 0; k-- {
		sums, err := c.store.ArchiveShard(k)
		if err != nil {
			return nil, storeError(err)
		}
		for i := len(sums) - 1; i >= 0; i-- {
			s := &sums[i]
			if s.Created.Before(from) {
				break walk
			}
			st.Reports++
			verdicts := map[event.Clock]sla.Verdict{}
			for _, ck := range clocksOf(s, clocks) {
				if !ck.done.IsZero() {
					d := ck.done.Sub(ck.start)
					switch ck.name {
					case event.ClockFirstResponse:
						firstResponse = append(firstResponse, d)
					case event.ClockTriage:
						triage = append(triage, d)
					}
				}
				verdicts[ck.name] = sla.Judge(ck.start, ck.done, now, ck.target, clocks.Zone)
			}
			if !s.FixedAt.IsZero() {
				fix = append(fix, s.FixedAt.Sub(s.Created))
			}
			fr, tr := verdicts[event.ClockFirstResponse], verdicts[event.ClockTriage]
			if fr != sla.VerdictPending && tr != sla.VerdictPending {
				st.Compliance.Add(fr == sla.VerdictMet && tr == sla.VerdictMet)
			} else if fr == sla.VerdictMissed || tr == sla.VerdictMissed {
				st.Compliance.Add(false)
			}
		}
	}
	st.FirstResponse, st.Triage, st.Fix = sla.Summarize(firstResponse), sla.Summarize(triage), sla.Summarize(fix)
	return st, nil
}
