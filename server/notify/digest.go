package notify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// DigestText is the weekly summary of the open reports for the triage channel.
func DigestText(d event.Digest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#### Weekly security report digest\n**%d open reports**", d.Open)
	var parts []string
	for _, st := range report.Statuses {
		if n := d.ByStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", st.Label(), n))
		}
	}
	if len(parts) > 0 {
		b.WriteString(" — " + strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	overdue := make([]string, 0, len(d.Overdue))
	for _, o := range d.Overdue {
		overdue = append(overdue, fmt.Sprintf("%s (%s)", o.Report, strings.ToLower(clockLabels[o.Clock])))
	}
	sort.Strings(overdue)
	fmt.Fprintf(&b, "- Overdue targets: %s\n", listOrNone(overdue))
	fmt.Fprintf(&b, "- Not taken yet: %s\n", listOrNone(d.Untaken))
	if d.Oldest != nil {
		fmt.Fprintf(&b, "- Oldest open: **%s**, filed %s (%s)\n", d.Oldest.Key(), d.Oldest.Created.UTC().Format("2006-01-02"), d.Oldest.Status.Label())
	}
	return b.String()
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}

// PostDigest posts DigestText in the triage channel.
func (n *Notifier) PostDigest(channelID string, d event.Digest) error {
	return n.postInChannel(channelID, DigestText(d))
}
