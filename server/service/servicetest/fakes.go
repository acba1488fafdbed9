package servicetest

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// Bot records everything the use cases have the bot do, one recorder per
// area; together they are a service.Notifier.
type Bot struct {
	*Notifier     // cards, receipts, notes in card threads, DMs to reporters
	*Conversation // relays, thread reads, answers to stray messages
	*Followups    // the job's tagged messages, digests, disclosure notes
	*Staging      // staging request cards, notes and DMs
}

// NewBot returns a Bot that has recorded nothing.
func NewBot() *Bot {
	return &Bot{Notifier: NewNotifier(), Conversation: NewConversation(), Followups: &Followups{}, Staging: NewStaging()}
}

// Notifier records what the bot would post about reports: cards (with the
// buttons the real notifier gives them), full texts, receipts and DMs.
type Notifier struct {
	mu       sync.Mutex
	nextID   int
	Cards    map[string]*report.Report // post id → report as last rendered
	Buttons  map[string][]notify.Button
	Deleted  map[string]bool
	Threads  map[string][]string // root id → messages
	Receipts map[int]string      // report id → receipt post id
	DMs      map[int][]string    // report id → reporter DMs after the receipt
	Notes    map[int][]report.Action
	FailCard bool
	// Edits counts the in-place rewrites of each card.
	Edits     map[string]int
	Published map[int]int // report id → live-update events
	// Moved maps a card that moved to another channel to the card it
	// points to.
	Moved map[string]string
}

// NewNotifier returns an empty Notifier.
func NewNotifier() *Notifier {
	return &Notifier{Cards: map[string]*report.Report{}, Buttons: map[string][]notify.Button{}, Deleted: map[string]bool{},
		Threads: map[string][]string{}, Receipts: map[int]string{}, DMs: map[int][]string{}, Notes: map[int][]report.Action{}}
}

func (f *Notifier) id(prefix string) string {
	f.nextID++
	return fmt.Sprintf("%s%d", prefix, f.nextID)
}

// PostCard records the card with the buttons the real notifier would give it.
func (f *Notifier) PostCard(r *report.Report, _ event.CardView) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.FailCard {
		return "", fmt.Errorf("card failed")
	}
	id := f.id("card")
	copied := *r
	f.Cards[id] = &copied
	f.Buttons[id] = notify.CardButtons(r)
	return id, nil
}

func (f *Notifier) UpdateCard(r *report.Report, _ event.CardView) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	copied := *r
	f.Cards[r.CardPostID] = &copied
	if f.Edits == nil {
		f.Edits = map[string]int{}
	}
	f.Edits[r.CardPostID]++
	f.Buttons[r.CardPostID] = notify.CardButtons(r)
	return nil
}

func (f *Notifier) MarkCardMoved(_, cardID string, r *report.Report) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Moved == nil {
		f.Moved = map[string]string{}
	}
	f.Moved[cardID] = r.CardPostID
	delete(f.Buttons, cardID)
	return nil
}

func (f *Notifier) Permalink(postID string) string {
	return "https://chat.example.com/_redirect/pl/" + postID
}

func (f *Notifier) DeleteCard(postID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Deleted[postID] = true
	return nil
}

func (f *Notifier) CardExists(r *report.Report) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.Cards[r.CardPostID]
	return ok && !f.Deleted[r.CardPostID]
}

func (f *Notifier) PostFullText(r *report.Report, cardID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range notify.FullTextPosts(r) {
		f.Threads[cardID] = append(f.Threads[cardID], p.Message)
	}
	return nil
}

func (f *Notifier) SendReceipt(r *report.Report, _ sla.Target) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.id("receipt")
	f.Receipts[r.ID] = id
	return id, nil
}

// FindCard returns the first card recorded for r that was not deleted, as
// the real notifier finds an unlinked card among the triage channel's posts.
func (f *Notifier) FindCard(r *report.Report, _ time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	found, foundN := "", 0
	for id, c := range f.Cards {
		var n int
		if _, err := fmt.Sscanf(id, "card%d", &n); err != nil || c.ID != r.ID || f.Deleted[id] {
			continue
		}
		if found == "" || n < foundN {
			found, foundN = id, n
		}
	}
	return found, nil
}

// FindReceipt returns the receipt recorded for r, if any.
func (f *Notifier) FindReceipt(r *report.Report, _ time.Time) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Receipts[r.ID], nil
}

func (f *Notifier) NoteChange(r *report.Report, e report.Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Notes[r.ID] = append(f.Notes[r.ID], e.Action)
	return nil
}

// Publish counts live-update events per report.
func (f *Notifier) Publish(r *report.Report) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Published == nil {
		f.Published = map[int]int{}
	}
	f.Published[r.ID]++
}

