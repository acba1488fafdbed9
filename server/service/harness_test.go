package service_test

import (
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
	audit  *servicetest.Auditor
	follow *servicetest.Followups
	stage  *servicetest.Staging
	// settings are the plugin's settings but for the clocks, which come from
	// clocks.
	settings service.Settings
	clocks   config.Clocks
	now      time.Time
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{now: t0, settings: service.Settings{Products: config.Defaults().Intake.Products, MaxReportsPerDay: 10, TriageChannelID: "triage-channel",
		Staging:    service.StagingSettings{MaxDays: 14, MaxOpen: 2},
		Disclosure: service.DisclosureSettings{DelayDays: 30, UpdatesURL: "https://chat.example.com/plugins/x/security-updates"}}}
	h.svc = servicetest.New(servicetest.Options{
		Directory: servicetest.Directory{"triager": true, "triager2": true, "admin": true},
		Settings: func() service.Settings {
			s := h.settings
			s.Clocks = h.clocks
			return s
		},
		Now: func() time.Time { return h.now },
	})
	h.conv, h.notify, h.follow, h.stage = h.svc.Bot.Conversation, h.svc.Bot.Notifier, h.svc.Bot.Followups, h.svc.Bot.Staging
	h.store, h.audit = h.svc.Store, h.svc.Audit
	return h
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

// server adds a server with settings.
func (c *cluster) server(settings service.Settings) *servicetest.Env {
	return servicetest.New(servicetest.Options{KV: c.kv, Bot: c.bot, Directory: servicetest.Directory{"triager": true},
		Settings: func() service.Settings { return settings }, Now: func() time.Time { return c.clock }})
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
