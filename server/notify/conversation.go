package notify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// RelayToTeam posts a reporter's reply (or an edit of one) in the card thread.
// The words stay inert: they are in a fenced block, split over several posts if
// needed, and the files are copies owned by the bot.
func (n *Notifier) RelayToTeam(r *report.Report, p event.Post) error {
	if r.CardPostID == "" {
		return errors.Errorf("%s has no card to relay to", r.Key())
	}
	heading := fmt.Sprintf("**Reply from the reporter** on %s", r.Key())
	if p.Edited {
		heading = fmt.Sprintf("**The reporter edited a reply** on %s — edited:", r.Key())
	}
	heading += fmt.Sprintf(" · *Status: %s*", r.Status.Label())

	var fileIDs []string
	if len(p.FileIDs) > 0 {
		copied, err := n.client.File.CopyInfos(p.FileIDs, n.botID)
		if err != nil {
			return errors.Wrap(err, "copy the reply's files")
		}
		fileIDs = copied
	}
	text := inert.Visible(strings.ReplaceAll(p.Message, "\r\n", "\n"))
	if report.IsArmoredMessage(text) {
		// One block, never split, to copy and decrypt whole.
		armored := armoredPost(heading+" · "+encryptedLabel, text, fmt.Sprintf("%s-reply-%s.asc", r.Key(), p.ID))
		post := &model.Post{ChannelId: r.TriageChannelID, RootId: r.CardPostID, Message: armored.Message, FileIds: fileIDs}
		post.AddProp("from_reporter", true)
		_, err := n.createWithFile(post, armored.file)
		return err
	}
	chunks := splitRunes(text, maxChunkRunes)
	if strings.TrimSpace(text) == "" {
		chunks = []string{"(no text)"}
	}
	for i, chunk := range chunks {
		msg := heading
		if len(chunks) > 1 {
			msg += fmt.Sprintf(" (part %d of %d)", i+1, len(chunks))
		}
		post := &model.Post{ChannelId: r.TriageChannelID, RootId: r.CardPostID, Message: msg + "\n" + inert.Block(chunk)}
		if i == 0 {
			post.FileIds = fileIDs
		}
		post.AddProp("from_reporter", true)
		if _, err := n.create(post); err != nil {
			return err
		}
	}
	return nil
}

// ThreadPosts lists the replies under rootID, oldest first.
func (n *Notifier) ThreadPosts(rootID string) ([]event.Post, error) {
	list, err := n.client.Post.GetPostThread(rootID)
	if err != nil {
		return nil, errors.Wrap(err, "read thread")
	}
	var out []event.Post
	for _, p := range list.Posts {
		if p.Id == rootID || p.DeleteAt != 0 || p.UserId == n.botID || p.Type != "" {
			continue
		}
		out = append(out, FromModel(p))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreateAt < out[j].CreateAt })
	return out, nil
}

// FromModel converts a Mattermost post.
func FromModel(p *model.Post) event.Post {
	return event.Post{
		ID: p.Id, UserID: p.UserId, ChannelID: p.ChannelId, RootID: p.RootId,
		Message: p.Message, FileIDs: p.FileIds, CreateAt: p.CreateAt,
	}
}

// The bot's answers to a message sent to it outside any report's thread.

// RelayedOutsideThreadText tells a reporter their message went to their one
// open report, r.
func RelayedOutsideThreadText(r *report.Report) string {
	return "I added this to your open report **" + r.Key() + "**; the security team sees it on the report. Next time, please reply in the report's thread."
}

// HowToReplyText tells a reporter how to add to a report, listing their open
// reports when they have several.
func HowToReplyText(open []*report.Report) string {
	var b strings.Builder
	b.WriteString("To add something to a report, reply **in the report's thread** (under the receipt I sent when you filed it), or use `/security reply SEC-n <text>`.")
	if len(open) > 1 {
		b.WriteString(" Your open reports:")
		for _, r := range open {
			b.WriteString(" **" + r.Key() + "** (" + r.Status.Label() + ")")
		}
		b.WriteString(".")
	}
	b.WriteString(" To file a new report, use `/security report`.")
	return b.String()
}

// AnswerRelayedOutsideThread posts RelayedOutsideThreadText in the DM channel,
// as a reply to the reporter's message rootID.
func (n *Notifier) AnswerRelayedOutsideThread(channelID, rootID string, r *report.Report) error {
	return n.answerInDM(channelID, rootID, RelayedOutsideThreadText(r))
}

// AnswerHowToReply posts HowToReplyText in the DM channel, as a reply to the
// reporter's message rootID.
func (n *Notifier) AnswerHowToReply(channelID, rootID string, open []*report.Report) error {
	return n.answerInDM(channelID, rootID, HowToReplyText(open))
}

// AnswerReply answers the reporter's post p, in its thread (p itself when it
// has none), with message.
func (n *Notifier) AnswerReply(_ *report.Report, p event.Post, message string) error {
	root := p.RootID
	if root == "" {
		root = p.ID
	}
	return n.answerInDM(p.ChannelID, root, message)
}

func (n *Notifier) answerInDM(channelID, rootID, message string) error {
	_, err := n.create(&model.Post{ChannelId: channelID, RootId: rootID, Message: message})
	return err
}
