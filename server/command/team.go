package command

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

func (h *handlers) queue(req *Request) *model.CommandResponse {
	reports, err := h.Triage.Queue(req.UserID)
	if err != nil {
		// Not on the team: the same answer as an unknown command would give.
		return Ephemeral(errorText(err))
	}
	if len(reports) == 0 {
		return Ephemeral("No open reports. 🎉")
	}
	var b strings.Builder
	b.WriteString("#### Open security reports (oldest first)\n")
	now := h.Now()
	for _, r := range reports {
		assignee := "unassigned"
		if r.Assignee != "" {
			assignee = "assigned"
		}
		fmt.Fprintf(&b, "- **%s** · %s · %s · %s · open %s · %s\n",
			r.Key(), r.Status.Label(), r.Severity().String(), assignee, age(now.Sub(r.Created)), inert.Span(r.Title))
	}
	return Ephemeral(b.String())
}

func (h *handlers) show(req *Request) *model.CommandResponse {
	id, ok := parseIDArg(req)
	if !ok {
		return Ephemeral("Usage: `/security show SEC-n`.")
	}
	r, err := h.Triage.ReportForTeam(req.UserID, id)
	if err != nil {
		// Others get exactly what an unknown id gets.
		return Ephemeral(errorText(service.ErrNotFound))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n**Title:** %s\n**Product:** %s · **Severity:** %s · **Filed:** %s\n",
		r.Key(), r.Status.Label(), inert.Span(r.Title), inert.Span(r.Product), r.Severity().String(), day(r.Created))
	b.WriteString("\n**Timeline**\n")
	view := service.TeamView(r)
	if view.Earlier != "" {
		b.WriteString("- " + view.Earlier + "\n")
	}
	for _, e := range view.Timeline {
		line := fmt.Sprintf("- %s · %s", day(e.At), e.Summary)
		if e.Detail != "" {
			line += " · " + inert.Span(e.Detail)
		}
		if e.Note != "" {
			line += " · " + inert.Span(e.Note)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\nThe card and the full report are in the triage channel.")
	return Ephemeral(b.String())
}

func age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
