package service

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Conversation carries the words between a reporter and the team: the
// reporter's replies in their report's DM thread (relayed to the card
// thread), `/security reply`, a triager's `/security tell`, and the replies
// that arrived while the plugin was not running.
type Conversation struct {
	store  *store.Store
	notify ConversationNotifier
	triage *Triage // tell is a triage action
	cards  *cards
	audit  Auditor
	now    func() time.Time
	log    Logger
}

// Tell sends the reporter of report id a message from a triager, as the
// message action does. Anyone else gets ErrNotFound, as for an unknown id.
func (c *Conversation) Tell(actorID string, id int, text string) (*report.Report, error) {
	if !c.triage.IsTriager(actorID) {
		return nil, refuseTeam(c.triage.directory, actorID, ErrNotFound)
	}
	return c.triage.Act(Action{ActorID: actorID, ReportID: id, Action: report.ActionMessage, Input: report.Input{Note: text}})
}

// ReportKeyForPost names the report a post belongs to (its card, its DM thread or
// a reply in either), or "" when none does. It checks nothing about who asks: it
// serves the notification hooks, which only use it to hide content.
func (c *Conversation) ReportKeyForPost(postIDs ...string) string {
	for _, id := range postIDs {
		if id == "" {
			continue
		}
		if r, err := c.store.FindByPost(id); err == nil && r != nil {
			return report.FormatID(r.ID)
		}
	}
	return ""
}

// HandlePost routes a new or edited post to the relay if it is a reporter's
// reply in a report's DM thread, or answers a message to the bot outside any
// report thread. Posts by the bot are filtered out before this is called.
func (c *Conversation) HandlePost(p event.Post) error {
	if p.RootID != "" {
		r, err := c.store.FindByPost(p.RootID)
		if err == nil && r != nil {
			if p.RootID == r.ThreadRootID && p.UserID == r.ReporterID {
				return told(c.relay(r.ID, p))
			}
			// A triager's reply in the card thread stays internal; nobody else
			// can post in either thread.
			return nil
		}
	}
	if p.Edited || !c.notify.IsBotDM(p.ChannelID) {
		return nil
	}
	return c.answerOutsideThread(p)
}

// relay records a reporter's reply on the timeline (which may move the report
// back to triaging) and posts it in the card thread, once. An edit is posted in
// the card thread as such and changes nothing else. A reply over the hourly
// limit is refused with a *report.ReplyLimitError, and the reporter told in
// the post's thread (once per limit reached).
func (c *Conversation) relay(id int, p event.Post) error {
	if p.Edited {
		r, err := c.store.Get(id)
		if err != nil {
			return storeError(err)
		}
		return c.notify.RelayToTeam(c.cards.home(r), p)
	}

	var change report.Event
	var refused *report.ReplyLimitError
	tell := false
	r, err := c.store.Update(id, func(cur *report.Report) error {
		refused, tell = nil, false
		if cur.WasRelayed(p.ID, p.CreateAt) {
			return errNoChange
		}
		now := c.now()
		if refused = cur.TakeReply(now); refused != nil {
			// Refused, and handled: a catch-up does not pass it on later. The
			// reporter is told once per limit reached, in words that cover
			// every reply until then; only that first refusal is stored.
			if tell = cur.RefuseReply(p.CreateAt, refused); !tell {
				return errNoChange
			}
			return nil //nolint:nilerr // the refusal is saved with the record; relay returns it after the update
		}
		e, err := report.Apply(cur, report.ActionReply, report.Reporter(p.UserID), report.Input{At: now, Note: notify.ReplyNote(p)})
		if err != nil {
			return err
		}
		change = e
		cur.MarkRelayed(p.ID, p.CreateAt)
		return nil
	})
	if refused != nil && (err == nil || errors.Is(err, errNoChange)) {
		// A post is answered in its thread; `/security reply` in its reply.
		if tell && p.ChannelID != "" {
			if err := c.notify.AnswerReply(r, p, refused.Error()); err != nil {
				c.log.Warn("Could not tell a reporter their reply was over the limit", "report", r.Key(), "error", err.Error())
			}
		}
		return refused
	}
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err != nil {
		return storeError(err)
	}
	// Where the team is now: a report whose card is still in a former
	// triage channel moves first.
	r = c.cards.home(r)
	// Replies kept for later go first, so that the team reads them in order;
	// while they cannot be posted, neither is this one.
	var relayErr error
	if pending, err := c.store.PendingRelays(r.ID); err == nil && len(pending) > 0 {
		_, relayErr = c.retryPending(r.ID)
	}
	if relayErr == nil {
		relayErr = c.notify.RelayToTeam(r, p)
	}
	if change.From != change.To && c.audit != nil {
		c.audit.ReportChanged(p.UserID, r, change)
	}
	c.cards.refresh(r)
	if err := relayErr; err != nil {
		// The reply is on the record (its beginning, on the timeline); it is
		// posted for the team later, and the reporter is told which.
		c.log.Warn("Could not relay a reply to the card thread", "report", r.Key(), "error", err.Error())
		failed := c.keepForLater(r, p)
		if p.ChannelID != "" {
			if err := c.notify.AnswerReply(r, p, failed.Error()); err != nil {
				c.log.Warn("Could not tell a reporter their reply was not passed on", "report", r.Key(), "error", err.Error())
			}
		}
		return failed
	}
	return nil
}

