package command

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

func (h *handlers) staging(req *Request) *model.CommandResponse {
	state := h.Signer.Sign(signing.Claims{UserID: req.UserID, Kind: dialog.KindStaging}, dialogTTL)
	d := dialog.StagingDialog(h.StagingMaxDays(), h.Now(), state)
	if err := h.OpenDialog(req.TriggerID, h.PluginPath+routes.StagingDialog, d); err != nil {
		return Ephemeral("The form could not be opened. Please try again.")
	}
	return &model.CommandResponse{}
}

func (h *handlers) stagingList(req *Request) *model.CommandResponse {
	requests, team, err := h.Staging.List(req.UserID)
	if err != nil {
		return Ephemeral(errorText(err))
	}
	if len(requests) == 0 {
		return Ephemeral("No staging server requests. Ask for one with `/security staging`.")
	}
	var b strings.Builder
	if team {
		b.WriteString("#### Staging server requests (newest first)\n")
	} else {
		b.WriteString("#### Your staging server requests\n")
	}
	for _, r := range requests {
		line := fmt.Sprintf("- **%s** · %s · wanted %s to %s", r.Key(), r.Status.Label(), r.Start.Format(staging.DateLayout), r.End.Format(staging.DateLayout))
		if r.Status == staging.StatusApproved {
			line += " · access until " + r.GrantEnd.Format("2006-01-02 15:04") + " UTC"
		}
		if team {
			line += " · " + inert.Span(firstWords(r.What))
		}
		b.WriteString(line + "\n")
	}
	return Ephemeral(b.String())
}

func firstWords(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(line); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return line
}
