package report

import (
	"fmt"
	"time"
)

// A record stays bounded however long the conversation runs: the timeline
// keeps an excerpt of a long note (the whole text is in the report's threads,
// where it was posted), and only the newest conversation events that changed
// nothing else; and a report takes a bounded number of replies an hour.
const (
	// NoteExcerptRunes is how much of a note the timeline keeps.
	NoteExcerptRunes = 300
	// KeptConversation is how many replies and messages that changed nothing
	// but the conversation the timeline keeps; older ones are counted in
	// EarlierConversation.
	KeptConversation = 30
	// RepliesPerHour is how many replies a report takes in any hour.
	RepliesPerHour = 30
)

// excerptMark ends a note the timeline keeps only the beginning of.
const excerptMark = " … (excerpt; the whole text is in the report's threads)"

// Excerpt is note as the timeline keeps it: whole when short, else its first
// NoteExcerptRunes characters and a mark saying where the rest is.
func Excerpt(note string) string {
	runes := []rune(note)
	if len(runes) <= NoteExcerptRunes {
		return note
	}
	return string(runes[:NoteExcerptRunes]) + excerptMark
}

// keep appends e to the timeline as it is kept, and drops the oldest
// conversation events beyond KeptConversation.
func (r *Report) keep(e Event) {
	e.Note = Excerpt(e.Note)
	r.Timeline = append(r.Timeline, e)
	r.compactConversation()
}

// compactConversation drops the oldest conversation-only events beyond
// KeptConversation. An event that moved the report, changed its owner or
// carries a detail is never dropped, nor is the team's first response (the
// summaries' clocks start from it).
func (r *Report) compactConversation() {
	first := -1
	n := 0
	for i, e := range r.Timeline {
		if first < 0 && e.isResponse() {
			first = i
		}
		if e.conversationOnly() {
			n++
		}
	}
	drop := n - KeptConversation
	if drop <= 0 {
		return
	}
	kept := r.Timeline[:0]
	for i, e := range r.Timeline {
		if drop > 0 && i != first && e.conversationOnly() {
			drop--
			r.EarlierConversation++
			continue
		}
		kept = append(kept, e)
	}
	r.Timeline = kept
}

// conversationOnly: a reply or a message that changed nothing else.
func (e Event) conversationOnly() bool {
	return (e.Action == ActionReply || e.Action == ActionMessage) &&
		e.From == e.To && e.Assignee == "" && e.Detail == ""
}

// isResponse: the team's first answer to a report is the first such event
// (Summary.RespondedAt, which the compaction keeps).
func (e Event) isResponse() bool {
	if e.ActorKind != ActorTriager {
		return false
	}
	switch e.Action {
	case ActionTake, ActionAsk, ActionMessage, ActionClose:
		return true
	}
	return false
}

// ReplyLimitError refuses a reply over RepliesPerHour: Until is when the
// report takes replies again. Its text is the sentence the reporter reads.
type ReplyLimitError struct {
	Report string // SEC-n
	Until  time.Time
}

func (e *ReplyLimitError) Error() string {
	return fmt.Sprintf("This reply was not passed on to the security team: a report takes at most %d replies an hour. "+
		"Send it again from %s UTC; until then, replies to %s are not passed on.",
		RepliesPerHour, e.Until.UTC().Format("2006-01-02 15:04"), e.Report)
}

// TakeReply counts a reply made at now against the report's hourly limit, or
// refuses it. It keeps the times of the replies of the last hour only, so it
// is bounded like the rest.
func (r *Report) TakeReply(now time.Time) *ReplyLimitError {
	hourAgo := now.Add(-time.Hour).UnixMilli()
	recent := r.RecentReplies[:0]
	for _, at := range r.RecentReplies {
		if at > hourAgo {
			recent = append(recent, at)
		}
	}
	r.RecentReplies = recent
	if len(recent) >= RepliesPerHour {
		// Rounded up to the minute the sentence names.
		until := time.UnixMilli(recent[0]).Add(time.Hour + time.Minute - 1).Truncate(time.Minute)
		return &ReplyLimitError{Report: r.Key(), Until: until.UTC()}
	}
	r.RecentReplies = append(r.RecentReplies, now.UnixMilli())
	return nil
}

// RefuseReply records that a reply created at createAt (ms) was refused by
// limit, and says whether this is the first refusal of that limit, of which
// the reporter is to be told (once: the sentence covers every reply until
// then). Only the first changes the record: the replies created from it
// until the limit ends are all refused, and WasHandled knows them by their
// time, so a flood of refused replies neither grows the record nor pushes
// the replies that were passed on out of RelayedPosts.
func (r *Report) RefuseReply(createAt int64, limit *ReplyLimitError) bool {
	if r.ReplyLimitTold == limit.Until.UnixMilli() {
		return false
	}
	r.ReplyLimitTold, r.ReplyLimitFrom = limit.Until.UnixMilli(), createAt
	return true
}

// refusedByLimit says whether a reply created at createAt (ms) fell in the
// last limit's refusals.
func (r *Report) refusedByLimit(createAt int64) bool {
	return r.ReplyLimitFrom > 0 && createAt >= r.ReplyLimitFrom && createAt < r.ReplyLimitTold
}
