package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// harness is one server's use cases on an in-memory store, with the bot's
// recorders under short names and a clock and settings the test moves.
type harness struct {
	svc    *servicetest.Env
	conv   *servicetest.Conversation
	notify *servicetest.Notifier
	store  *store.Store
	kv     *pluginapi.MemoryStore
	audit  *servicetest.Auditor
	follow *servicetest.Followups
	stage  *servicetest.Staging
	// The settings the use cases read, which a test may change between
	// calls. The clocks start zero: no target runs unless a test sets them.
	triageChannelID string
	intake          config.Intake
	clocks          config.Clocks
	staging         config.Staging
	disclosure      config.Disclosure
	now             time.Time
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{now: t0, triageChannelID: "triage-channel", intake: config.Intake{Products: config.Defaults().Intake.Products, MaxReportsPerDay: 10},
		staging: config.Staging{MaxDays: 14, MaxOpen: 2}, disclosure: config.Disclosure{DelayDays: 30}, kv: &pluginapi.MemoryStore{}}
	h.svc = servicetest.New(servicetest.Options{
		KV:                 h.kv,
		Directory:          servicetest.Directory{"triager": true, "triager2": true, "admin": true},
		TriageChannelID:    func() string { return h.triageChannelID },
		Intake:             func() config.Intake { return h.intake },
		Clocks:             func() config.Clocks { return h.clocks },
		Staging:            func() config.Staging { return h.staging },
		Disclosure:         func() config.Disclosure { return h.disclosure },
		SecurityUpdatesURL: servicetest.Fixed("https://chat.example.com/plugins/x/security-updates"),
		Now:                func() time.Time { return h.now },
	})
	h.conv, h.notify, h.follow, h.stage = h.svc.Bot.Conversation, h.svc.Bot.Notifier, h.svc.Bot.Followups, h.svc.Bot.Staging
	h.store, h.audit = h.svc.Store, h.svc.Audit
	return h
}

// keys lists the stored keys that start with prefix.
func (h *harness) keys(t testing.TB, prefix string) []string {
	t.Helper()
	all, err := h.kv.ListKeys(0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range all {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

// cluster is servers sharing one KV and one Mattermost, on one clock.
type cluster struct {
	kv    store.KV
	bot   *servicetest.Bot
	clock time.Time
}

func newCluster() *cluster {
	return &cluster{kv: &pluginapi.MemoryStore{}, bot: servicetest.NewBot(), clock: t0}
}

// server adds a server of the cluster; o says what its settings differ in.
func (c *cluster) server(o servicetest.Options) *servicetest.Env {
	o.KV, o.Bot, o.Directory, o.Now = c.kv, c.bot, servicetest.Directory{"triager": true}, func() time.Time { return c.clock }
	return servicetest.New(o)
}

func validFiling(title string) service.Filing {
	return service.Filing{Report: report.Report{
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
	r, errs, err := h.svc.Intake.File(reporter, validFiling("XSS in "+reporter))
	if err != nil || len(errs) > 0 {
		t.Fatalf("filing: %v %v", err, errs)
	}
	return r
}

// publicAdvisories is every public advisory, newest first.
func publicAdvisories(t *testing.T, d *service.Disclosure) []report.PublicAdvisory {
	t.Helper()
	list, err := d.PublicAdvisories()
	if err != nil {
		t.Fatalf("read the public advisories: %v", err)
	}
	all, err := list.Newest(0, list.Count)
	if err != nil {
		t.Fatalf("read the public advisories: %v", err)
	}
	return all
}
