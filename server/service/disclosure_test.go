package service_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
)

// fixedReport files a report and drives it to fixed, released on release.
func fixedReport(t *testing.T, h *harness, reporter, release string, in report.Input) *report.Report {
	t.Helper()
	r := h.file(t, reporter)
	for _, a := range []report.Action{report.ActionTake, report.ActionConfirm} {
		_, err := act(h, "triager", r.ID, a, report.Input{})
		require.NoError(t, err)
	}
	in.FixedIn = []report.FixedVersion{{Version: "11.5.1", Released: release}, {Version: "11.4.3", Released: release}}
	fixed, err := act(h, "triager", r.ID, report.ActionFix, in)
	require.NoError(t, err)
	return fixed
}

func TestFixGetsAUniqueAdvisoryID(t *testing.T) {
	h := newHarness(t)
	a := fixedReport(t, h, "alice", "2026-03-02", report.Input{})
	b := fixedReport(t, h, "bob", "2026-03-02", report.Input{})
	assert.Equal(t, "MMSA-2026-1", a.AdvisoryID)
	assert.Equal(t, "MMSA-2026-2", b.AdvisoryID)

	// An id typed by hand is checked for uniqueness; the freed id can be reused.
	_, err := act(h, "triager", b.ID, report.ActionAdvisory, report.Input{AdvisoryID: "mmsa-2026-1"})
	var in *report.InputError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, report.FieldAdvisoryID, in.Field)

	renamed, err := act(h, "triager", b.ID, report.ActionAdvisory, report.Input{AdvisoryID: "MMSA-2026-10"})
	require.NoError(t, err)
	assert.Equal(t, "MMSA-2026-10", renamed.AdvisoryID)
	_, err = act(h, "triager", a.ID, report.ActionAdvisory, report.Input{AdvisoryID: "MMSA-2026-2"})
	assert.NoError(t, err, "MMSA-2026-2 was freed by the rename")

	// A generated id skips numbers taken by hand.
	c := fixedReport(t, h, "carol", "2026-03-02", report.Input{AdvisoryID: "MMSA-2026-3"})
	assert.Equal(t, "MMSA-2026-3", c.AdvisoryID)
	d := fixedReport(t, h, "dave", "2026-03-02", report.Input{})
	assert.Equal(t, "MMSA-2026-4", d.AdvisoryID)
}

func TestEmbargoDisclosesOnTheDateOnce(t *testing.T) {
	c := newCluster()
	notes := c.bot.Followups
	settings := servicetest.Options{TriageChannelID: servicetest.Fixed("c"),
		Disclosure: servicetest.Fixed(config.Disclosure{DelayDays: 30}), SecurityUpdatesURL: servicetest.Fixed("https://x/security-updates")}
	a, b := c.server(settings), c.server(settings)
	r, _, err := a.Intake.File("alice", validFiling("x"))
	require.NoError(t, err)
	for _, action := range []report.Action{report.ActionTake, report.ActionConfirm} {
		_, err := a.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Action: action})
		require.NoError(t, err)
	}
	_, err = a.Triage.Act(service.Action{ActorID: "triager", ReportID: r.ID, Action: report.ActionFix,
		Input: report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1", Released: "2026-03-10"}}, PublicTitle: "XSS in headers"}})
	require.NoError(t, err)

	runBoth := func() {
		var wg sync.WaitGroup
		for _, srv := range []*servicetest.Env{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				srv.Clocks.RunJob()
			}()
		}
		wg.Wait()
	}
	// Before the date (30 days after 2026-03-10): nothing is public.
	c.clock = time.Date(2026, 4, 8, 23, 59, 0, 0, time.UTC)
	runBoth()
	got, _ := a.Store.Get(r.ID)
	assert.Equal(t, report.StatusFixed, got.Status)
	u := publicAdvisories(t, a.Disclosure)
	assert.Empty(t, u, "an embargoed advisory is not public")

	c.clock = time.Date(2026, 4, 9, 0, 0, 0, 0, time.UTC)
	runBoth()
	got, _ = a.Store.Get(r.ID)
	assert.Equal(t, report.StatusDisclosed, got.Status)
	disclosures := 0
	for _, e := range got.Timeline {
		if e.Action == report.ActionDisclose {
			disclosures++
			assert.Equal(t, report.ActorSystem, e.ActorKind)
		}
	}
	assert.Equal(t, 1, disclosures, "disclosed once, by the system")
	assert.Len(t, notes.Channel, 1, "one note in the triage channel")
	assert.Contains(t, notes.Channel[0], "MMSA-2026-1")
	u = publicAdvisories(t, a.Disclosure)
	require.Len(t, u, 1)
	assert.Equal(t, "XSS in headers", u[0].Title)
	assert.Equal(t, c.clock, u[0].Published)
}

