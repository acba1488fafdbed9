package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Recovery finishes what a crash cut short, without walking the reports: the
// store's intent replay names the reports whose writers died (store.Replay),
// and Recovery does for them what the writer would have done after its store
// writes: the public lists and, for a filing, the card and the receipt.
type Recovery struct {
	store  *store.Store
	notify RecoveryNotifier
	cards  *cards
	public *publicLists
	hall   *HallOfFame
	// triageChannelID is where a card goes when the record names no channel.
	triageChannelID func() string
	clocks          func() config.Clocks // the receipt names the first-response target
	now             func() time.Time
	log             Logger
}

// announceSlack is how long before a record's filing time its card or receipt
// may have been posted, as the server's clock sees it: the plugin's clock and
// the database's may differ a little, and a cluster's servers a little more.
const announceSlack = 2 * time.Minute

// Replay finishes the writes crashed writers left: ReplayAll at activation,
// ReplayStale in the job. It reads the intent slots and the records they name.
func (rc *Recovery) Replay(mode store.ReplayMode) (store.Replayed, error) {
	res, err := rc.store.Replay(mode, rc.finish)
	return res, storeError(err)
}

// finish is the store's Finish: for each report of a dead writer's intent it
// brings the public lists in line and completes an unfinished announcement.
// It is idempotent, so a replay that runs twice changes nothing the second
// time.
func (rc *Recovery) finish(ids []int) error {
	for _, id := range ids {
		r, err := rc.store.Get(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		rc.public.changed(r) // a crash between a disclosure and the lists
		if r.CardPostID == "" || r.ThreadRootID == "" {
			if err := rc.announce(r); err != nil {
				return errors.Wrapf(err, "finish the announcement of %s", r.Key())
			}
		}
	}
	return nil
}

// announce posts what a filing cut short did not link: the card (with the
// full text) and the receipt. Either may have been posted before the crash,
// unlinked, so each is looked for among the posts made since the filing
// first, and posted only when absent: a report never gets two cards.
func (rc *Recovery) announce(r *report.Report) error {
	since := r.Created.Add(-announceSlack)
	cardID, threadID := r.CardPostID, r.ThreadRootID
	var err error
	if cardID == "" {
		if cardID, err = rc.card(r, since); err != nil {
			return err
		}
	}
	if threadID == "" {
		if threadID, err = rc.notify.FindReceipt(r, since); err != nil {
			return err
		}
		if threadID == "" {
			if threadID, err = rc.notify.SendReceipt(r, rc.clocks().FirstResponse); err != nil {
				return errors.Wrap(err, "send the receipt")
			}
		}
	}
	linked, err := rc.store.Update(r.ID, func(cur *report.Report) error {
		if cur.CardPostID == "" {
			cur.CardPostID = cardID
		}
		if cur.TriageChannelID == "" {
			cur.TriageChannelID = r.TriageChannelID
		}
		if cur.ThreadRootID == "" {
			cur.ThreadRootID = threadID
		}
		return nil
	})
	if err != nil {
		return errors.Wrap(err, "link the card and the receipt")
	}
	// The card's buttons must carry the linked version.
	if err := rc.cards.update(linked, nil); err != nil {
		rc.log.Warn("Could not update a finished card", "report", linked.Key(), "error", err.Error())
	}
	rc.cards.publish(linked)
	rc.log.Warn("Finished the announcement of a filing a crash cut short", "report", linked.Key())
	return nil
}

// card finds r's unlinked card, or posts it (in the current triage channel if
// the record names none).
func (rc *Recovery) card(r *report.Report, since time.Time) (string, error) {
	if r.TriageChannelID == "" {
		r.TriageChannelID = rc.triageChannelID()
		if r.TriageChannelID == "" {
			return "", ErrNotSetUp
		}
	}
	cardID, err := rc.notify.FindCard(r, since)
	if err != nil || cardID != "" {
		return cardID, err
	}
	cardID, err = rc.cards.post(r, nil)
	return cardID, errors.Wrap(err, "post the card")
}
