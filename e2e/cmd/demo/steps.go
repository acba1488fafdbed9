package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// A step is one thing a demo user does, printed as it happens. Later features add
// their steps here, in the order a real report lives: the researcher files it, a
// triager takes it and asks a question, the researcher answers, ...
type step struct {
	title string
	run   func(ctx context.Context, d *demo) error
}

// wait bounds each asynchronous step (a dialog arriving, a card updating).
const wait = 15 * time.Second

var steps = []step{
	{"The researcher asks what /security can do", func(ctx context.Context, d *demo) error {
		_, err := d.command(ctx, "researcher", "/security help")
		return err
	}},
	{"The triager asks the same (the security team may see more commands)", func(ctx context.Context, d *demo) error {
		_, err := d.command(ctx, "triager", "/security help")
		return err
	}},
	{"The researcher files a report through the form", fileDemoReport},
	{"The triager sees the card in the private triage channel", func(ctx context.Context, d *demo) error {
		return d.showCard(ctx)
	}},
	{"The researcher reads the bot's receipt", func(ctx context.Context, d *demo) error {
		if err := d.showReportThread(ctx); err != nil {
			return err
		}
		_, err := d.command(ctx, "researcher", "/security mine")
		return err
	}},
	{"The triager presses Take", func(ctx context.Context, d *demo) error {
		fmt.Fprintf(d.out, "triager presses [Take] on the card of %s\n", d.report.key)
		if _, err := d.user("triager").PressButton(ctx, d.report.card.Id, "take"); err != nil {
			return err
		}
		if _, err := harness.WaitCardStatus(ctx, d.user("triager"), d.report.card.Id, "Triaging", wait); err != nil {
			return err
		}
		return d.showCard(ctx)
	}},
	{"The triager presses Ask reporter and sends a question", func(ctx context.Context, d *demo) error {
		triager := d.user("triager")
		fmt.Fprintf(d.out, "triager presses [Ask reporter]; the server opens a form for them\n")
		dialog, err := triager.PressButtonForDialog(ctx, d.report.card, "ask", wait)
		if err != nil {
			return err
		}
		question := "Thanks! Does this also happen with the header set through the API, or only in the web app?"
		fmt.Fprintf(d.out, "triager fills in %q and submits:\n%s", dialog.Dialog.Title, indent(question))
		resp, err := triager.SubmitDialog(ctx, dialog, d.info.TeamID, d.report.card.ChannelId, map[string]any{"note": question})
		if err != nil {
			return err
		}
		if resp.Error != "" || len(resp.Errors) > 0 {
			return fmt.Errorf("the question was refused: %q %v", resp.Error, resp.Errors)
		}
		if _, err := harness.WaitCardStatus(ctx, triager, d.report.card.Id, "Needs information", wait); err != nil {
			return err
		}
		if err := d.showCard(ctx); err != nil {
			return err
		}
		return d.showReportThread(ctx)
	}},
	{"The researcher answers in the report's thread; the team reads it on the card", replyInThread},
	{"The researcher asks for a private staging server; the team gets a request to decide on", requestStaging},
}

// demoReport is what the researcher types into the form.
var demoReport = map[string]any{
	"title":             "Stored XSS in the channel header",
	"product":           "Webapp",
	"cvss":              "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:L/A:N",
	"estimate":          "",
	"affected_versions": "11.4.0 and earlier",
	"tested_on":         "own_installation",
	"description":       "The channel header renders a crafted link as HTML. @channel <script>alert(1)</script>",
	"steps":             "1. Create a channel.\n2. Set its header to the payload below.\n3. Any member who opens the channel runs the script.",
	"impact":            "Session takeover of every member who opens the channel.",
	"credit":            true,
	"display_name":      "Ada Lovelace",
	"affiliation":       "from Example Labs",
	"policy":            true,
}

