package command

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
)

// shownRepairs bounds the repairs listed in the answer; the count covers all.
const shownRepairs = 20

// adminCheck runs the full consistency check now (system admins only) and
// says what it repaired: after an incident, zero repairs means the crash
// recovery left indexes, summaries, the Hall of Fame and the Security
// Updates in line with the records.
func (h *handlers) adminCheck(req *Request) *model.CommandResponse {
	res, err := h.Recovery.CheckAll(req.UserID)
	if err != nil {
		return Ephemeral(errorText(err))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Checked %d reports in %d steps: %d repairs, %d missing records, %d Hall of Fame and Security Updates corrections.",
		res.Checked, res.Steps, len(res.Repairs), len(res.Missing), res.PublicRepairs)
	for i, r := range res.Repairs {
		if i == shownRepairs {
			fmt.Fprintf(&b, "\n- and %d more", len(res.Repairs)-shownRepairs)
			break
		}
		fmt.Fprintf(&b, "\n- %s %s (%d)", inert.Span(r.Key), r.Change, r.ID)
	}
	return Ephemeral(b.String())
}
