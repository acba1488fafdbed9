package command

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

func (h *handlers) nudge(req *Request) *model.CommandResponse {
	id, ok := parseIDArg(req)
	if !ok {
		return Ephemeral("Usage: `/security nudge SEC-n`.")
	}
	r, err := h.Clocks.Nudge(req.UserID, id)
	if err != nil {
		return Ephemeral(errorText(err))
	}
	return Ephemeral(fmt.Sprintf("The security team was asked for an update on **%s**. You will hear from them in the report's thread.", r.Key()))
}

func (h *handlers) stats(req *Request) *model.CommandResponse {
	st, err := h.Clocks.Stats(req.UserID)
	if err != nil {
		return Ephemeral(errorText(service.ErrNotFound))
	}
	return Ephemeral(FormatStats(st))
}

// FormatStats renders program metrics for chat.
func FormatStats(st *service.Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#### Program metrics, %s to %s\n%d reports filed.\n\n", st.From.Format("2006-01-02"), st.To.Format("2006-01-02"), st.Reports)
	b.WriteString("| time to | reports | median | 90th percentile |\n| --- | --- | --- | --- |\n")
	for _, row := range []struct {
		name string
		s    sla.Summary
	}{{"first response", st.FirstResponse}, {"triage", st.Triage}, {"fix", st.Fix}} {
		fmt.Fprintf(&b, "| %s | %d | %s | %s |\n", row.name, row.s.Count, duration(row.s.Median, row.s.Count), duration(row.s.P90, row.s.Count))
	}
	fmt.Fprintf(&b, "\nTargets met (first response and triage): %s", st.Compliance.String())
	return b.String()
}

func duration(d time.Duration, n int) string {
	if n == 0 {
		return "—"
	}
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}
