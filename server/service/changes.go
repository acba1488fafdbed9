package service

import (
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// changes does what follows every stored change of a report, whoever made it
// (a triager, or the plugin closing or disclosing on its own): the audit
// record, the card, the public lists, the note in the card thread, and what
// the reporter is told.
type changes struct {
	store  *store.Store
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

// bySystem applies a change the plugin makes on its own (an auto-close, a
// disclosure on its date) to report id and runs the steps after it. It returns
// nil when the transition table refused the change, because someone changed
// the report meanwhile (so two servers never both make it), or when storing it
// failed, which is logged.
func (c *changes) bySystem(id int, action report.Action, in report.Input) *report.Report {
	var change report.Event
	changed, done, err := c.store.UpdateAnnouncing(id, 0, func(cur *report.Report) error {
		e, err := report.Apply(cur, action, report.System(), in)
		change = e
		return err
	})
	defer done() // once the public lists follow, as in Triage.Act
	if errors.Is(err, report.ErrRefused) {
		return nil
	}
	if err != nil {
		c.log.Warn("Could not make a scheduled change", "report", report.FormatID(id), "action", string(action), "error", err.Error())
		return nil
	}
	c.after("", changed, change)
	return changed
}
