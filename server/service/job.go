package service

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// staleClaim bounds how long a claimed message may stay unconfirmed before
// another run checks whether it went out and sends it if not. It is well above
// the time one post takes, so a live sender is never doubled.
const staleClaim = 3 * time.Minute

// digestEvery is the period of the triage channel digest.
const digestEvery = 7 * 24 * time.Hour

// Followups is what the job needs to send tagged messages (package notify).
type Followups interface {
	PostInCardThread(r *report.Report, message, tag string) (string, error)
	PostInReporterThread(r *report.Report, message, tag string) (string, error)
	FindTagged(rootID, tag string) (string, bool)
	Mentions(userIDs []string) string
	PostInChannel(channelID, message string) error
}

// RunJob is one pass of the scheduled job: reminders before and after each
// target, progress messages to reporters, question reminders, automatic closing,
// and the weekly digest. Any number of servers may run it at once: every message
// is claimed on the report's follow-up record before it is sent, so each goes
// out once.
func (s *Service) RunJob() {
	now := s.now()
	reports, err := s.store.ListOpen()
	if err != nil {
		s.log.Warn("The follow-up job could not list open reports", "error", err.Error())
		return
	}
	for _, r := range reports {
		s.followUp(r, now)
	}
	s.digest(reports, now)
	s.discloseDue(now)
	if s.stagingNotify != nil {
		s.expireStaging(now)
	}
}

func (s *Service) followUp(r *report.Report, now time.Time) {
	clocks := s.settings().Clocks
	changed := false
	for _, ck := range clocksOf(r, clocks) {
		if !ck.done.IsZero() || ck.target.IsZero() {
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
			key := ck.name + ":" + string(level)
			sent := s.sendOnce(r, key, now, r.CardPostID, func() (string, error) {
				return s.followups.PostInCardThread(r, s.reminderText(r, ck, p, level), key)
			})
			changed = changed || sent
		}
	}
	if changed {
		s.refreshCard(r) // the card shows the new clock state
	}

	s.progress(r, now)
	if asked, ok := lastQuestion(r); ok {
		s.chaseQuestion(r, asked, now)
	}
}

// reminderText says which target is due soon or missed, and pings who owns it:
// the assignee, or the responders when nobody does.
func (s *Service) reminderText(r *report.Report, ck clock, p sla.Progress, level sla.State) string {
	who := s.owners(r)
	icon, what := "⏰", "is due soon"
	if level == sla.Breached {
		icon, what = "🚨", "is overdue"
	}
	msg := fmt.Sprintf("%s **%s**: the %s target (%s) %s — due %s.", icon, r.Key(), strings.ToLower(clockLabels[ck.name]), ck.target.Label(), what, p.DueAt.UTC().Format("2006-01-02 15:04 UTC"))
	if who != "" {
		msg = who + " " + msg
	}
	return msg
}

// owners mentions the assignee, or the configured responders.
func (s *Service) owners(r *report.Report) string {
	if r.Assignee != "" {
		return s.followups.Mentions([]string{r.Assignee})
	}
	var names []string
	for _, u := range s.settings().Clocks.Responders {
		names = append(names, "@"+u)
	}
	return strings.Join(names, " ")
}

// progress tells a reporter who has heard nothing for the progress interval
// where their report stands, and notes in the card thread that they wait.
func (s *Service) progress(r *report.Report, now time.Time) {
	clocks := s.settings().Clocks
	if clocks.Progress.IsZero() {
		return
	}
	rec, err := s.store.Followup(r.ID)
	if err != nil {
		s.log.Warn("Could not read a follow-up record", "report", r.Key(), "error", err.Error())
		return
	}
	last := lastVisibleUpdate(r)
	for key, c := range rec.Claims {
		if strings.HasPrefix(key, "progress:") && c.At.After(last) {
			last = c.At
		}
	}
	if sla.StateAt(last, now, clocks.Progress, clocks.Zone) != sla.Breached {
		return
	}
	key := fmt.Sprintf("progress:%d", last.Unix())
	if s.sendOnce(r, key, now, r.ThreadRootID, func() (string, error) {
		return s.followups.PostInReporterThread(r, s.progressText(r), key)
	}) {
		if _, err := s.followups.PostInCardThread(r, fmt.Sprintf("The reporter of **%s** had no update for %s and was sent a progress message; they are waiting to hear from the team.", r.Key(), clocks.Progress.Label()), key+":note"); err != nil {
			s.log.Warn("Could not note a progress message", "report", r.Key(), "error", err.Error())
		}
	}
}

func (s *Service) progressText(r *report.Report) string {
	next := map[report.Status]string{
		report.StatusSubmitted: "it is in the queue and the team will start looking at it soon",
		report.StatusTriaging:  "the team is investigating it",
		report.StatusNeedsInfo: "the team is waiting for your answer to its question in this thread",
		report.StatusConfirmed: "the team confirmed it and is working on a fix",
	}[r.Status]
	msg := fmt.Sprintf("**%s** · %s\nA progress update: your report is still open — %s.", r.Key(), r.Status.Label(), next)
	for _, ck := range clocksOf(r, s.settings().Clocks) {
		if ck.done.IsZero() && !ck.target.IsZero() && ck.name == ClockResolution {
			msg += fmt.Sprintf(" The team aims to resolve reports of this severity within %s of filing.", ck.target.Label())
		}
	}
	return msg
}

