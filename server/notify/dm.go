package notify

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// NextSteps tells a researcher what happens after filing, with the team's
// first-response target (none when zero).
func NextSteps(firstResponse sla.Target) string {
	msg := "the security team reviews every report and will reply in this thread"
	if !firstResponse.IsZero() {
		msg += " — it aims to respond within " + firstResponse.Label()
	}
	return msg + ". You will get a message here at every step: when someone takes your report, asks a question, confirms it, ships a fix and discloses it."
}

// ReceiptText acknowledges a new report, says what happens next and how to
// follow it.
func ReceiptText(r *report.Report, firstResponse sla.Target) string {
	return fmt.Sprintf("#### Thank you: we received your report %s\n"+
		"**Title:** %s\n**Status:** %s · **Severity:** %s\n\n"+
		"What happens next: %s\n\n"+
		"- Reply **in this thread** to add information or answer the team's questions; the security team reads every reply.\n"+
		"- Check where it stands any time with `/security status %s`, or list all your reports with `/security mine`.\n"+
		"- Please keep the details private until the fix is released and disclosed.",
		r.Key(), inert.Span(r.Title), r.Status.Label(), r.Severity().String(), NextSteps(firstResponse), r.Key())
}

// SendReceipt sends ReceiptText in a DM to the reporter. The DM starts the
// report's thread: every later update to the reporter is a reply to it, and
// the reporter answers the team by replying in it.
func (n *Notifier) SendReceipt(r *report.Report, firstResponse sla.Target) (string, error) {
	post := &model.Post{Message: ReceiptText(r, firstResponse)}
	// Its notification is sent before the report is linked to this post; the prop
	// lets the notification hooks name the report anyway.
	post.AddProp(ReportIDProp, r.ID)
	id, err := n.dm(r.ReporterID, post)
	if err != nil {
		return "", err
	}
	return id, nil
}

// replyInThread posts a message to the reporter in the report's DM thread.
func (n *Notifier) replyInThread(r *report.Report, message string) (string, error) {
	return n.dm(r.ReporterID, &model.Post{RootId: r.ThreadRootID, Message: message})
}
