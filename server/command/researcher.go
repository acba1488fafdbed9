package command

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

// dialogTTL bounds how long an opened form stays valid: long enough to write a
// careful report.
const dialogTTL = 6 * time.Hour

func (h *handlers) report(req *Request) *model.CommandResponse {
	profile, err := h.HallOfFame.CreditProfile(req.UserID)
	if err != nil {
		profile = nil // a form without the prefill is better than no form
	}
	state := h.Signer.Sign(signing.Claims{UserID: req.UserID, Kind: dialog.KindReport}, dialogTTL)
	d := dialog.ReportDialog(h.Products(), profile, h.PluginURL()+routes.Policy, state)
	if err := h.OpenDialog(req.TriggerID, h.PluginPath+routes.ReportDialog, d); err != nil {
		return Ephemeral("The report form could not be opened. Please try again.")
	}
	return &model.CommandResponse{}
}

func (h *handlers) mine(req *Request) *model.CommandResponse {
	reports, err := h.Intake.Mine(req.UserID)
	if err != nil {
		return Ephemeral(errorText(err))
	}
	if len(reports) == 0 {
		return Ephemeral("You have not filed any reports. Use `/security report` to file one.")
	}
	var b strings.Builder
	b.WriteString("#### Your security reports\n")
	for _, r := range reports {
		fmt.Fprintf(&b, "- **%s** · %s · last update %s · %s\n", r.Key(), r.Status.Label(), day(r.Updated), inert.Span(r.Title))
	}
	b.WriteString("\nSee one in detail with `/security status SEC-n`.")
	return Ephemeral(b.String())
}

func (h *handlers) status(req *Request) *model.CommandResponse {
	id, ok := parseIDArg(req)
	if !ok {
		return Ephemeral("Usage: `/security status SEC-n`, with the id from your receipt (see `/security mine`).")
	}
	r, err := h.Intake.ReportFor(req.UserID, id)
	if err != nil {
		return Ephemeral(errorText(err))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n", r.Key(), r.Status.Label())
	fmt.Fprintf(&b, "**Title:** %s\n**Severity:** %s · **Filed:** %s · **Last update:** %s\n", inert.Span(r.Title), r.Severity().String(), day(r.Created), day(r.Updated))
	if len(r.FixedIn) > 0 {
		fmt.Fprintf(&b, "**Fixed in:** %s\n", report.FormatFixedVersions(r.FixedIn))
	}
	b.WriteString("\n**History**\n")
	view := service.ReporterView(r)
	if view.Earlier != "" {
		b.WriteString("- " + view.Earlier + "\n")
	}
	for _, e := range view.Timeline {
		fmt.Fprintf(&b, "- %s · %s\n", day(e.At), e.Summary)
	}
	b.WriteString("\nReply in the report's thread in your direct messages with the bot to add information.")
	return Ephemeral(b.String())
}

func (h *handlers) credit(req *Request) *model.CommandResponse {
	if isReportIDArg(req) {
		return h.creditReport(req) // `/security credit SEC-n on|off`
	}
	if len(req.Args) > 0 && strings.EqualFold(req.Args[0], "edit") {
		profile, err := h.HallOfFame.CreditProfile(req.UserID)
		if err != nil {
			return Ephemeral(errorText(err))
		}
		state := h.Signer.Sign(signing.Claims{UserID: req.UserID, Kind: dialog.KindCredit}, dialogTTL)
		if err := h.OpenDialog(req.TriggerID, h.PluginPath+routes.CreditDialog, dialog.CreditDialog(profile, state)); err != nil {
			return Ephemeral("The form could not be opened. Please try again.")
		}
		return &model.CommandResponse{}
	}
	profile, err := h.HallOfFame.CreditProfile(req.UserID)
	if err != nil {
		return Ephemeral(errorText(err))
	}
	if profile.DisplayName == "" {
		return Ephemeral("You have no credit profile yet. When you file a report and ask for credit, the name you give is kept here. Set it now with `/security credit edit`.")
	}
	return Ephemeral(fmt.Sprintf("You are credited as %s on reports where you asked for credit. Change it with `/security credit edit`.", inert.Span(profile.Credit())))
}

func (h *handlers) policy(*Request) *model.CommandResponse {
	text := strings.TrimSpace(h.Public().Policy)
	if text == "" {
		return Ephemeral("No policy text is configured. Report privately with `/security report`.")
	}
	return Ephemeral(text + "\n\n[Open the policy as a page](" + h.PluginURL() + routes.Policy + ")")
}

func (h *handlers) pgp(*Request) *model.CommandResponse {
	key := h.Public().PGPKey
	if key == nil {
		return Ephemeral("The security team has not published a PGP key here yet. You can still report privately: `/security report` is seen only by the security team. If you need to encrypt, ask for a key in your report's thread once it is filed.")
	}
	return Ephemeral(fmt.Sprintf("#### Security team PGP key\n**Fingerprint:** `%s`\nCheck the fingerprint, encrypt your report to this key, and paste the armored message into the report form's description.\n%s",
		key.Fingerprint, inert.Block(key.Armored)))
}

// parseIDArg reads the SEC-n argument.
func parseIDArg(req *Request) (int, bool) {
	if len(req.Args) == 0 {
		return 0, false
	}
	id, err := report.ParseID(req.Args[0])
	return id, err == nil
}

// errorText is the sentence a person sees for an error.
func errorText(err error) string { return service.Message(err) }

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
