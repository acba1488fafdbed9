package notify

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// A filing cut short by a crash may have posted its card or its receipt
// without linking them to the report; a post id handed to the server is no
// idempotency key, so the replay that finishes the filing looks for them here
// before posting, by the report id prop both carry, among the posts made since
// the filing.

// FindCard returns the bot's card of r in r's triage channel posted since
// since, or "" when there is none.
func (n *Notifier) FindCard(r *report.Report, since time.Time) (string, error) {
	if r.TriageChannelID == "" {
		return "", nil
	}
	return n.findAnnouncement(r.TriageChannelID, r.ID, since)
}

// FindReceipt returns the bot's receipt of r in the reporter's DM with the bot
// posted since since, or "" when there is none.
func (n *Notifier) FindReceipt(r *report.Report, since time.Time) (string, error) {
	channel, err := n.client.Channel.GetDirect(n.botID, r.ReporterID)
	if err != nil {
		return "", errors.Wrap(err, "find the direct message channel")
	}
	return n.findAnnouncement(channel.Id, r.ID, since)
}

// findAnnouncement returns the oldest top-level bot post of channelID about
// report id since since.
func (n *Notifier) findAnnouncement(channelID string, id int, since time.Time) (string, error) {
	list, err := n.client.Post.GetPostsSince(channelID, since.UnixMilli())
	if err != nil {
		return "", errors.Wrap(err, "read recent posts")
	}
	var found *model.Post
	for _, p := range list.Posts {
		if p.UserId != n.botID || p.RootId != "" || p.DeleteAt != 0 || ReportIDOf(p) != id {
			continue
		}
		if found == nil || p.CreateAt < found.CreateAt {
			found = p
		}
	}
	if found == nil {
		return "", nil
	}
	return found.Id, nil
}
