package notify

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// tagProp marks the posts the scheduled job sends with the key of the claim
// they fulfil, so a job that died before confirming can see that the message
// went out and not send it twice.
const tagProp = "rd_key"

// postInCardThread posts a tagged message in the report's card thread.
func (n *Notifier) postInCardThread(r *report.Report, message, tag string) (string, error) {
	if r.CardPostID == "" {
		return "", errors.Errorf("%s has no card", r.Key())
	}
	post := &model.Post{ChannelId: r.TriageChannelID, RootId: r.CardPostID, Message: message}
	post.AddProp(tagProp, tag)
	return n.create(post)
}

// postInReporterThread posts a tagged message to the reporter in the report's
// DM thread.
func (n *Notifier) postInReporterThread(r *report.Report, message, tag string) (string, error) {
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

// Mention names the owners so that they are notified: "@alice", or
// "@oncall @lead" for the responders. username resolves the assignee's id;
// an unknown assignee ("") is not mentioned.
func Mention(o event.Owners, username func(userID string) string) string {
	if o.Assignee != "" {
		if name := username(o.Assignee); name != "" {
			return "@" + name
		}
		return ""
	}
	names := make([]string, 0, len(o.Responders))
	for _, u := range o.Responders {
		names = append(names, "@"+u)
	}
	return strings.Join(names, " ")
}

// pinging puts the mention of who must act before a message, when anyone is.
func pinging(mention, message string) string {
	if mention == "" {
		return message
	}
	return mention + " " + message
}

// postInChannel posts a message of the bot's own in a channel.
func (n *Notifier) postInChannel(channelID, message string) error {
	_, err := n.create(&model.Post{ChannelId: channelID, Message: message})
	return err
}
