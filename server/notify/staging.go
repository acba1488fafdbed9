package notify

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// grantLayout writes the end of a granted window, to the minute; grants are
// stored in UTC.
const grantLayout = "2006-01-02 15:04"

// stagingCard renders a staging request's card, with Approve and Deny while it
// is pending. What the researcher wrote is inert; the access details never
// appear on it.
func (n *Notifier) stagingCard(r *staging.Request) *model.Post {
	fields := []*model.MessageAttachmentField{
		{Title: "Status", Value: r.Status.Label(), Short: true},
		{Title: "Researcher", Value: inert.Span("@" + n.username(r.RequesterID)), Short: true},
		{Title: "Wanted window", Value: fmt.Sprintf("%s to %s (UTC days)", r.Start.Format(staging.DateLayout), r.End.Format(staging.DateLayout)), Short: false},
		{Title: "What will be tested", Value: inert.Block(r.What), Short: false},
		{Title: "Why it may be disruptive", Value: inert.Block(r.Why), Short: false},
	}
	switch r.Status {
	case staging.StatusApproved, staging.StatusExpired:
		fields = append(fields, &model.MessageAttachmentField{Title: "Granted until", Value: utcMinute(r.GrantEnd), Short: true})
	case staging.StatusDenied:
		fields = append(fields, &model.MessageAttachmentField{Title: "Reason", Value: inert.Block(r.Reason), Short: false})
	}
	post := &model.Post{ChannelId: r.ChannelID, Message: "#### Staging server request " + r.Key()}
	post.AddProp(model.PostPropsAttachments, []*model.MessageAttachment{{
		Fallback: r.Key() + ": " + r.Status.Label(),
		Title:    r.Key() + " · " + r.Status.Label(),
		Color:    map[staging.Status]string{staging.StatusPending: "#ffbc1f", staging.StatusApproved: "#06d6a0", staging.StatusDenied: "#8b8b8b", staging.StatusExpired: "#8b8b8b"}[r.Status],
		Fields:   fields,
		Actions:  postActions(StagingButtons(r), n.routeURL(routes.StagingAction)),
	}})
	return post
}

// PostStagingCard posts a new request's card in its channel.
func (n *Notifier) PostStagingCard(r *staging.Request) (string, error) {
	id, err := n.create(n.stagingCard(r))
	return id, errors.Wrapf(err, "post the card of %s", r.Key())
}

// UpdateStagingCard rewrites a request's card in place.
func (n *Notifier) UpdateStagingCard(r *staging.Request) error {
	post := n.stagingCard(r)
	post.Id = r.CardPostID
	if err := n.guard(post.ChannelId); err != nil {
		return errors.Wrapf(err, "update the card of %s", r.Key())
	}
	return errors.Wrapf(n.client.Post.UpdatePost(post), "update the card of %s", r.Key())
}

// StagingAccessText gives the researcher an approved window and its access
// details, inert, with the rules of the window.
func StagingAccessText(r *staging.Request, details staging.Details) string {
	return fmt.Sprintf("#### Your staging server request %s was approved\n"+
		"**Window:** from %s until %s (UTC). Access ends then, and this message is deleted.\n"+
		"**URL:** %s\n**Access:**\n%s\n"+
		"Test only what you described, do not take data away, and stop at once if the security team asks.",
		r.Key(), r.GrantStart.Format(staging.DateLayout), r.GrantEnd.Format(grantLayout), inert.Span(details.URL), inert.Block(details.Credentials))
}

// SendStagingAccess sends StagingAccessText to the researcher and returns the
// post id, so the message can be deleted when the window ends.
func (n *Notifier) SendStagingAccess(r *staging.Request, details staging.Details) (string, error) {
	return n.dmRequester(r, StagingAccessText(r, details))
}

// StagingApprovedNote tells the team, under the card, that the researcher got
// the access details; the note never carries them.
func StagingApprovedNote(r *staging.Request) string {
	return fmt.Sprintf("Approved until %s UTC; the researcher received the access details by DM.", r.GrantEnd.Format(grantLayout))
}

// NoteStagingApproved posts StagingApprovedNote in the card's thread.
func (n *Notifier) NoteStagingApproved(r *staging.Request) error {
	return n.noteOnStagingCard(r, StagingApprovedNote(r))
}

// StagingDeniedText tells the researcher their request was denied, and why.
func StagingDeniedText(r *staging.Request) string {
	return fmt.Sprintf("#### Your staging server request %s was denied\nThe security team's reason:\n> %s", r.Key(), r.Reason)
}

// TellStagingDenied sends StagingDeniedText to the researcher.
func (n *Notifier) TellStagingDenied(r *staging.Request) error {
	_, err := n.dmRequester(r, StagingDeniedText(r))
	return err
}

// StagingEndedText tells the researcher their window ended and the message
// with the details is gone.
func StagingEndedText(r *staging.Request) string {
	return fmt.Sprintf("Your staging window for %s has ended, and the message with its access details was deleted. Thank you for testing responsibly.", r.Key())
}

// TellStagingEnded sends StagingEndedText to the researcher.
func (n *Notifier) TellStagingEnded(r *staging.Request) error {
	_, err := n.dmRequester(r, StagingEndedText(r))
	return err
}

// StagingEndedNote tells the team, under the card, what the end of a window
// removed, and what it could not: Mattermost keeps a deleted post in its
// database, so credentials that still work are still readable there.
const StagingEndedNote = "The window ended: the DM that carried the access details was deleted, and the researcher was told. " +
	"A deleted message stays in the server's database, so rotate those credentials now if they still work."

// NoteStagingEnded posts StagingEndedNote in the card's thread.
func (n *Notifier) NoteStagingEnded(r *staging.Request) error {
	return n.noteOnStagingCard(r, StagingEndedNote)
}

// noteOnStagingCard posts a line in the request card's thread.
func (n *Notifier) noteOnStagingCard(r *staging.Request, message string) error {
	_, err := n.create(&model.Post{ChannelId: r.ChannelID, RootId: r.CardPostID, Message: message})
	return err
}

// dmRequester sends the researcher a direct message about their request.
func (n *Notifier) dmRequester(r *staging.Request, message string) (string, error) {
	return n.dm(r.RequesterID, &model.Post{Message: message})
}

// DeletePost removes one of the bot's posts (the DM that carried access details).
func (n *Notifier) DeletePost(postID string) error {
	return n.client.Post.DeletePost(postID)
}
