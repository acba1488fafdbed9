package service

import "github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"

// changes does what follows every stored change of a report, whoever made it
// (a triager, or the plugin closing or disclosing on its own): the audit
// record, the card, the public lists, the note in the card thread, and what
// the reporter is told.
type changes struct {
	cards  *cards
	public *publicLists
	notify ChangeNotifier
	audit  Auditor
	// showAssignee lets what the reporter is told name who works on the report.
	showAssignee func() bool
	log          Logger
}

// after runs those steps for e, the change that made r. None of them can undo
// the change, so failures are logged.
func (c *changes) after(actorID string, r *report.Report, e report.Event) {
	if c.audit != nil {
		c.audit.ReportChanged(actorID, r, e)
	}
	r = c.cards.refresh(r)
	c.public.changed(r) // a disclosure joins the public lists
	if err := c.notify.NoteChange(r, e); err != nil {
		c.log.Warn("Could not note a change in the card thread", "report", r.Key(), "error", err.Error())
	}
	if err := c.notify.TellReporter(r, e, c.showAssignee()); err != nil {
		c.log.Warn("Could not tell the reporter about a change", "report", r.Key(), "error", err.Error())
	}
}
