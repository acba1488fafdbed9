package notify

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// SendReceipt acknowledges a new report in a DM to the reporter. The DM starts
// the report's thread: every later update to the reporter is a reply to it, and
// the reporter answers the team by replying in it.
func (n *Notifier) SendReceipt(r *report.Report, nextSteps string) (string, error) {
	msg := fmt.Sprintf("#### Thank you: we received your report %s\n"+
		"**Title:** %s\n**Status:** %s · **Severity:** %s\n\n"+
		"What happens next: %s\n\n"+
		"- Reply **in this thread** to add information or answer the team's questions; the security team reads every reply.\n"+
		"- Check where it stands any time with `/security status %s`, or list all your reports with `/security mine`.\n"+
		"- Please keep the details private until the fix is released and disclosed.",
		r.Key(), inert.Span(r.Title), r.Status.Label(), r.Severity().String(), nextSteps, r.Key())
	post := &model.Post{Message: msg}
	// Its notification is sent before the report is linked to this post; the prop
	// lets the notification hooks name the report anyway.
	post.AddProp(ReportIDProp, r.ID)
	id, err := n.dm(r.ReporterID, post)
	if err != nil {
		return "", err
	}
	return id, nil
}

// ReplyInThread posts a message to the reporter in the report's DM thread.
func (n *Notifier) ReplyInThread(r *report.Report, message string) (string, error) {
	return n.dm(r.ReporterID, &model.Post{RootId: r.ThreadRootID, Message: message})
}