func TestPublishEarlyAndPostpone(t *testing.T) {
	h := newHarness(t)
	r := fixedReport(t, h, "alice", "2026-03-10", report.Input{})
	date, ok := r.DisclosureDate(30)
	require.True(t, ok)
	assert.Equal(t, "2026-04-09", date.Format(report.DateLayout))

	early, err := act(h, "triager", r.ID, report.ActionAdvisory, report.Input{DiscloseOn: "2026-03-20"})
	require.NoError(t, err)
	note := early.Timeline[len(early.Timeline)-1].Note
	assert.Equal(t, "Publish early: disclosure moved from 2026-04-09 to 2026-03-20.", note)

	later, err := act(h, "triager", r.ID, report.ActionAdvisory, report.Input{DiscloseOn: "2026-05-01"})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(later.Timeline[len(later.Timeline)-1].Note, "Postponed: disclosure moved from 2026-03-20 to 2026-05-01"))

	// The job follows the date the team set.
	h.now = time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)
	h.svc.Clocks.RunJob()
	got, _ := h.store.Get(r.ID)
	assert.Equal(t, report.StatusFixed, got.Status, "postponed past the default date")
	h.now = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	h.svc.Clocks.RunJob()
	got, _ = h.store.Get(r.ID)
	assert.Equal(t, report.StatusDisclosed, got.Status)
	assert.Contains(t, h.notify.DMs[r.ID][len(h.notify.DMs[r.ID])-1], "publicly disclosed")
}

func TestAdvisoryEditsAfterDisclosureReachThePublicList(t *testing.T) {
	h := newHarness(t)
	r := fixedReport(t, h, "alice", "2026-03-10", report.Input{PublicTitle: "First title"})
	_, err := act(h, "triager", r.ID, report.ActionDisclose, report.Input{})
	require.NoError(t, err)
	u := publicAdvisories(t, h.svc.Disclosure)
	require.Len(t, u, 1)
	assert.Equal(t, "First title", u[0].Title)
	assert.Equal(t, "Ada from Example", u[0].Credit, "credited as the researcher asked")
	rev, err := h.svc.Disclosure.SecurityUpdatesRevision()
	require.NoError(t, err)

	_, err = act(h, "triager", r.ID, report.ActionAdvisory, report.Input{PublicTitle: "Better title", CVEID: "CVE-2026-12345"})
	require.NoError(t, err)
	u = publicAdvisories(t, h.svc.Disclosure)
	assert.Equal(t, "Better title", u[0].Title)
	assert.Equal(t, "CVE-2026-12345", u[0].CVE)
	after, err := h.svc.Disclosure.SecurityUpdatesRevision()
	require.NoError(t, err)
	assert.Greater(t, after, rev)

	_, err = h.svc.HallOfFame.SetReportCredit("alice", r.ID, false)
	require.NoError(t, err)
	u = publicAdvisories(t, h.svc.Disclosure)
	assert.Empty(t, u[0].Credit, "opting out removes the credit at once")
}
