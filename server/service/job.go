package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Clocks runs the service-level targets of every report: the scheduled job
// (reminders before and after each target, progress messages, question
// reminders and automatic closing, the weekly digest, and the disclosures
// and staging windows that fall due), the reporters' nudges, and the program
// metrics.
type Clocks struct {
	store      *store.Store
	notify     ClockNotifier
	directory  Directory
	cards      *cards
	changes    *changes
	audit      Auditor
	disclosure *Disclosure // discloses what is due
	staging    *Staging    // ends the windows that are over
	// triageChannelID is where the digest goes; empty until the plugin is set up.
	triageChannelID func() string
	settings        func() config.Clocks
	now             func() time.Time
	log             Logger
}

// staleClaim bounds how long a claimed message may stay unconfirmed before
// another run checks whether it went out and sends it if not. It is well above
// the time one post takes, so a live sender is never doubled.
const staleClaim = 3 * time.Minute

// digestEvery is the period of the triage channel digest.
const digestEvery = 7 * 24 * time.Hour

// RunJob is one pass of the scheduled job: reminders before and after each
// target, progress messages to reporters, question reminders, automatic closing,
// the weekly digest, and the disclosures and staging windows that fall due.
// Any number of servers may run it at once: every message
// is claimed on the report's follow-up record before it is sent, so each goes
// out once.
func (c *Clocks) RunJob() {
	now := c.now()
	reports, err := c.store.OpenSummaries()
	if err != nil {
		c.log.Warn("The follow-up job could not list open reports", "error", err.Error())
		return
	}
	for _, r := range reports {
		c.followUp(r, now)
	}
	c.digest(reports, now)
	c.disclosure.discloseDue(now)
	c.staging.expire(now)
}

// followUp evaluates one open report from its summary: its due states come
// from the summary's clock milestones, and its record is read only when a
// message is to be sent or the report changed (lazyReport).
func (c *Clocks) followUp(s report.Summary, now time.Time) {
	clocks := c.settings()
	r := &lazyReport{store: c.store, sum: s}
	changed := false
	for _, ck := range clocksOf(&s, clocks) {
		if !ck.running() {
			continue
		}
		p := sla.Measure(ck.start, now, ck.target, clocks.Zone)
		if p.State == sla.OnTrack {
			continue
		}
		for _, level := range []sla.State{sla.DueSoon, sla.Breached} {
			if level == sla.Breached && p.State != sla.Breached {
				continue
			}
			key := string(ck.name) + ":" + string(level)
			if r.held(key, now) {
				continue // sent already: no claim to try
			}
			sent := c.sendOnce(&s, key, now, s.CardPostID, func() (string, error) {
				full, err := r.load()
				if err != nil {
					return "", err
				}
				reminder := event.Reminder{Report: full, Clock: ck.name, Target: ck.target, Level: level, Due: p.DueAt, Owners: c.owners(s.Assignee)}
				return c.notify.Remind(reminder, key)
			})
			changed = changed || sent
		}
	}
	if changed {
		if full, err := r.load(); err == nil {
			c.cards.refresh(full) // the card shows the new clock state
		}
	}

	c.progress(r, now)
	if asked, ok := lastQuestion(&s); ok {
		c.chaseQuestion(r, asked, now)
	}
}

// owners are who messages to the team about r ping: the assignee, or the
// configured responders when nobody took it.
func (c *Clocks) owners(assignee string) event.Owners {
	if assignee != "" {
		return event.Owners{Assignee: assignee}
	}
	return event.Owners{Responders: c.settings().Responders}
}

// progress tells a reporter who has heard nothing for the progress interval
// where their report stands, and notes in the card thread that they wait.
// A progress message sent is newer than anything the summary shows, so the
// follow-up record is read only once the summary alone says the interval
// passed.
func (c *Clocks) progress(r *lazyReport, now time.Time) {
	clocks := c.settings()
	if clocks.Progress.IsZero() {
		return
	}
	s := &r.sum
	last := s.LastVisibleAt
	if sla.StateAt(last, now, clocks.Progress, clocks.Zone) != sla.Breached {
		return
	}
	rec, err := r.claims()
	if err != nil {
		c.log.Warn("Could not read a follow-up record", "report", s.Key(), "error", err.Error())
		return
	}
	for key, claim := range rec.Claims {
		if strings.HasPrefix(key, "progress:") && claim.At.After(last) {
			last = claim.At
		}
	}
	if sla.StateAt(last, now, clocks.Progress, clocks.Zone) != sla.Breached {
		return
	}
	key := fmt.Sprintf("progress:%d", last.Unix())
	e := event.Progress{Interval: clocks.Progress}
	for _, ck := range clocksOf(s, clocks) {
		if ck.name == event.ClockResolution && ck.running() {
			e.Resolution = ck.target
		}
	}
	if c.sendOnce(s, key, now, s.ThreadRootID, func() (string, error) {
		full, err := r.load()
		if err != nil {
			return "", err
		}
		e.Report = full
		return c.notify.TellProgress(e, key)
	}) {
		if _, err := c.notify.NoteProgress(e, key+":note"); err != nil {
			c.log.Warn("Could not note a progress message", "report", s.Key(), "error", err.Error())
		}
	}
}