// TellReporter records the DM the real notifier would send (none for internal
// changes); with showAssignee false the text needs no server.
func (f *Notifier) TellReporter(r *report.Report, e report.Event, _ bool) error {
	msg := (&notify.Notifier{}).ReporterUpdate(r, e, false)
	if msg == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.DMs[r.ID] = append(f.DMs[r.ID], msg)
	return nil
}

// Directory lists who is on the security team (true) by user id.
type Directory map[string]bool

func (d Directory) IsTriager(userID string) bool { return d[userID] }

// OnHold: a Directory's team is never on hold (see Held).
func (Directory) OnHold(string) string { return "" }

// Held is the team of Directory while the triage channel is unsafe for
// Reason: no one is a triager, and those who would be are told why.
type Held struct {
	Directory
	Reason string
}

func (Held) IsTriager(string) bool { return false }

func (h Held) OnHold(userID string) string {
	if h.Directory[userID] || h.IsSystemAdmin(userID) {
		return h.Reason
	}
	return ""
}

// IsSystemAdmin: users whose id starts with "admin" are system admins.
func (d Directory) IsSystemAdmin(userID string) bool { return strings.HasPrefix(userID, "admin") }

// Logger discards everything.
type Logger struct{}

func (Logger) Warn(string, ...any)  {}
func (Logger) Error(string, ...any) {}

// Auditor records audited events.
type Auditor struct {
	mu     sync.Mutex
	Events []report.Event
	// Decisions are the other audited decisions, in order.
	Decisions []Decision
}

// Decision is one audited decision and who made it.
type Decision struct {
	Actor string
	event.Audited
}

func (a *Auditor) Decided(actorID string, d event.Audited) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Decisions = append(a.Decisions, Decision{Actor: actorID, Audited: d})
}

func (a *Auditor) ReportChanged(_ string, _ *report.Report, e report.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Events = append(a.Events, e)
}

// Conversation stands in for Mattermost threads and DMs.
type Conversation struct {
	mu      sync.Mutex
	Relayed map[int][]event.Post // report id → posts relayed to the card thread
	// RelayedIn is where each relay went: "channel/card", by report id.
	RelayedIn map[int][]string
	Threads   map[string][]event.Post // root id → replies in Mattermost
	Answers   map[string]string       // channel id → the bot's last answer
	BotDMs    map[string]bool
	Refused   map[int][]string // report id → why replies were not passed on, as the reporter was told
	// FailRelay makes every relay to the card thread fail.
	FailRelay bool
}

// NewConversation returns an empty Conversation.
func NewConversation() *Conversation {
	return &Conversation{Relayed: map[int][]event.Post{}, Threads: map[string][]event.Post{}, Answers: map[string]string{}, BotDMs: map[string]bool{}, Refused: map[int][]string{}}
}

func (c *Conversation) RelayToTeam(r *report.Report, p event.Post) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.FailRelay {
		return fmt.Errorf("the card thread cannot be reached")
	}
	c.Relayed[r.ID] = append(c.Relayed[r.ID], p)
	if c.RelayedIn == nil {
		c.RelayedIn = map[int][]string{}
	}
	c.RelayedIn[r.ID] = append(c.RelayedIn[r.ID], r.TriageChannelID+"/"+r.CardPostID)
	return nil
}

func (c *Conversation) AnswerReply(r *report.Report, p event.Post, message string) error {
	c.mu.Lock()
	c.Refused[r.ID] = append(c.Refused[r.ID], message)
	c.mu.Unlock()
	return c.answer(p.ChannelID, message)
}

func (c *Conversation) ThreadPosts(rootID string) ([]event.Post, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]event.Post(nil), c.Threads[rootID]...), nil
}

func (c *Conversation) IsBotDM(channelID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.BotDMs[channelID]
}

func (c *Conversation) AnswerRelayedOutsideThread(channelID, _ string, r *report.Report) error {
	return c.answer(channelID, notify.RelayedOutsideThreadText(r))
}

func (c *Conversation) AnswerHowToReply(channelID, _ string, open []*report.Report) error {
	return c.answer(channelID, notify.HowToReplyText(open))
}

func (c *Conversation) answer(channelID, message string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Answers[channelID] = message
	return nil
}

// Tagged is a message the scheduled job sent.
type Tagged struct {
	Where   string // "card" or "reporter"
	Report  int
	Message string
	Tag     string
}

// Followups records the scheduled job's messages, as the real notifier words
// them (a user id stands for the username in mentions). Tags are kept so a
// retry can find a message that went out before its sender died.
type Followups struct {
	mu       sync.Mutex
	nextID   int
	Sent     []Tagged
	Channel  []string // digests and other channel posts
	FailNext bool     // the next send fails (a server dying mid-send)
}

