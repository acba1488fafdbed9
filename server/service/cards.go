package service

import (
	"time"

	"github.com/pkg/errors"

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
// posts it again (with the full text) when it was deleted or lives in a
// channel that is no longer the triage channel, re-linking the report to the
// new card. It returns the report as linked.
func (c *cards) refresh(r *report.Report) *report.Report {
	r = c.home(r)
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
	r = c.home(r)
	if c.notify.CardExists(r) {
		return r
	}
	return c.repost(r)
}

// home moves r's card to the triage channel when it lives in another, the
// one before a change of the setting: whatever happens to a report next is
// posted where the team is now. The open and fixed reports are moved in the
// background after the change (Triage.RehomeStep); a final report moves when
// something happens to it.
func (c *cards) home(r *report.Report) *report.Report {
	channelID := c.triageChannelID()
	if channelID == "" || r.TriageChannelID == "" || r.TriageChannelID == channelID {
		return r
	}
	oldChannel, oldCard := r.TriageChannelID, r.CardPostID
	moved, ok := c.postIn(r, channelID, "move a card to the triage channel")
	if !ok || oldCard == "" || moved.CardPostID == oldCard {
		return moved
	}
	if err := c.notify.MarkCardMoved(oldChannel, oldCard, moved); err != nil {
		c.log.Warn("Could not mark an old card moved", "report", r.Key(), "error", err.Error())
	}
	c.publish(moved)
	return moved
}

// repost posts a fresh card in the current triage channel and links it.
func (c *cards) repost(r *report.Report) *report.Report {
	channelID := c.triageChannelID()
	if channelID == "" {
		return r
	}
	linked, _ := c.postIn(r, channelID, "re-post a deleted card")
	return linked
}

// postIn posts r's card (with the full text) in channelID and links the
// report to it, unless another server did so first for that channel, in which
// case the card posted here is deleted again: a report has one card. It
// returns the report as linked, and false when nothing changed.
func (c *cards) postIn(r *report.Report, channelID, what string) (*report.Report, bool) {
	moved := *r
	moved.TriageChannelID = channelID
	cardID, err := c.post(&moved, nil)
	if err != nil {
		c.log.Warn("Could not "+what, "report", r.Key(), "error", err.Error())
		return r, false
	}
	lost := false
	linked, err := c.store.Update(r.ID, func(cur *report.Report) error {
		lost = cur.TriageChannelID == channelID && cur.CardPostID != "" && cur.CardPostID != r.CardPostID
		if lost {
			return errNoChange
		}
		cur.CardPostID = cardID
		cur.TriageChannelID = channelID
		return nil
	})
	if lost || err != nil {
		if err := c.notify.DeleteCard(cardID); err != nil {
			c.log.Warn("Could not delete a card posted twice", "report", r.Key(), "error", err.Error())
		}
		if err != nil && !errors.Is(err, errNoChange) {
			c.log.Warn("Could not link a card: "+what, "report", r.Key(), "error", err.Error())
			return r, false
		}
		current, err := c.store.Get(r.ID)
		if err != nil {
			return r, false
		}
		return current, false
	}
	// The card shows the version it was rendered from; render it once more so
	// its buttons carry the linked version.
	if err := c.update(linked, nil); err != nil {
		c.log.Warn("Could not update a card: "+what, "report", r.Key(), "error", err.Error())
	}
	return linked, true
}
