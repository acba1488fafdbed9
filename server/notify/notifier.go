// Package notify is everything the bot says: the triage card (updated in place)
// and its buttons, the report's full text in the card's thread, the DMs to the
// reporter, the scheduled job's reminders and digests, and the staging request
// cards. The use cases hand it what happened (package event, the report, the
// request); the words live here and nowhere else, each sentence in one named
// function. Text a researcher wrote only ever appears in code spans or fenced
// code blocks (package inert).
package notify

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// Notifier posts as the bot.
type Notifier struct {
	client   *pluginapi.Client
	botID    string
	pluginID string
	// siteURL returns the server's public URL, for links in messages.
	siteURL func() string
	dms     dmCache
	names   usernames
	// unsafe says why the bot must not post in a channel now ("" when it may);
	// nil: always. The plugin sets it to the triage channel's safety check:
	// while that channel is public, shared or archived, anyone may read it.
	unsafe func(channelID string) string
}

// ErrChannelUnsafe is returned for a post the bot refused to make in a channel
// that is not safe for report text.
var ErrChannelUnsafe = errors.New("the channel is not safe for reports")

// GuardChannels makes the notifier refuse to post in, or edit posts of, a
// channel for which unsafe gives a reason.
func (n *Notifier) GuardChannels(unsafe func(channelID string) string) { n.unsafe = unsafe }

// guard is the check every post and edit goes through.
func (n *Notifier) guard(channelID string) error {
	if n.unsafe == nil {
		return nil
	}
	if reason := n.unsafe(channelID); reason != "" {
		return errors.Wrap(ErrChannelUnsafe, reason)
	}
	return nil
}

// New returns a notifier posting as botID.
func New(client *pluginapi.Client, botID, pluginID string, siteURL func() string) *Notifier {
	return &Notifier{client: client, botID: botID, pluginID: pluginID, siteURL: siteURL}
}

// username names a user for cards and messages; an unknown user reads as such
// rather than failing the whole post. Names are remembered for a short while
// (usernames): every card shows the reporter and the assignee, and a card is
// rendered at every change.
func (n *Notifier) username(userID string) string {
	if userID == "" {
		return ""
	}
	if name, ok := n.names.get(userID, time.Now()); ok {
		return name
	}
	user, err := n.client.User.Get(userID)
	if err != nil {
		return "unknown user"
	}
	n.names.put(userID, user.Username, time.Now())
	return user.Username
}

// mentionName is the username a mention pings, or "" for an unknown user, who
// is then not mentioned at all.
func (n *Notifier) mentionName(userID string) string {
	user, err := n.client.User.Get(userID)
	if err != nil {
		return ""
	}
	return user.Username
}

// routeURL is the server-relative URL of one of the plugin's routes, for the
// buttons of the bot's cards.
func (n *Notifier) routeURL(path string) string {
	return routes.PluginPath(n.pluginID) + path
}

func (n *Notifier) create(post *model.Post) (string, error) {
	post.UserId = n.botID
	if err := n.guard(post.ChannelId); err != nil {
		return "", err
	}
	if err := n.client.Post.CreatePost(post); err != nil {
		return "", errors.Wrap(err, "create post")
	}
	return post.Id, nil
}

// dm posts to userID in their direct channel with the bot. The channel is
// looked up once per user: a DM channel's id never changes, and the lookup is
// one more round trip on the way of every receipt.
func (n *Notifier) dm(userID string, post *model.Post) (string, error) {
	channelID, cached := n.dms.channelOf(userID)
	if !cached {
		channel, err := n.client.Channel.GetDirect(n.botID, userID)
		if err != nil {
			return "", errors.Wrap(err, "send direct message: find the channel")
		}
		channelID = channel.Id
		n.dms.remember(userID, channelID)
	}
	post.ChannelId = channelID
	id, err := n.create(post)
	if err != nil && cached {
		// The channel may be gone (an admin can delete it): look it up again.
		n.dms.forget(userID)
		post.Id = ""
		return n.dm(userID, post)
	}
	return id, errors.Wrap(err, "send direct message")
}