// chaseQuestion reminds a reporter of an unanswered question once, and closes
// the report as informative when the question stays unanswered.
func (s *Service) chaseQuestion(r *report.Report, asked, now time.Time) {
	clocks := s.settings().Clocks
	if !clocks.AutoClose.IsZero() && sla.StateAt(asked, now, clocks.AutoClose, clocks.Zone) == sla.Breached {
		s.autoClose(r, clocks.AutoClose)
		return
	}
	if clocks.QuestionReminder.IsZero() || sla.StateAt(asked, now, clocks.QuestionReminder, clocks.Zone) != sla.Breached {
		return
	}
	key := fmt.Sprintf("question:%d", asked.Unix())
	s.sendOnce(r, key, now, r.ThreadRootID, func() (string, error) {
		msg := fmt.Sprintf("**%s** · %s\nA reminder: the security team is waiting for your answer to its question above. Please reply in this thread.", r.Key(), r.Status.Label())
		if !clocks.AutoClose.IsZero() {
			msg += fmt.Sprintf(" Without an answer, the report is closed %s after the question; your answer reopens it.", clocks.AutoClose.Label())
		}
		return s.followups.PostInReporterThread(r, msg, key)
	})
}

// autoClose closes a report whose question went unanswered. The transition table
// allows it only from needs_info, so two servers cannot both close it.
func (s *Service) autoClose(r *report.Report, after sla.Target) {
	var event report.Event
	closed, err := s.store.Update(r.ID, func(cur *report.Report) error {
		e, err := report.Apply(cur, report.ActionAutoClose, report.System(), report.Input{At: s.now(),
			Note: fmt.Sprintf("No answer to the team's question within %s.", after.Label())})
		event = e
		return err
	})
	if errors.Is(err, report.ErrRefused) {
		return // answered or closed meanwhile
	}
	if err != nil {
		s.log.Warn("Could not close an unanswered report", "report", r.Key(), "error", err.Error())
		return
	}
	s.afterChange("", closed, event)
}

// sendOnce claims key on the report's follow-up record and sends the message if
// the claim is this run's. A claim that went stale (its server died) is checked
// against the posts under rootID before the message is sent again. It reports
// whether this run sent the message.
func (s *Service) sendOnce(r *report.Report, key string, now time.Time, rootID string, send func() (string, error)) bool {
	var state sla.ClaimState
	_, err := s.store.UpdateFollowup(r.ID, func(rec *sla.Record) bool {
		state = rec.StateOf(key, now, staleClaim)
		if state == sla.Held {
			return false
		}
		rec.Claim(key, now)
		return true
	})
	if err != nil {
		s.log.Warn("Could not claim a follow-up message", "report", r.Key(), "key", key, "error", err.Error())
		return false
	}
	if state == sla.Held {
		return false
	}
	postID, found := "", false
	if state == sla.Stale {
		postID, found = s.followups.FindTagged(rootID, key)
	}
	if !found {
		var err error
		if postID, err = send(); err != nil {
			// The claim goes stale and a later run retries.
			s.log.Warn("Could not send a follow-up message", "report", r.Key(), "key", key, "error", err.Error())
			return false
		}
	}
	if _, err := s.store.UpdateFollowup(r.ID, func(rec *sla.Record) bool {
		rec.Confirm(key, postID)
		return true
	}); err != nil {
		s.log.Warn("Could not confirm a follow-up message", "report", r.Key(), "key", key, "error", err.Error())
	}
	return !found
}

// digest posts the weekly summary in the triage channel, once per week.
func (s *Service) digest(open []*report.Report, now time.Time) {
	channelID := s.settings().TriageChannelID
	if channelID == "" {
		return
	}
	claimed, err := s.store.ClaimDigest(now, digestEvery)
	if err != nil || !claimed {
		return
	}
	if err := s.followups.PostInChannel(channelID, s.digestText(open, now)); err != nil {
		s.log.Warn("Could not post the weekly digest", "error", err.Error())
	}
}

func (s *Service) digestText(open []*report.Report, now time.Time) string {
	clocks := s.settings().Clocks
	byStatus := map[report.Status]int{}
	var breached, untaken []string
	var oldest *report.Report
	for _, r := range open {
		byStatus[r.Status]++
		if r.Assignee == "" {
			untaken = append(untaken, r.Key())
		}
		if oldest == nil || r.Created.Before(oldest.Created) {
			oldest = r
		}
		for _, ck := range clocksOf(r, clocks) {
			if ck.done.IsZero() && !ck.target.IsZero() && sla.StateAt(ck.start, now, ck.target, clocks.Zone) == sla.Breached {
				breached = append(breached, fmt.Sprintf("%s (%s)", r.Key(), strings.ToLower(clockLabels[ck.name])))
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#### Weekly security report digest\n**%d open reports**", len(open))
	var parts []string
	for _, st := range report.Statuses {
		if n := byStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", st.Label(), n))
		}
	}
	if len(parts) > 0 {
		b.WriteString(" — " + strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	sort.Strings(breached)
	fmt.Fprintf(&b, "- Overdue targets: %s\n", listOrNone(breached))
	fmt.Fprintf(&b, "- Not taken yet: %s\n", listOrNone(untaken))
	if oldest != nil {
		fmt.Fprintf(&b, "- Oldest open: **%s**, filed %s (%s)\n", oldest.Key(), oldest.Created.UTC().Format("2006-01-02"), oldest.Status.Label())
	}
	return b.String()
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