// keepForLater keeps a reply in its report's thread that could not be posted
// for the team, to post once it can (RetryPendingRelays), and returns what
// the reporter is told: that it will follow, or, for a reply that cannot be
// read again later (`/security reply`, whose text is only on the timeline) or
// past what a report keeps, that they should send it again.
func (c *Conversation) keepForLater(r *report.Report, p event.Post) error {
	if p.ID == "" || p.ChannelID == "" || p.RootID == "" {
		return &RelayFailedError{Report: r.Key()}
	}
	kept, err := c.store.KeepPendingRelay(r.ID, p.ID)
	if err != nil {
		c.log.Warn("Could not keep a reply to post later", "report", r.Key(), "error", err.Error())
	}
	if !kept || err != nil {
		return &RelayFailedError{Report: r.Key()}
	}
	return &RelayDelayedError{Report: r.Key()}
}

// RetryPendingRelays posts for the team the replies taken but not posted
// (keepForLater), once it can: the job runs it, and the plugin once the
// triage channel is safe again. It reads one small record (store.
// PendingRelayReports), and for each report listed, its record, its list and
// its DM thread, where the replies are read again whole. A reply deleted
// meanwhile is dropped. It returns how many it posted.
func (c *Conversation) RetryPendingRelays() int {
	ids, err := c.store.PendingRelayReports()
	if err != nil {
		c.log.Warn("Could not read the reports with replies to post", "error", err.Error())
		return 0
	}
	posted := 0
	for _, id := range ids {
		n, err := c.retryPending(id)
		posted += n
		if err != nil {
			c.log.Warn("Could not post the replies kept for later; the next run retries", "report", report.FormatID(id), "error", err.Error())
		}
	}
	return posted
}

func (c *Conversation) retryPending(id int) (int, error) {
	pending, err := c.store.PendingRelays(id)
	if err != nil || len(pending) == 0 {
		if err == nil {
			err = c.store.DonePendingRelays(id)
		}
		return 0, storeError(err)
	}
	r, err := c.store.Get(id)
	if err != nil {
		return 0, storeError(err)
	}
	posts, err := c.notify.ThreadPosts(r.ThreadRootID)
	if err != nil {
		return 0, err
	}
	r = c.cards.home(r)
	var done []string
	var relayErr error
	for _, postID := range pending {
		i := slices.IndexFunc(posts, func(p event.Post) bool { return p.ID == postID })
		if i < 0 {
			c.log.Warn("A reply kept for later was deleted before it could be posted for the team", "report", r.Key(), "post_id", postID)
			done = append(done, postID)
			continue
		}
		if relayErr = c.notify.RelayToTeam(r, posts[i]); relayErr != nil {
			break // in order: the rest wait with it
		}
		done = append(done, postID)
	}
	if len(done) > 0 {
		if err := c.store.DonePendingRelays(id, done...); err != nil {
			return len(done), storeError(err)
		}
	}
	return len(done), relayErr
}

// RelayFailedError says a reply was recorded but not posted for the team.
// Its text is the sentence the reporter reads.
type RelayFailedError struct {
	Report string // SEC-n
}

func (e *RelayFailedError) Error() string {
	return "This reply was not passed on to the security team: it could not be posted for them just now. " +
		"Please send it again in a few minutes; meanwhile the team sees its beginning on " + e.Report + "."
}