func (f *Followups) record(where string, r *report.Report, message, tag string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.FailNext {
		f.FailNext = false
		return "", fmt.Errorf("post failed")
	}
	f.nextID++
	f.Sent = append(f.Sent, Tagged{Where: where, Report: r.ID, Message: message, Tag: tag})
	return fmt.Sprintf("tagged%d", f.nextID), nil
}

// PostInCardThread records a message in the card thread, as a server that
// died before confirming it would have left it.
func (f *Followups) PostInCardThread(r *report.Report, message, tag string) (string, error) {
	return f.record("card", r, message, tag)
}

// mention stands for notify's: the user id is the username.
func mention(o event.Owners) string {
	return notify.Mention(o, func(userID string) string { return userID })
}

func (f *Followups) Remind(e event.Reminder, tag string) (string, error) {
	return f.record("card", e.Report, notify.ReminderText(e, mention(e.Owners)), tag)
}

func (f *Followups) TellProgress(e event.Progress, tag string) (string, error) {
	return f.record("reporter", e.Report, notify.ProgressText(e), tag)
}

func (f *Followups) NoteProgress(e event.Progress, tag string) (string, error) {
	return f.record("card", e.Report, notify.ProgressNote(e), tag)
}

func (f *Followups) RemindOfQuestion(e event.QuestionReminder, tag string) (string, error) {
	return f.record("reporter", e.Report, notify.QuestionReminderText(e), tag)
}

func (f *Followups) PostNudge(e event.Nudge, tag string) (string, error) {
	return f.record("card", e.Report, notify.NudgeText(e, mention(e.Owners)), tag)
}

func (f *Followups) FindTagged(_, tag string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.Sent {
		if s.Tag == tag {
			return fmt.Sprintf("tagged%d", i+1), true
		}
	}
	return "", false
}

func (f *Followups) PostDigest(_ string, d event.Digest) error {
	return f.inChannel(notify.DigestText(d))
}

func (f *Followups) NoteDisclosure(_ string, e event.Disclosed) error {
	return f.inChannel(notify.DisclosedText(e))
}

func (f *Followups) inChannel(message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Channel = append(f.Channel, message)
	return nil
}

// Tags lists the tags sent so far, in order.
func (f *Followups) Tags() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, s := range f.Sent {
		out = append(out, s.Tag)
	}
	return out
}

// Staging records staging request cards and DMs.
type Staging struct {
	mu      sync.Mutex
	nextID  int
	Cards   map[string]*staging.Request // card post id → request as last rendered
	Buttons map[string][]notify.Button
	DMs     map[string][]string // requester → messages
	Posts   map[string]string   // DM post id → message, until deleted
	Deleted []string
	Notes   map[int][]string
}

// NewStaging returns an empty Staging.
func NewStaging() *Staging {
	return &Staging{Cards: map[string]*staging.Request{}, Buttons: map[string][]notify.Button{}, DMs: map[string][]string{},
		Posts: map[string]string{}, Notes: map[int][]string{}}
}

// PostStagingCard records the card with the buttons the real notifier would
// give it.
func (f *Staging) PostStagingCard(r *staging.Request) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	id := fmt.Sprintf("stagingcard%d", f.nextID)
	copied := *r
	f.Cards[id], f.Buttons[id] = &copied, notify.StagingButtons(r)
	return id, nil
}

func (f *Staging) UpdateStagingCard(r *staging.Request) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	copied := *r
	f.Cards[r.CardPostID], f.Buttons[r.CardPostID] = &copied, notify.StagingButtons(r)
	return nil
}

func (f *Staging) SendStagingAccess(r *staging.Request, details staging.Details) (string, error) {
	return f.dm(r, notify.StagingAccessText(r, details))
}

func (f *Staging) NoteStagingApproved(r *staging.Request) error {
	return f.note(r, notify.StagingApprovedNote(r))
}

func (f *Staging) TellStagingDenied(r *staging.Request) error {
	_, err := f.dm(r, notify.StagingDeniedText(r))
	return err
}

func (f *Staging) TellStagingEnded(r *staging.Request) error {
	_, err := f.dm(r, notify.StagingEndedText(r))
	return err
}

func (f *Staging) NoteStagingEnded(r *staging.Request) error {
	return f.note(r, notify.StagingEndedNote)
}

func (f *Staging) note(r *staging.Request, message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Notes[r.ID] = append(f.Notes[r.ID], message)
	return nil
}

func (f *Staging) dm(r *staging.Request, message string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	id := fmt.Sprintf("dm%d", f.nextID)
	f.DMs[r.RequesterID] = append(f.DMs[r.RequesterID], message)
	f.Posts[id] = message
	return id, nil
}

func (f *Staging) DeletePost(postID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.Posts, postID)
	f.Deleted = append(f.Deleted, postID)
	return nil
}
