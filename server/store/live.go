package store

import (
	"encoding/json"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// LiveGrace is how long after a report became final its DM thread still counts
// as live: replies to it may still have to be relayed, so catch-up after
// downtime reads it. Replies are accepted in every state today (issue 17 bounds
// them); a month covers any plausible downtime and a researcher's late answer
// to the closing message, while keeping the live set to a month of closings.
const LiveGrace = 30 * 24 * time.Hour

// isLive says whether a final report belongs to the live set at now. Open and
// fixed reports are live too, but through their own sets (LiveThreads).
func isLive(sum *report.Summary, now time.Time) bool {
	return sum.IsFinal() && sum.ThreadRootID != "" && now.Before(sum.ClosedAt.Add(LiveGrace))
}

// mayBeLive says whether r may have an entry in the live set, whatever the
// time: a write must then look, even if the entry has expired meanwhile.
func mayBeLive(r *report.Report) bool { return r.IsFinal() && r.ThreadRootID != "" }

// expiredLine says whether a live-set entry is past LiveGrace at now. An entry
// that does not decode goes too: the record it came from is the truth, and the
// check writes it again if it is still live.
func expiredLine(line []byte, now time.Time) bool {
	var sum report.Summary
	if err := json.Unmarshal(line, &sum); err != nil {
		return true
	}
	return sum.IsFinal() && !now.Before(sum.ClosedAt.Add(LiveGrace))
}
