package notify

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// ActionWhereNow is the one button of a card that moved: pressed, it answers
// with the link to the report's card in the triage channel. (The server takes
// only letters and digits in an action id.)
const ActionWhereNow = "wherenow"

// Permalink is the link to a post that opens it in whichever team it is.
func (n *Notifier) Permalink(postID string) string {
	return n.siteURL() + "/_redirect/pl/" + postID
}

// CardMovedText is what a moved card says, and what its button answers.
func CardMovedText(key, link string) string {
	return fmt.Sprintf("The card of %s is now in the triage channel: [open it](%s). This card is no longer updated.", key, link)
}

// MarkCardMoved rewrites the card cardID that r had in channelID, before it
// moved to r's triage channel: it says where the card went, shows nothing of
// the report (that channel's members may no longer be the team) and keeps one
// button, which answers with the link. It is no card any more: it loses the
// report id prop that cards carry.
func (n *Notifier) MarkCardMoved(channelID, cardID string, r *report.Report) error {
	attachment := &model.MessageAttachment{
		Fallback: r.Key() + " moved",
		Color:    "#8b8b8b",
		Title:    r.Key() + " · moved to the triage channel",
		Text:     CardMovedText(r.Key(), n.Permalink(r.CardPostID)),
		Actions: postActions([]Button{{ID: ActionWhereNow, Name: "Where is it now?", Style: "default",
			Context: map[string]any{"report_id": r.ID, "action": ActionWhereNow}}}, n.routeURL(routes.CardAction)),
	}
	post := &model.Post{Id: cardID, ChannelId: channelID, UserId: n.botID, Message: fmt.Sprintf("#### Security report %s moved", r.Key())}
	post.AddProp(model.PostPropsAttachments, []*model.MessageAttachment{attachment})
	if err := n.client.Post.UpdatePost(post); err != nil {
		return errors.Wrapf(err, "mark the old card of %s moved", r.Key())
	}
	return nil
}

// DeleteCard removes a card, with its thread: one posted twice when two
// servers moved or re-posted the same report's card at once.
func (n *Notifier) DeleteCard(postID string) error {
	return errors.Wrap(n.client.Post.DeletePost(postID), "delete a card")
}
