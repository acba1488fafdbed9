package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// requestStaging has the researcher ask for a private staging server through the
// form, and shows the request card the team decides on.
func requestStaging(ctx context.Context, d *demo) error {
	researcher := d.user("researcher")
	fmt.Fprintf(d.out, "researcher types in ~town-square: /security staging\n")
	dialog, err := researcher.CommandDialog(ctx, d.info.TeamID, d.info.TownSquareID, "/security staging", wait)
	if err != nil {
		return err
	}
	today := time.Now().UTC()
	form := map[string]any{
		"what":  "Fuzz the websocket hub with 10,000 concurrent connections.",
		"why":   "It may exhaust the community test server's memory and disconnect everyone.",
		"start": today.Format("2006-01-02"),
		"end":   today.Add(5 * 24 * time.Hour).Format("2006-01-02"),
		"rules": true,
	}
	fmt.Fprintf(d.out, "researcher fills in %q: %s, from %s to %s, and accepts the rules\n", dialog.Dialog.Title, form["what"], form["start"], form["end"])
	resp, err := researcher.SubmitDialog(ctx, dialog, d.info.TeamID, d.info.TownSquareID, form)
	if err != nil {
		return err
	}
	if resp.Error != "" || len(resp.Errors) > 0 {
		if resp.Error != "" {
			// A second demo run may hit the open-request limit: show why.
			fmt.Fprintf(d.out, "the plugin answers: %s\n", resp.Error)
			return nil
		}
		return fmt.Errorf("the staging request was refused: %v", resp.Errors)
	}
	var card *model.Post
	err = harness.Eventually(ctx, wait, 200*time.Millisecond, "the staging request card", func(ctx context.Context) (bool, error) {
		posts, err := d.user("triager").ChannelPosts(ctx, d.info.TriageChannelID, 20)
		if err != nil {
			return false, err
		}
		for _, p := range posts {
			if p.RootId == "" && strings.HasPrefix(p.Message, "#### Staging server request") {
				card = p
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "~%s as triager sees it:\n", d.info.TriageChannel)
	d.printPost(ctx, card)
	_, err = d.command(ctx, "researcher", "/security staging list")
	return err
}
