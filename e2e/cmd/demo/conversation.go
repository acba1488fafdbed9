package main

import (
	"context"
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// demoAnswer is the researcher's answer to the triager's question. The mention
// shows that the plugin relays it as inert text.
const demoAnswer = "Only in the web app: the API stores the header as plain text, and the mobile app escapes it. @channel see the payload in my first message."

// replyInThread has the researcher answer in the report's DM thread, as a reply
// to the bot's receipt, and shows what reaches the card: a copy of the answer in
// its thread, and the report back in triage.
func replyInThread(ctx context.Context, d *demo) error {
	researcher, triager := d.user("researcher"), d.user("triager")
	receipt, err := harness.FindReceipt(ctx, researcher, d.bot.Id, d.report.key, wait)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "researcher replies in the thread of %s in their direct messages with @%s:\n%s", d.report.key, harness.BotUsername, indent(demoAnswer))
	if _, err := researcher.PostToBot(ctx, d.bot.Id, receipt.Id, demoAnswer); err != nil {
		return err
	}
	heading := harness.RelayHeading(d.report.key)
	if _, err := harness.WaitThread(ctx, triager, d.report.card.Id, wait, "the answer on the card", func(ps []*model.Post) bool {
		return len(harness.WithPrefix(ps, heading)) > 0
	}); err != nil {
		return err
	}
	if _, err := harness.WaitCardStatus(ctx, triager, d.report.card.Id, "Triaging", wait); err != nil {
		return err
	}
	if err := d.showCard(ctx); err != nil {
		return err
	}
	return d.showReportThread(ctx)
}