// RelayDelayedError says a reply was recorded, and will be posted for the
// team as soon as it can be.
type RelayDelayedError struct {
	Report string // SEC-n
}

func (e *RelayDelayedError) Error() string {
	return "This reply could not be passed on to the security team just now. It is kept with " + e.Report +
		" and passed on as soon as it can be: there is no need to send it again."
}

// told is nil for a reply relay refused (over the hourly limit) or could not
// post for the team, which relay has answered in the reporter's thread: it is
// handled, not failed.
func told(err error) error {
	var limit *report.ReplyLimitError
	var failed *RelayFailedError
	var delayed *RelayDelayedError
	if errors.As(err, &limit) || errors.As(err, &failed) || errors.As(err, &delayed) {
		return nil
	}
	return err
}

// answerOutsideThread handles a message to the bot that is not in a report's
// thread: with exactly one open report it is relayed there (and the reporter is
// told); otherwise the bot explains how to reply.
func (c *Conversation) answerOutsideThread(p event.Post) error {
	reports, err := reportsOf(c.store, p.UserID)
	if err != nil {
		return err
	}
	var open []*report.Report
	for _, r := range reports {
		if r.IsOpen() {
			open = append(open, r)
		}
	}
	if len(open) == 1 && open[0].ThreadRootID != "" {
		r := open[0]
		if err := c.relay(r.ID, p); err != nil {
			return told(err)
		}
		return c.notify.AnswerRelayedOutsideThread(p.ChannelID, p.ID, r)
	}
	return c.notify.AnswerHowToReply(p.ChannelID, p.ID, open)
}

// Reply relays text from the reporter to one of their reports, as if written in
// its thread (`/security reply SEC-n <text>`). Anyone else gets ErrNotFound.
func (c *Conversation) Reply(userID string, id int, text string, postID string, at int64) (*report.Report, error) {
	r, err := reportOf(c.store, userID, id)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, &report.InputError{Field: report.FieldNote, Message: "Write the reply after the id: `/security reply " + r.Key() + " <text>`."}
	}
	if err := c.relay(r.ID, event.Post{ID: postID, UserID: userID, Message: text, CreateAt: at}); err != nil {
		return nil, err
	}
	return c.store.Get(r.ID)
}

// CatchUp relays replies that reached report threads while the plugin was not
// running. It reads only the threads that can still get replies
// (store.LiveThreads: open and fixed reports, and those final for less than
// store.LiveGrace), workers threads at a time, and a report's record only when
// its thread holds a post by the reporter. It stops handing out threads when
// ctx is done (the plugin deactivates) and returns what it relayed so far.
func (c *Conversation) CatchUp(ctx context.Context, workers int) (relayed int, err error) {
	live, err := c.store.LiveThreads()
	if err != nil {
		return 0, storeError(err)
	}
	threads := make(chan report.Summary)
	var count atomic.Int64
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for sum := range threads {
				count.Add(int64(c.catchUpThread(sum)))
			}
		})
	}
feed:
	for _, sum := range live {
		// A select with a ready worker and a done context picks either at
		// random: an ended context must stop the feed every time.
		if ctx.Err() != nil {
			break
		}
		select {
		case threads <- sum:
		case <-ctx.Done():
			break feed
		}
	}
	close(threads)
	wg.Wait()
	return int(count.Load()), ctx.Err()
}

// catchUpThread relays the reporter's replies in one report's DM thread that
// were not relayed yet, oldest first, and returns how many it relayed.
func (c *Conversation) catchUpThread(sum report.Summary) int {
	posts, err := c.notify.ThreadPosts(sum.ThreadRootID)
	if err != nil {
		c.log.Warn("Could not read a report thread", "report", report.FormatID(sum.ID), "error", err.Error())
		return 0
	}
	var r *report.Report
	relayed := 0
	for _, p := range posts {
		if p.UserID != sum.Reporter || p.ID == sum.ThreadRootID {
			continue
		}
		if r == nil {
			if r, err = c.store.Get(sum.ID); err != nil {
				return relayed
			}
		}
		if r.WasHandled(p.ID, p.CreateAt) {
			continue
		}
		if err := told(c.relay(r.ID, p)); err != nil {
			c.log.Warn("Could not relay a missed reply", "report", r.Key(), "error", err.Error())
			continue
		}
		relayed++
		if r, err = c.store.Get(sum.ID); err != nil {
			return relayed
		}
	}
	return relayed
}
