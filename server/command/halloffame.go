package command

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

// maxHallLines keeps the chat listing well within one post (16,383
// characters) even with the longest names and affiliations; the page has the
// rest.
const maxHallLines = 60

const notAdminText = "Only system admins can change the Hall of Fame."

// hallOfFame prints the list. Names are researcher-chosen text, so each sits in
// a code span: no mentions, no links, no Markdown.
func (h *handlers) hallOfFame(req *Request) *model.CommandResponse {
	enabled := h.Public().HallOfFame
	admin := h.HallOfFame.IsSystemAdmin(req.UserID)
	if !enabled && !admin {
		return Ephemeral("The Hall of Fame is not public on this server.")
	}
	view, err := h.HallOfFame.List()
	if err != nil {
		return Ephemeral(errorText(err))
	}
	var b strings.Builder
	b.WriteString("#### Hall of Fame\n")
	if !enabled {
		b.WriteString("_The public page is turned off (" + config.ConsolePath("EnableHallOfFame") + "); only system admins see this list._\n")
	}
	if len(view.Entries) == 0 {
		b.WriteString("No one is listed yet.\n")
	}
	for i, e := range view.Entries {
		if i == maxHallLines {
			fmt.Fprintf(&b, "\n…and %d more on the page.\n", len(view.Entries)-maxHallLines)
			break
		}
		line := fmt.Sprintf("%d. %s", i+1, inert.Span(e.Credit()))
		if c := e.Count(); c != "" {
			line += " " + c
		}
		b.WriteString(line + "\n")
	}
	if enabled {
		fmt.Fprintf(&b, "\nThe public page: %s", h.PluginURL()+routes.HallOfFame)
	}
	return Ephemeral(b.String())
}

// hallImport opens the dialog where a system admin pastes the historical list.
func (h *handlers) hallImport(req *Request) *model.CommandResponse {
	if !h.HallOfFame.IsSystemAdmin(req.UserID) {
		return Ephemeral(notAdminText)
	}
	state := h.Signer.Sign(signing.Claims{UserID: req.UserID, Kind: dialog.KindHallImport}, dialogTTL)
	if err := h.OpenDialog(req.TriggerID, h.PluginPath+routes.HallImportDialog, dialog.HallImportDialog(state)); err != nil {
		return Ephemeral("The import form could not be opened. Please try again.")
	}
	return &model.CommandResponse{}
}

const (
	linkUsage   = "Usage: `/security halloffame link \"<imported name>\" @user`."
	unlinkUsage = "Usage: `/security halloffame unlink \"<imported name>\"` or `/security halloffame unlink @user`."
)

// hallLink merges an imported entry with a user's earned credit.
func (h *handlers) hallLink(req *Request) *model.CommandResponse {
	if !h.HallOfFame.IsSystemAdmin(req.UserID) {
		return Ephemeral(notAdminText)
	}
	name, username := parseNameAndUser(req.Rest)
	if name == "" || username == "" {
		return Ephemeral(linkUsage)
	}
	userID, err := h.UserIDByUsername(username)
	if err != nil {
		return Ephemeral(fmt.Sprintf("No user %s was found.", inert.Span("@"+username)))
	}
	linked, err := h.HallOfFame.Link(req.UserID, name, userID)
	if err != nil {
		return Ephemeral(hallErrorText(err))
	}
	return Ephemeral(fmt.Sprintf("Linked %s to %s: their earned contributions now add to it, under their credit name when they have one.",
		inert.Span(linked), inert.Span("@"+username)))
}

// hallUnlink undoes a link, by imported name or by user.
func (h *handlers) hallUnlink(req *Request) *model.CommandResponse {
	if !h.HallOfFame.IsSystemAdmin(req.UserID) {
		return Ephemeral(notAdminText)
	}
	name, username := parseNameAndUser(req.Rest)
	if name != "" && username != "" || name == "" && username == "" {
		return Ephemeral(unlinkUsage)
	}
	var userID string
	if username != "" {
		id, err := h.UserIDByUsername(username)
		if err != nil {
			return Ephemeral(fmt.Sprintf("No user %s was found.", inert.Span("@"+username)))
		}
		userID = id
	}
	unlinked, err := h.HallOfFame.Unlink(req.UserID, name, userID)
	if err != nil {
		return Ephemeral(hallErrorText(err))
	}
	return Ephemeral(fmt.Sprintf("Unlinked %s: it is listed on its own again.", inert.Span(unlinked)))
}

// parseNameAndUser reads `"Some Name" @user`, `Some Name @user`, `"Some Name"`
// or `@user`: the last word starting with @ is the user, the rest (quotes
// removed) the name.
func parseNameAndUser(rest string) (name, username string) {
	rest = strings.TrimSpace(rest)
	if i := strings.LastIndex(rest, "@"); i >= 0 && (i == 0 || rest[i-1] == ' ' || rest[i-1] == '\t') {
		candidate := strings.TrimSpace(rest[i+1:])
		if candidate != "" && !strings.ContainsAny(candidate, " \t\"“”") {
			username = strings.ToLower(candidate)
			rest = strings.TrimSpace(rest[:i])
		}
	}
	name = strings.TrimSpace(strings.Trim(rest, "\"“”'"))
	return strings.Join(strings.Fields(name), " "), username
}

// creditReport turns public credit on or off for one of the user's reports:
// `/security credit SEC-n on|off`. Someone else's id answers like an unknown one.
func (h *handlers) creditReport(req *Request) *model.CommandResponse {
	const usage = "Usage: `/security credit SEC-n on` or `/security credit SEC-n off`."
	id, ok := parseIDArg(req)
	if !ok || len(req.Args) != 2 {
		return Ephemeral(usage)
	}
	var on bool
	switch strings.ToLower(req.Args[1]) {
	case "on", "yes", "true":
		on = true
	case "off", "no", "false":
	default:
		return Ephemeral(usage)
	}
	r, err := h.HallOfFame.SetReportCredit(req.UserID, id, on)
	if err != nil {
		return Ephemeral(hallErrorText(err))
	}
	switch {
	case !on && r.Status == report.StatusDisclosed:
		return Ephemeral(fmt.Sprintf("You are no longer credited for **%s**; the public Hall of Fame no longer counts it.", r.Key()))
	case !on:
		return Ephemeral(fmt.Sprintf("You will not be credited publicly for **%s**.", r.Key()))
	case r.Status == report.StatusDisclosed:
		return Ephemeral(fmt.Sprintf("You are credited for **%s**; the public Hall of Fame counts it now.", r.Key()))
	default:
		return Ephemeral(fmt.Sprintf("You will be credited publicly for **%s** once its fix is disclosed.", r.Key()))
	}
}

// isReportIDArg says whether the first argument looks like a report id, so
// `/security credit SEC-n …` is told apart from `/security credit edit`.
func isReportIDArg(req *Request) bool {
	if len(req.Args) == 0 {
		return false
	}
	_, err := report.ParseID(req.Args[0])
	return err == nil
}

// hallErrorText is errorText plus the Hall of Fame's own refusals.
func hallErrorText(err error) string {
	var linkErr *halloffame.LinkError
	switch {
	case errors.Is(err, service.ErrNotAdmin):
		return notAdminText
	case errors.As(err, &linkErr):
		return linkErr.Render(inert.Span)
	}
	return errorText(err)
}