// chaseQuestion reminds a reporter of an unanswered question once, and closes
// the report as informative when the question stays unanswered.
func (c *Clocks) chaseQuestion(r *lazyReport, asked, now time.Time) {
	clocks := c.settings()
	if !clocks.AutoClose.IsZero() && sla.StateAt(asked, now, clocks.AutoClose, clocks.Zone) == sla.Breached {
		c.autoClose(&r.sum, clocks.AutoClose)
		return
	}
	if clocks.QuestionReminder.IsZero() || sla.StateAt(asked, now, clocks.QuestionReminder, clocks.Zone) != sla.Breached {
		return
	}
	key := fmt.Sprintf("question:%d", asked.Unix())
	if r.held(key, now) {
		return
	}
	c.sendOnce(&r.sum, key, now, r.sum.ThreadRootID, func() (string, error) {
		full, err := r.load()
		if err != nil {
			return "", err
		}
		return c.notify.RemindOfQuestion(event.QuestionReminder{Report: full, AutoClose: clocks.AutoClose}, key)
	})
}

// autoClose closes a report whose question went unanswered. The transition table
// allows it only from needs_info, so two servers cannot both close it.
func (c *Clocks) autoClose(r *report.Summary, after sla.Target) {
	c.changes.bySystem(r.ID, report.ActionAutoClose, report.Input{At: c.now(), Note: notify.AutoCloseNote(after)})
}

// sendOnce claims key on the report's follow-up record and sends the message if
// the claim is this run'c. A claim that went stale (its server died) is checked
// against the posts under rootID before the message is sent again. It reports
// whether this run sent the message.
func (c *Clocks) sendOnce(r *report.Summary, key string, now time.Time, rootID string, send func() (string, error)) bool {
	var state sla.ClaimState
	_, err := c.store.UpdateFollowup(r.ID, func(rec *sla.Record) bool {
		state = rec.StateOf(key, now, staleClaim)
		if state == sla.Held {
			return false
		}
		rec.Claim(key, now)
		return true
	})
	if err != nil {
		c.log.Warn("Could not claim a follow-up message", "report", r.Key(), "key", key, "error", err.Error())
		return false
	}
	if state == sla.Held {
		return false
	}
	postID, found := "", false
	if state == sla.Stale {
		postID, found = c.notify.FindTagged(rootID, key)
	}
	if !found {
		var err error
		if postID, err = send(); err != nil {
			// The claim goes stale and a later run retries.
			c.log.Warn("Could not send a follow-up message", "report", r.Key(), "key", key, "error", err.Error())
			return false
		}
	}
	if _, err := c.store.UpdateFollowup(r.ID, func(rec *sla.Record) bool {
		rec.Confirm(key, postID)
		return true
	}); err != nil {
		c.log.Warn("Could not confirm a follow-up message", "report", r.Key(), "key", key, "error", err.Error())
	}
	return !found
}

// digest posts the weekly summary in the triage channel, once per week.
func (c *Clocks) digest(open []report.Summary, now time.Time) {
	channelID := c.triageChannelID()
	if channelID == "" {
		return
	}
	claimed, err := c.store.ClaimDigest(now, digestEvery)
	if err != nil || !claimed {
		return
	}
	if err := c.notify.PostDigest(channelID, c.digestOf(open, now)); err != nil {
		c.log.Warn("Could not post the weekly digest", "error", err.Error())
	}
}

// digestOf sums up the open reports: how many in each status, the clocks past
// their targets, the reports nobody took, and the oldest.
func (c *Clocks) digestOf(open []report.Summary, now time.Time) event.Digest {
	clocks := c.settings()
	d := event.Digest{Open: len(open), ByStatus: map[report.Status]int{}}
	for i := range open {
		r := &open[i]
		d.ByStatus[r.Status]++
		if r.Assignee == "" {
			d.Untaken = append(d.Untaken, r.Key())
		}
		if d.Oldest == nil || r.Created.Before(d.Oldest.Created) {
			d.Oldest = r
		}
		for _, ck := range clocksOf(r, clocks) {
			if ck.running() && sla.StateAt(ck.start, now, ck.target, clocks.Zone) == sla.Breached {
				d.Overdue = append(d.Overdue, event.Overdue{Report: r.Key(), Clock: ck.name})
			}
		}
	}
	return d
}
