package service

import (
	"strings"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Conversation is what the relay needs from Mattermost besides the notifier.
type Conversation interface {
	// RelayToTeam posts a reporter's words (with copies of their files) in the
	// report's card thread, as inert text.
	RelayToTeam(r *report.Report, p event.Post) error
	// ThreadPosts lists the posts replying to rootID, oldest first.
	ThreadPosts(rootID string) ([]event.Post, error)
	// IsBotDM says whether channelID is a direct message channel with the bot.
	IsBotDM(channelID string) bool
	// AnswerRelayedOutsideThread tells the reporter, in reply to their message
	// rootID, that it went to their one open report r.
	AnswerRelayedOutsideThread(channelID, rootID string, r *report.Report) error
	// AnswerHowToReply tells the reporter, in reply to their message rootID,
	// how to add to a report; open are their open reports.
	AnswerHowToReply(channelID, rootID string, open []*report.Report) error
}

// HandlePost routes a new or edited post to the relay if it is a reporter's
// reply in a report's DM thread, or answers a message to the bot outside any
// report thread. Posts by the bot are filtered out before this is called.
func (s *Service) HandlePost(p event.Post) error {
	if p.RootID != "" {
		r, err := s.store.FindByPost(p.RootID)
		if err == nil && r != nil {
			if p.RootID == r.ThreadRootID && p.UserID == r.ReporterID {
				return s.relay(r.ID, p)
			}
			// A triager's reply in the card thread stays internal; nobody else
			// can post in either thread.
			return nil
		}
	}
	if p.Edited || !s.conversation.IsBotDM(p.ChannelID) {
		return nil
	}
	return s.answerOutsideThread(p)
}

// relay records a reporter's reply on the timeline (which may move the report
// back to triaging) and posts it in the card thread, once. An edit is posted in
// the card thread as such and changes nothing else.
func (s *Service) relay(id int, p event.Post) error {
	if p.Edited {
		r, err := s.store.Get(id)
		if err != nil {
			return storeError(err)
		}
		return s.conversation.RelayToTeam(r, p)
	}

	var change report.Event
	r, err := s.store.Update(id, func(cur *report.Report) error {
		if cur.WasRelayed(p.ID, p.CreateAt) {
			return errNoChange
		}
		e, err := report.Apply(cur, report.ActionReply, report.Reporter(p.UserID), report.Input{At: s.now(), Note: notify.ReplyNote(p)})
		if err != nil {
			return err
		}
		change = e
		cur.MarkRelayed(p.ID, p.CreateAt)
		return nil
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err != nil {
		return storeError(err)
	}
	if err := s.conversation.RelayToTeam(r, p); err != nil {
		s.log.Warn("Could not relay a reply to the card thread", "report", r.Key(), "error", err.Error())
	}
	if change.From != change.To && s.audit != nil {
		s.audit.ReportChanged(p.UserID, r, change)
	}
	s.refreshCard(r)
	return nil
}

// errNoChange stops an update that has nothing to write.
var errNoChange = errors.New("no change")

// answerOutsideThread handles a message to the bot that is not in a report's
// thread: with exactly one open report it is relayed there (and the reporter is
// told); otherwise the bot explains how to reply.
func (s *Service) answerOutsideThread(p event.Post) error {
	reports, err := s.Mine(p.UserID)
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
		if err := s.relay(r.ID, p); err != nil {
			return err
		}
		return s.conversation.AnswerRelayedOutsideThread(p.ChannelID, p.ID, r)
	}
	return s.conversation.AnswerHowToReply(p.ChannelID, p.ID, open)
}

// Reply relays text from the reporter to one of their reports, as if written in
// its thread (`/security reply SEC-n <text>`). Anyone else gets ErrNotFound.
func (s *Service) Reply(userID string, id int, text string, postID string, at int64) (*report.Report, error) {
	r, err := s.ReportFor(userID, id)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, &report.InputError{Field: report.FieldNote, Message: "Write the reply after the id: `/security reply " + r.Key() + " <text>`."}
	}
	if err := s.relay(r.ID, event.Post{ID: postID, UserID: userID, Message: text, CreateAt: at}); err != nil {
		return nil, err
	}
	return s.store.Get(r.ID)
}

// CatchUp relays replies that reached report threads while the plugin was not
// running. It walks ids 1..highest (no key listing) and reads each thread once.
func (s *Service) CatchUp() (relayed int, err error) {
	highest, err := s.store.HighestID()
	if err != nil {
		return 0, storeError(err)
	}
	for id := 1; id <= highest; id++ {
		r, err := s.store.Get(id)
		if err != nil || r.ThreadRootID == "" {
			continue
		}
		posts, err := s.conversation.ThreadPosts(r.ThreadRootID)
		if err != nil {
			s.log.Warn("Could not read a report thread", "report", r.Key(), "error", err.Error())
			continue
		}
		for _, p := range posts {
			if p.UserID != r.ReporterID || p.ID == r.ThreadRootID || r.WasRelayed(p.ID, p.CreateAt) {
				continue
			}
			if err := s.relay(r.ID, p); err != nil {
				s.log.Warn("Could not relay a missed reply", "report", r.Key(), "error", err.Error())
				continue
			}
			relayed++
			if r, err = s.store.Get(id); err != nil {
				break
			}
		}
	}
	return relayed, nil
}
