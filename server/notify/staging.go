package notify

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// stagingCard renders a staging request's card. What the researcher wrote is
// inert; the access details never appear on it.
func (n *Notifier) stagingCard(r *staging.Request, buttons []Button, actionURL string) *model.Post {
	fields := []*model.MessageAttachmentField{
		{Title: "Status", Value: r.Status.Label(), Short: true},
		{Title: "Researcher", Value: inert.Span("@" + n.username(r.RequesterID)), Short: true},
		{Title: "Wanted window", Value: fmt.Sprintf("%s to %s (UTC days)", r.Start.Format(staging.DateLayout), r.End.Format(staging.DateLayout)), Short: false},
		{Title: "What will be tested", Value: inert.Block(r.What), Short: false},
		{Title: "Why it may be disruptive", Value: inert.Block(r.Why), Short: false},
	}
	switch r.Status {
	case staging.StatusApproved, staging.StatusExpired:
		fields = append(fields, &model.MessageAttachmentField{Title: "Granted until", Value: r.GrantEnd.UTC().Format("2006-01-02 15:04 UTC"), Short: true})
	case staging.StatusDenied:
		fields = append(fields, &model.MessageAttachmentField{Title: "Reason", Value: inert.Block(r.Reason), Short: false})
	}
	var actions []*model.PostAction
	for _, b := range buttons {
		actions = append(actions, &model.PostAction{Id: b.ID, Type: model.PostActionTypeButton, Name: b.Name, Style: b.Style,
			Integration: &model.PostActionIntegration{URL: actionURL, Context: b.Context}})
	}
	post := &model.Post{ChannelId: r.ChannelID, Message: "#### Staging server request " + r.Key()}
	post.AddProp(model.PostPropsAttachments, []*model.MessageAttachment{{
		Fallback: r.Key() + ": " + r.Status.Label(),
		Title:    r.Key() + " · " + r.Status.Label(),
		Color:    map[staging.Status]string{staging.StatusPending: "#ffbc1f", staging.StatusApproved: "#06d6a0", staging.StatusDenied: "#8b8b8b", staging.StatusExpired: "#8b8b8b"}[r.Status],
		Fields:   fields,
		Actions:  actions,
	}})
	return post
}

// PostStagingCard posts a new request's card in its channel.
func (n *Notifier) PostStagingCard(r *staging.Request, buttons []Button, actionURL string) (string, error) {
	id, err := n.create(n.stagingCard(r, buttons, actionURL))
	return id, errors.Wrapf(err, "post the card of %s", r.Key())
}

// UpdateStagingCard rewrites a request's card in place.
func (n *Notifier) UpdateStagingCard(r *staging.Request, buttons []Button, actionURL string) error {
	post := n.stagingCard(r, buttons, actionURL)
	post.Id = r.CardPostID
	return errors.Wrapf(n.client.Post.UpdatePost(post), "update the card of %s", r.Key())
}

// NoteOnStagingCard posts a line in the request card's thread.
func (n *Notifier) NoteOnStagingCard(r *staging.Request, message string) error {
	_, err := n.create(&model.Post{ChannelId: r.ChannelID, RootId: r.CardPostID, Message: message})
	return err
}

// DMRequester sends the researcher a direct message about their request.
func (n *Notifier) DMRequester(r *staging.Request, message string) (string, error) {
	return n.dm(r.RequesterID, &model.Post{Message: message})
}

// DeletePost removes one of the bot's posts (the DM that carried access details).
func (n *Notifier) DeletePost(postID string) error {
	return n.client.Post.DeletePost(postID)
}