func fileDemoReport(ctx context.Context, d *demo) error {
	researcher := d.user("researcher")
	fmt.Fprintf(d.out, "researcher types in ~town-square: %s\n", harness.ReportCommand)
	fmt.Fprintf(d.out, "the server opens the report form; researcher fills in and submits:\n")
	names := make([]string, 0, len(demoReport))
	for name := range demoReport {
		names = append(names, name)
	}
	sort.Strings(names)
	var form strings.Builder
	for _, name := range names {
		fmt.Fprintf(&form, "%s: %v\n", name, demoReport[name])
	}
	fmt.Fprint(d.out, indent(form.String()))

	mark := researcher.Events.Mark()
	key, err := harness.FileReport(ctx, researcher, d.info.TeamID, d.info.TownSquareID, demoReport, wait)
	if err != nil {
		return err
	}
	if confirmation, err := researcher.Events.WaitEphemeral(ctx, mark, wait, d.info.TownSquareID); err == nil {
		fmt.Fprintf(d.out, "researcher sees (only they do):\n%s", indent(confirmation.Message))
	}
	card, err := harness.FindCard(ctx, d.user("triager"), d.info.TriageChannelID, key, wait)
	if err != nil {
		return err
	}
	d.report.key, d.report.card = key, card
	return nil
}

// showCard prints the report's card as the triager sees it now, with its thread.
func (d *demo) showCard(ctx context.Context) error {
	triager := d.user("triager")
	post, _, err := triager.Client.GetPost(ctx, d.report.card.Id, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "~%s as triager sees it: the card of %s\n", d.info.TriageChannel, d.report.key)
	d.printPost(ctx, post)
	replies, err := harness.Thread(ctx, triager, post.Id)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "  its thread (%d replies", len(replies))
	var fresh []*model.Post
	for _, p := range replies {
		if !d.shown[p.Id] {
			fresh = append(fresh, p)
			d.shown[p.Id] = true
		}
	}
	if earlier := len(replies) - len(fresh); earlier > 0 {
		fmt.Fprintf(d.out, "; %d shown above", earlier)
	}
	fmt.Fprintf(d.out, "):\n")
	for _, p := range fresh {
		d.printPost(ctx, p)
	}
	return nil
}

// showReportThread prints the researcher's receipt DM and the bot's updates in
// its thread.
func (d *demo) showReportThread(ctx context.Context) error {
	researcher := d.user("researcher")
	receipt, err := harness.FindReceipt(ctx, researcher, d.bot.Id, d.report.key, wait)
	if err != nil {
		return err
	}
	replies, err := harness.Thread(ctx, researcher, receipt.Id)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "researcher's direct messages with @%s, the thread of %s:\n", harness.BotUsername, d.report.key)
	for _, p := range append([]*model.Post{receipt}, replies...) {
		d.printPost(ctx, p)
	}
	return nil
}

// A view prints what one user sees once the steps are done: the triage channel
// and its cards, the bot's direct messages.
type view struct {
	title string
	show  func(ctx context.Context, d *demo) error
}

var views = []view{
	{"researcher", func(ctx context.Context, d *demo) error {
		if err := d.showBotDM(ctx, "researcher"); err != nil {
			return err
		}
		// The triage channel is private: the researcher cannot read it.
		_, resp, err := d.user("researcher").Client.GetPostsForChannel(ctx, d.info.TriageChannelID, 0, 1, "", false, false)
		switch code := harness.StatusCode(resp, err); {
		case err == nil:
			return fmt.Errorf("the researcher can read the private triage channel ~%s", d.info.TriageChannel)
		case code == http.StatusForbidden:
			fmt.Fprintf(d.out, "~%s: not visible (private channel, HTTP %d)\n", d.info.TriageChannel, code)
			return nil
		default:
			return err
		}
	}},
	{"triager", func(ctx context.Context, d *demo) error {
		if err := d.showPosts(ctx, "triager", d.info.TriageChannelID, "~"+d.info.TriageChannel+" (private triage channel)", 10); err != nil {
			return err
		}
		return d.showBotDM(ctx, "triager")
	}},
}

// showBotDM prints a user's direct messages with the plugin's bot.
func (d *demo) showBotDM(ctx context.Context, username string) error {
	ch, err := d.user(username).DirectChannel(ctx, d.bot.Id)
	if err != nil {
		return err
	}
	return d.showPosts(ctx, username, ch.Id, "Direct messages with @"+harness.BotUsername, 10)
}
