package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// A step is one thing a demo user does, printed as it happens. Later features add
// their steps here, in the order a real report lives: the researcher files it, a
// triager takes it and asks a question, the researcher answers, ...
type step struct {
	title string
	run   func(ctx context.Context, d *demo) error
}

var steps = []step{
	{"The researcher asks what /security can do", func(ctx context.Context, d *demo) error {
		_, err := d.command(ctx, "researcher", "/security help")
		return err
	}},
	{"The triager asks the same (the security team may see more commands)", func(ctx context.Context, d *demo) error {
		_, err := d.command(ctx, "triager", "/security help")
		return err
	}},
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
