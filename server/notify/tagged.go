package notify

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// tagProp marks the posts the scheduled job sends with the key of the claim
// they fulfil, so a job that died before confirming can see that the message
// went out and not send it twice.
const tagProp = "rd_key"

// PostInCardThread posts a tagged message in the report's card thread.
func (n *Notifier) PostInCardThread(r *report.Report, message, tag string) (string, error) {
	if r.CardPostID == "" {
		return "", errors.Errorf("%s has no card", r.Key())
	}
	post := &model.Post{ChannelId: r.TriageChannelID, RootId: r.CardPostID, Message: message}
	post.AddProp(tagProp, tag)
	return n.create(post)
}

// PostInReporterThread posts a tagged message to the reporter in the report's
// DM thread.
func (n *Notifier) PostInReporterThread(r *report.Report, message, tag string) (string, error) {
	if r.ThreadRootID == "" {
		return "", errors.Errorf("%s has no DM thread", r.Key())
	}
	post := &model.Post{RootId: r.ThreadRootID, Message: message}
	post.AddProp(tagProp, tag)
	return n.dm(r.ReporterID, post)
}

// FindTagged returns the bot's post under rootID tagged with tag, if any.
func (n *Notifier) FindTagged(rootID, tag string) (string, bool) {
	if rootID == "" {
		return "", false
	}
	list, err := n.client.Post.GetPostThread(rootID)
	if err != nil {
		return "", false
	}
	for _, p := range list.Posts {
		if p.UserId == n.botID && p.GetProp(tagProp) == tag {
			return p.Id, true
		}
	}
	return "", false
}

// Mentions names users so that they are notified: "@alice @bob". Unknown ids
// are skipped.
func (n *Notifier) Mentions(userIDs []string) string {
	var names []string
	for _, id := range userIDs {
		if user, err := n.client.User.Get(id); err == nil {
			names = append(names, "@"+user.Username)
		}
	}
	return strings.Join(names, " ")
}

// PostInChannel posts a message of the bot's own in a channel.
func (n *Notifier) PostInChannel(channelID, message string) error {
	_, err := n.create(&model.Post{ChannelId: channelID, Message: message})
	return err
}
