package service

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// fakeNotifier records what the bot would post. It is the only fake in these
// tests: the store is the real one on an in-memory KV.
type fakeNotifier struct {
	mu       sync.Mutex
	nextID   int
	cards    map[string]*report.Report // post id → report as last rendered
	buttons  map[string][]notify.Button
	deleted  map[string]bool
	threads  map[string][]string // root id → messages
	receipts map[int]string      // report id → receipt post id
	dms      map[int][]string    // report id → reporter DMs after the receipt
	notes    map[int][]report.Action
	failCard bool
}

func newFakeNotifier() *fakeNotifier {
	return &fakeNotifier{cards: map[string]*report.Report{}, buttons: map[string][]notify.Button{}, deleted: map[string]bool{},
		threads: map[string][]string{}, receipts: map[int]string{}, dms: map[int][]string{}, notes: map[int][]report.Action{}}
}

func (f *fakeNotifier) id(prefix string) string {
	f.nextID++
	return fmt.Sprintf("%s%d", prefix, f.nextID)
}

func (f *fakeNotifier) PostCard(r *report.Report, view notify.CardView) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failCard {
		return "", fmt.Errorf("card failed")
	}
	id := f.id("card")
	copied := *r
	f.cards[id] = &copied
	f.buttons[id] = view.Buttons
	return id, nil
}

func (f *fakeNotifier) UpdateCard(r *report.Report, view notify.CardView) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	copied := *r
	f.cards[r.CardPostID] = &copied
	f.buttons[r.CardPostID] = view.Buttons
	return nil
}

func (f *fakeNotifier) CardExists(r *report.Report) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.cards[r.CardPostID]
	return ok && !f.deleted[r.CardPostID]
}

func (f *fakeNotifier) PostThread(_, rootID string, messages []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.threads[rootID] = append(f.threads[rootID], messages...)
	return nil
}

func (f *fakeNotifier) SendReceipt(r *report.Report, _ string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.id("receipt")
	f.receipts[r.ID] = id
	return id, nil
}

func (f *fakeNotifier) ReplyInThread(r *report.Report, message string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dms[r.ID] = append(f.dms[r.ID], message)
	return f.id("dm"), nil
}

func (f *fakeNotifier) NoteChange(r *report.Report, e report.Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notes[r.ID] = append(f.notes[r.ID], e.Action)
	return nil
}

// TellReporter records the DM the real notifier would send (none for internal
// changes); with showAssignee false the text needs no server.
func (f *fakeNotifier) TellReporter(r *report.Report, e report.Event, _ bool) error {
	msg := (&notify.Notifier{}).ReporterUpdate(r, e, false)
	if msg == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dms[r.ID] = append(f.dms[r.ID], msg)
	return nil
}

// directory: "admin" and names starting with "triager" are on the team.
type directory map[string]bool

func (d directory) IsTriager(userID string) bool { return d[userID] }

type nopLogger struct{}

func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}

type auditLog struct {
	mu     sync.Mutex
	events []report.Event
}

func (a *auditLog) ReportChanged(_ string, _ *report.Report, e report.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = append(a.events, e)
}

type harness struct {
	svc    *Service
	notify *fakeNotifier
	store  *store.Store
	audit  *auditLog
	now    time.Time
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{notify: newFakeNotifier(), store: store.New(&pluginapi.MemoryStore{}), audit: &auditLog{}, now: t0}
	h.svc = New(Deps{
		Store:     h.store,
		Notifier:  h.notify,
		Directory: directory{"triager": true, "triager2": true, "admin": true},
		Settings: func() Settings {
			return Settings{Products: report.DefaultProducts, MaxReportsPerDay: 10, TriageChannelID: "triage-channel"}
		},
		Now:       func() time.Time { return h.now },
		Log:       nopLogger{},
		Audit:     h.audit,
		ActionURL: "/plugins/x/action",
	})
	return h
}

func validFiling(title string) Filing {
	return Filing{Report: report.Report{
		Title:            title,
		Product:          "server",
		Vector:           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		AffectedVersions: "11.4.0",
		TestedOn:         report.TestedOnOwnInstallation,
		Description:      "desc",
		Steps:            "steps",
		Impact:           "impact",
		WantsCredit:      true,
	}, Credit: report.CreditProfile{DisplayName: "Ada", Affiliation: "from Example"}}
}

func (h *harness) file(t testing.TB, reporter string) *report.Report {
	t.Helper()
	r, errs, err := h.svc.File(reporter, validFiling("XSS in "+reporter))
	if err != nil || len(errs) > 0 {
		t.Fatalf("filing: %v %v", err, errs)
	}
	return r
}
