package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// What the use cases have the bot do, one interface per user of it, each with
// only the calls that user makes. The use cases say what happened; package
// notify decides the words and buttons, and its Notifier is every one of these.

// CardNotifier keeps a report's card, and the webapps, in line with the
// report. A card's buttons follow the report's state.
type CardNotifier interface {
	PostCard(r *report.Report, view event.CardView) (string, error)
	UpdateCard(r *report.Report, view event.CardView) error
	// CardExists says whether r's card is still there (a triager may delete it).
	CardExists(r *report.Report) bool
	// PostFullText posts the report's full text under its card cardID.
	PostFullText(r *report.Report, cardID string) error
	// Publish tells the webapps of the team and of the reporter that r changed.
	Publish(r *report.Report)
	// MarkCardMoved rewrites r's former card cardID in channelID to say
	// where its card is now (r.CardPostID), without report text.
	MarkCardMoved(channelID, cardID string, r *report.Report) error
	// DeleteCard removes a card posted twice, with its thread.
	DeleteCard(postID string) error
	// Permalink links to a post, in whichever team it is.
	Permalink(postID string) string
}

// ChangeNotifier tells the card thread and the reporter about a change.
type ChangeNotifier interface {
	NoteChange(r *report.Report, e report.Event) error
	// TellReporter sends the reporter what they may know of e (nothing for an
	// internal change); showAssignee lets it name who works on the report.
	TellReporter(r *report.Report, e report.Event, showAssignee bool) error
}

// IntakeNotifier acknowledges new reports.
type IntakeNotifier interface {
	// SendReceipt acknowledges a new report to its reporter, stating the
	// first-response target, and returns the post that starts its DM thread.
	SendReceipt(r *report.Report, firstResponse sla.Target) (string, error)
}

// ConversationNotifier carries the conversation between reporter and team.
type ConversationNotifier interface {
	// RelayToTeam posts a reporter's words (with copies of their files) in the
	// report's card thread, as inert text.
	RelayToTeam(r *report.Report, p event.Post) error
	// AnswerReply tells the reporter, in the thread of their post p, that it
	// was not passed on, and why (message).
	AnswerReply(r *report.Report, p event.Post, message string) error
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

// ClockNotifier sends the scheduled job's messages and the reporters' nudges.
// Each message about a report carries the tag of the claim it fulfils, so a
// run that finds a stale claim can look for it (FindTagged).
type ClockNotifier interface {
	Remind(e event.Reminder, tag string) (string, error)
	TellProgress(e event.Progress, tag string) (string, error)
	NoteProgress(e event.Progress, tag string) (string, error)
	RemindOfQuestion(e event.QuestionReminder, tag string) (string, error)
	PostNudge(e event.Nudge, tag string) (string, error)
	PostDigest(channelID string, d event.Digest) error
	// FindTagged returns the bot's post under rootID tagged with tag, if any.
	FindTagged(rootID, tag string) (string, bool)
}

// DisclosureNotifier tells the team about scheduled disclosures.
type DisclosureNotifier interface {
	NoteDisclosure(channelID string, e event.Disclosed) error
}

// StagingNotifier is what staging requests need: the request's card (its
// buttons follow its status), and what the researcher and the team are told
// about each decision.
type StagingNotifier interface {
	PostStagingCard(r *staging.Request) (string, error)
	UpdateStagingCard(r *staging.Request) error
	// SendStagingAccess gives the researcher the access details of an approved
	// window and returns the post, to delete when the window ends.
	SendStagingAccess(r *staging.Request, details staging.Details) (string, error)
	NoteStagingApproved(r *staging.Request) error
	TellStagingDenied(r *staging.Request) error
	TellStagingEnded(r *staging.Request) error
	NoteStagingEnded(r *staging.Request) error
	DeletePost(postID string) error
}

// Notifier is everything the use cases have the bot do.
type Notifier interface {
	CardNotifier
	ChangeNotifier
	IntakeNotifier
	ConversationNotifier
	ClockNotifier
	DisclosureNotifier
	StagingNotifier
	RecoveryNotifier
}

// RecoveryNotifier finds the posts of a filing cut short by a crash, and
// sends the receipt it did not send.
type RecoveryNotifier interface {
	// FindCard returns r's card posted since since in r's triage channel, or
	// "" when there is none.
	FindCard(r *report.Report, since time.Time) (string, error)
	// FindReceipt returns r's receipt posted since since in the reporter's
	// DM with the bot, or "" when there is none.
	FindReceipt(r *report.Report, since time.Time) (string, error)
	IntakeNotifier
}
