package service

import (
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

type harness struct {
	svc    *Service
	conv   *servicetest.Conversation
	notify *servicetest.Notifier
	store  *store.Store
	audit  *servicetest.Auditor
	follow *servicetest.Followups
	stage  *servicetest.Staging
	clocks config.Clocks
	now    time.Time
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{conv: servicetest.NewConversation(), notify: servicetest.NewNotifier(), store: store.New(&pluginapi.MemoryStore{}), audit: &servicetest.Auditor{}, follow: &servicetest.Followups{}, stage: servicetest.NewStaging(), now: t0}
	h.svc = New(Deps{
		Store:     h.store,
		Notifier:  h.notify,
		Directory: servicetest.Directory{"triager": true, "triager2": true, "admin": true},
		Settings: func() Settings {
			return Settings{Products: report.DefaultProducts, MaxReportsPerDay: 10, TriageChannelID: "triage-channel", Clocks: h.clocks,
				Staging:    StagingSettings{MaxDays: 14, MaxOpen: 2},
				Disclosure: DisclosureSettings{DelayDays: 30, UpdatesURL: "https://chat.example.com/plugins/x/security-updates"}}
		},
		Now:             func() time.Time { return h.now },
		Log:             servicetest.Logger{},
		Audit:           h.audit,
		Conversation:    h.conv,
		Followups:       h.follow,
		StagingNotifier: h.stage,
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
