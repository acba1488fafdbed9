// Package servicetest holds in-memory stand-ins for what the service talks to
// besides the store: the bot's posts, the conversation with reporters, the team
// directory, the logger and the audit log. Tests of the service and of its
// adapters use them with the real store on an in-memory KV.
package servicetest

import (
	"fmt"
	"sync"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Notifier records what the bot would post.
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

func (f *Notifier) PostCard(r *report.Report, view notify.CardView) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.FailCard {
		return "", fmt.Errorf("card failed")
	}
	id := f.id("card")
	copied := *r
	f.Cards[id] = &copied
	f.Buttons[id] = view.Buttons
	return id, nil
}

func (f *Notifier) UpdateCard(r *report.Report, view notify.CardView) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	copied := *r
	f.Cards[r.CardPostID] = &copied
	f.Buttons[r.CardPostID] = view.Buttons
	return nil
}

func (f *Notifier) CardExists(r *report.Report) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.Cards[r.CardPostID]
	return ok && !f.Deleted[r.CardPostID]
}

func (f *Notifier) PostThread(_, rootID string, messages []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Threads[rootID] = append(f.Threads[rootID], messages...)
	return nil
}

func (f *Notifier) SendReceipt(r *report.Report, _ string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.id("receipt")
	f.Receipts[r.ID] = id
	return id, nil
}

func (f *Notifier) ReplyInThread(r *report.Report, message string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.DMs[r.ID] = append(f.DMs[r.ID], message)
	return f.id("dm"), nil
}

func (f *Notifier) NoteChange(r *report.Report, e report.Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Notes[r.ID] = append(f.Notes[r.ID], e.Action)
	return nil
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

// Logger discards everything.
type Logger struct{}

func (Logger) Warn(string, ...any)  {}
func (Logger) Error(string, ...any) {}

// Auditor records audited events.
type Auditor struct {
	mu     sync.Mutex
	Events []report.Event
}

func (a *Auditor) ReportChanged(_ string, _ *report.Report, e report.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Events = append(a.Events, e)
}

// Conversation stands in for Mattermost threads and DMs.
type Conversation struct {
	mu      sync.Mutex
	Relayed map[int][]notify.Post    // report id → posts relayed to the card thread
	Threads map[string][]notify.Post // root id → replies in Mattermost
	Answers map[string]string        // channel id → the bot's last answer
	BotDMs  map[string]bool
}

// NewConversation returns an empty Conversation.
func NewConversation() *Conversation {
	return &Conversation{Relayed: map[int][]notify.Post{}, Threads: map[string][]notify.Post{}, Answers: map[string]string{}, BotDMs: map[string]bool{}}
}

func (c *Conversation) RelayToTeam(r *report.Report, p notify.Post) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Relayed[r.ID] = append(c.Relayed[r.ID], p)
	return nil
}

func (c *Conversation) ThreadPosts(rootID string) ([]notify.Post, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]notify.Post(nil), c.Threads[rootID]...), nil
}

func (c *Conversation) IsBotDM(channelID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.BotDMs[channelID]
}

func (c *Conversation) AnswerInDM(channelID, _, message string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Answers[channelID] = message
	return nil
}
