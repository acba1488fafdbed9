package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// cards keeps each report's card in the triage channel in line with the
// report, whichever use case changed it: the card shows the state, the
// running clocks and the credit choice, and its buttons carry the version
// they were rendered from.
type cards struct {
	store  *store.Store
	notify CardNotifier
	// triageChannelID is where a deleted card is posted again.
	triageChannelID func() string
	clocks          func() config.Clocks
	now             func() time.Time
	log             Logger
}

// view is what the card shows besides the report: the credit line and, while
// the report is open, its running clocks. A nil credit is read from the store.
func (c *cards) view(r *report.Report, credit *report.CreditProfile) event.CardView {
	if credit == nil {
		profile, err := c.store.GetCreditProfile(r.ReporterID)
		if err == nil {
			credit = profile
		}
	}
	view := event.CardView{Credit: credit}
	if r.IsOpen() {
		view.Clocks = runningClocks(r, c.clocks(), c.now())
	}
	return view
}

// post posts a new card for r in r's triage channel, with the full text in
// its thread, and returns the card's post id. Only a failure of the card
// itself is returned: a full text that did not make it is logged.
func (c *cards) post(r *report.Report, credit *report.CreditProfile) (string, error) {
	cardID, err := c.postCard(r, credit)
	if err != nil {
		return "", err
	}
	c.postFullText(r, cardID)
	return cardID, nil
}

// postCard posts a new card for r, without the full text.
func (c *cards) postCard(r *report.Report, credit *report.CreditProfile) (string, error) {
	return c.notify.PostCard(r, c.view(r, credit))
}

// postFullText posts r's full text in the thread of its card cardID; a failure
// is logged (the report itself holds every word).
func (c *cards) postFullText(r *report.Report, cardID string) {
	if err := c.notify.PostFullText(r, cardID); err != nil {
		c.log.Warn("Could not post a report's full text", "report", r.Key(), "error", err.Error())
	}
}

// publish tells the webapps of the team and of the reporter that r changed.
func (c *cards) publish(r *report.Report) { c.notify.Publish(r) }

// update rewrites r's card in place, with credit (nil: as stored).
func (c *cards) update(r *report.Report, credit *report.CreditProfile) error {
	return c.notify.UpdateCard(r, c.view(r, credit))
}

// refresh tells the webapps that r changed and updates its card in place, or
// posts it again (with the full text) when it was deleted, re-linking the
// report to the new card. It returns the report as linked.
func (c *cards) refresh(r *report.Report) *report.Report {
	c.publish(r)
	if c.notify.CardExists(r) {
		if err := c.update(r, nil); err != nil {
			c.log.Warn("Could not update a card", "report", r.Key(), "error", err.Error())
		}
		return r
	}
	return c.repost(r)
}

// ensure re-posts r's card when it was deleted, for a triager looking at r.
func (c *cards) ensure(r *report.Report) *report.Report {
	if c.notify.CardExists(r) {
		return r
	}
	return c.repost(r)
}

// repost posts a fresh card in the current triage channel and links it.
func (c *cards) repost(r *report.Report) *report.Report {
	channelID := c.triageChannelID()
	if channelID == "" {
		return r
	}
	moved := *r
	moved.TriageChannelID = channelID
	cardID, err := c.post(&moved, nil)
	if err != nil {
		c.log.Warn("Could not re-post a deleted card", "report", r.Key(), "error", err.Error())
		return r
	}
	linked, err := c.store.Update(r.ID, func(cur *report.Report) error {
		cur.CardPostID = cardID
		cur.TriageChannelID = channelID
		return nil
	})
	if err != nil {
		c.log.Warn("Could not link a re-posted card", "report", r.Key(), "error", err.Error())
		return r
	}
	// The card shows the version it was rendered from; render it once more so
	// its buttons carry the linked version.
	if err := c.update(linked, nil); err != nil {
		c.log.Warn("Could not update a re-posted card", "report", r.Key(), "error", err.Error())
	}
	return linked
}
