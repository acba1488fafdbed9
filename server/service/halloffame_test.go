package service_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

// fileAs files a report by reporter, credited (or not) under name.
func fileAs(t *testing.T, h *harness, reporter, name string, credit bool) *report.Report {
	t.Helper()
	f := validFiling("XSS by " + reporter)
	f.Report.WantsCredit = credit
	f.Credit = report.CreditProfile{DisplayName: name}
	r, errs, err := h.svc.Intake.File(reporter, f)
	require.NoError(t, err)
	require.Empty(t, errs)
	return r
}

// driveTo takes a filed report through the triage steps up to status.
func driveTo(t *testing.T, h *harness, id int, status report.Status) {
	t.Helper()
	steps := []struct {
		action report.Action
		in     report.Input
		to     report.Status
	}{
		{report.ActionTake, report.Input{}, report.StatusTriaging},
		{report.ActionConfirm, report.Input{}, report.StatusConfirmed},
		{report.ActionFix, report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1"}}}, report.StatusFixed},
		{report.ActionDisclose, report.Input{}, report.StatusDisclosed},
	}
	for _, s := range steps {
		_, err := act(h, "triager", id, s.action, s.in)
		require.NoError(t, err, s.action)
		if s.to == status {
			return
		}
	}
}

func hallLines(t *testing.T, h *harness) []string {
	t.Helper()
	view, err := h.svc.HallOfFame.List()
	require.NoError(t, err)
	out := make([]string, len(view.Entries))
	for i, e := range view.Entries {
		out[i] = e.Line()
	}
	return out
}

func TestDisclosureWithCreditJoinsTheHallOfFame(t *testing.T) {
	h := newHarness(t)
	alice := fileAs(t, h, "alice", "Alice A.", true)
	bob := fileAs(t, h, "bob", "Bob B.", true)
	carol := fileAs(t, h, "carol", "Carol C.", false)
	alice2 := fileAs(t, h, "alice", "Alice A.", true)

	driveTo(t, h, alice.ID, report.StatusFixed)
	assert.Empty(t, hallLines(t, h), "a fixed report is embargoed: it counts only once disclosed")

	rev0, err := h.svc.HallOfFame.Revision()
	require.NoError(t, err)
	driveTo(t, h, carol.ID, report.StatusDisclosed)
	rev1, err := h.svc.HallOfFame.Revision()
	require.NoError(t, err)
	assert.Equal(t, rev0, rev1, "a disclosure without credit does not touch the list")

	h.now = t0.Add(24 * time.Hour)
	_, err = act(h, "triager", alice.ID, report.ActionDisclose, report.Input{})
	require.NoError(t, err)
	h.now = t0.Add(48 * time.Hour)
	driveTo(t, h, bob.ID, report.StatusDisclosed)
	assert.Equal(t, []string{"Bob B.", "Alice A."}, hallLines(t, h), "one each: the more recent first; Carol asked for no credit")

	h.now = t0.Add(72 * time.Hour)
	driveTo(t, h, alice2.ID, report.StatusDisclosed)
	assert.Equal(t, []string{"Alice A. (2 contributions)", "Bob B."}, hallLines(t, h))

	// A message on a disclosed report changes nothing on the list.
	rev2, err := h.svc.HallOfFame.Revision()
	require.NoError(t, err)
	_, err = act(h, "triager", bob.ID, report.ActionMessage, report.Input{Note: "thanks"})
	require.NoError(t, err)
	rev3, err := h.svc.HallOfFame.Revision()
	require.NoError(t, err)
	assert.Equal(t, rev2, rev3)
}

func TestReportCreditToggle(t *testing.T) {
	h := newHarness(t)
	alice := fileAs(t, h, "alice", "Alice A.", false)
	driveTo(t, h, alice.ID, report.StatusDisclosed)
	assert.Empty(t, hallLines(t, h))

	// Only the reporter may toggle; anyone else gets the unknown-id answer.
	for _, other := range []string{"bob", "triager", "admin"} {
		_, err := h.svc.HallOfFame.SetReportCredit(other, alice.ID, true)
		assert.ErrorIs(t, err, service.ErrNotFound, other)
	}
	_, err := h.svc.HallOfFame.SetReportCredit("alice", 999, true)
	assert.ErrorIs(t, err, service.ErrNotFound)
	assert.Empty(t, hallLines(t, h))

	r, err := h.svc.HallOfFame.SetReportCredit("alice", alice.ID, true)
	require.NoError(t, err)
	assert.True(t, r.WantsCredit)
	assert.Equal(t, []string{"Alice A."}, hallLines(t, h), "turning credit on for a disclosed report lists it at once")
	assert.True(t, h.notify.Cards[r.CardPostID].WantsCredit, "the card shows the new choice")
	for _, b := range h.notify.Buttons[r.CardPostID] {
		assert.Equal(t, r.Version, b.Context["version"], "the card's buttons carry the new version")
	}

	_, err = h.svc.HallOfFame.SetReportCredit("alice", alice.ID, false)
	require.NoError(t, err)
	assert.Empty(t, hallLines(t, h), "turning it off removes it at once")

	// Credit needs a name.
	nameless := fileAs(t, h, "dave", "", false)
	_, err = h.svc.HallOfFame.SetReportCredit("dave", nameless.ID, true)
	assert.ErrorIs(t, err, service.ErrNoCreditName)
}

func TestCreditProfileChangesShowAtOnce(t *testing.T) {
	h := newHarness(t)
	alice := fileAs(t, h, "alice", "Alice A.", true)
	bob := fileAs(t, h, "bob", "Bob B.", true)
	driveTo(t, h, alice.ID, report.StatusDisclosed)
	driveTo(t, h, bob.ID, report.StatusDisclosed)
	require.Equal(t, []string{"Alice A.", "Bob B."}, hallLines(t, h))

	_, err := h.svc.HallOfFame.SaveCreditProfile("alice", report.CreditProfile{DisplayName: "<script>alert(1)</script>", Affiliation: "from \"Q\" & Co"})
	require.NoError(t, err)
	assert.Equal(t, []string{"<script>alert(1)</script> from \"Q\" & Co", "Bob B."}, hallLines(t, h), "names are kept as written; escaping is the renderer's job")

	_, err = h.svc.HallOfFame.SaveCreditProfile("alice", report.CreditProfile{})
	require.NoError(t, err)
	assert.Equal(t, []string{"Bob B."}, hallLines(t, h), "opting out removes the entry at once")

	// A later filing that gives a name opts back in.
	fileAs(t, h, "alice", "Alice again", false)
	assert.Equal(t, []string{"Alice again", "Bob B."}, hallLines(t, h))

	// Someone never credited changes nothing.
	rev, err := h.svc.HallOfFame.Revision()
	require.NoError(t, err)
	_, err = h.svc.HallOfFame.SaveCreditProfile("zed", report.CreditProfile{DisplayName: "Zed"})
	require.NoError(t, err)
	after, err := h.svc.HallOfFame.Revision()
	require.NoError(t, err)
	assert.Equal(t, rev, after)
}

func publishedCSV(t *testing.T) []halloffame.ImportedEntry {
	t.Helper()
	data, err := os.ReadFile("../halloffame/testdata/hall-of-fame-2026.csv")
	require.NoError(t, err)
	entries, err := halloffame.ParseCSV(data)
	require.NoError(t, err)
	return entries
}

func TestImportAndLinkAreForSystemAdmins(t *testing.T) {
	h := newHarness(t)
	entries := publishedCSV(t)
	for _, who := range []string{"alice", "triager"} {
		_, err := h.svc.HallOfFame.Import(who, entries)
		assert.ErrorIs(t, err, service.ErrNotAdmin, who)
		_, err = h.svc.HallOfFame.Link(who, "Bastian Ike", "bastian")
		assert.ErrorIs(t, err, service.ErrNotAdmin, who)
		_, err = h.svc.HallOfFame.Unlink(who, "Bastian Ike", "")
		assert.ErrorIs(t, err, service.ErrNotAdmin, who)
	}
	assert.Empty(t, hallLines(t, h))

	res, err := h.svc.HallOfFame.Import("admin", entries)
	require.NoError(t, err)
	assert.Equal(t, 17, res.Imported)
	got := hallLines(t, h)
	require.Len(t, got, 17)
	assert.Equal(t, "Andreas Lindh (11 contributions)", got[0])
	assert.Equal(t, "Alyssa Milburn", got[16])

	// Bastian files and is disclosed with credit, then an admin links him.
	r := fileAs(t, h, "bastian", "Bastian Ike", true)
	driveTo(t, h, r.ID, report.StatusDisclosed)
	assert.Len(t, hallLines(t, h), 18, "unlinked, his earned credit is an entry of its own")

	linked, err := h.svc.HallOfFame.Link("admin", "bastian ike", "bastian")
	require.NoError(t, err)
	assert.Equal(t, "Bastian Ike", linked)
	got = hallLines(t, h)
	require.Len(t, got, 17)
	assert.Equal(t, "Bastian Ike (3 contributions)", got[2], "2 imported + 1 earned, the latest now: ahead of Uchida Taishi")

	_, err = h.svc.HallOfFame.Link("admin", "Nobody", "bastian")
	var le *halloffame.LinkError
	assert.ErrorAs(t, err, &le)

	unlinked, err := h.svc.HallOfFame.Unlink("admin", "", "bastian")
	require.NoError(t, err)
	assert.Equal(t, "Bastian Ike", unlinked)
	assert.Len(t, hallLines(t, h), 18)
}

func TestTheCheckRepairsThePublicLists(t *testing.T) {
	h := newHarness(t)
	alice := fileAs(t, h, "alice", "Alice A.", true)
	bob := fileAs(t, h, "bob", "Bob B.", true)
	driveTo(t, h, alice.ID, report.StatusDisclosed)

	// A crash after bob's disclosure was stored, before the aggregate was
	// updated: the record says disclosed, the aggregate does not know.
	driveTo(t, h, bob.ID, report.StatusFixed)
	_, err := h.store.Update(bob.ID, func(r *report.Report) error {
		_, err := report.Apply(r, report.ActionDisclose, report.Triager("triager"), report.Input{At: h.now})
		return err
	})
	require.NoError(t, err)
	// And alice's credit was turned off in the record only.
	_, err = h.store.Update(alice.ID, func(r *report.Report) error { r.WantsCredit = false; return nil })
	require.NoError(t, err)
	assert.Equal(t, []string{"Alice A."}, hallLines(t, h))

	res, err := h.svc.Recovery.CheckAll("admin")
	require.NoError(t, err)
	assert.Equal(t, 4, res.PublicRepairs, "each report in both lists")
	assert.Equal(t, 2, res.Checked)
	assert.Equal(t, []string{"Bob B."}, hallLines(t, h))
	assert.Equal(t, map[int]string{alice.ID: "", bob.ID: "Bob B."}, advisoryCredits(t, h),
		"bob's advisory is published, alice's no longer credits her")

	res, err = h.svc.Recovery.CheckAll("admin")
	require.NoError(t, err)
	assert.Zero(t, res.PublicRepairs, "nothing left to repair")
	assert.Empty(t, res.Repairs, "indexes and summaries agree")

	_, err = h.svc.Recovery.CheckAll("alice")
	assert.ErrorIs(t, err, service.ErrNotAdmin)
}

// Credit toggles racing each other and the profile: the aggregate ends up
// agreeing with the final record and profile.
func TestConcurrentCreditChangesConverge(t *testing.T) {
	h := newHarness(t)
	r := fileAs(t, h, "alice", "Alice A.", true)
	driveTo(t, h, r.ID, report.StatusDisclosed)

	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func(on bool) {
			defer wg.Done()
			_, _ = h.svc.HallOfFame.SetReportCredit("alice", r.ID, on)
		}(i%2 == 0)
		go func(i int) {
			defer wg.Done()
			name := "Alice A."
			if i%3 == 0 {
				name = "Alice B."
			}
			_, _ = h.svc.HallOfFame.SaveCreditProfile("alice", report.CreditProfile{DisplayName: name})
		}(i)
	}
	wg.Wait()

	final, err := h.store.Get(r.ID)
	require.NoError(t, err)
	profile, err := h.svc.HallOfFame.CreditProfile("alice")
	require.NoError(t, err)
	if final.WantsCredit {
		assert.Equal(t, []string{profile.DisplayName}, hallLines(t, h))
		assert.Equal(t, map[int]string{r.ID: profile.DisplayName}, advisoryCredits(t, h))
	} else {
		assert.Empty(t, hallLines(t, h))
		assert.Equal(t, map[int]string{r.ID: ""}, advisoryCredits(t, h))
	}
}

// advisoryCredits maps each public advisory's report to its credit line.
func advisoryCredits(t *testing.T, h *harness) map[int]string {
	t.Helper()
	u := publicAdvisories(t, h.svc.Disclosure)
	out := map[int]string{}
	for _, a := range u {
		out[a.ReportID] = a.Credit
	}
	return out
}

func TestACreditProfileChangeReachesEveryPublicList(t *testing.T) {
	h := newHarness(t)
	credited := fileAs(t, h, "alice", "Alice A.", true)
	uncredited := fileAs(t, h, "alice", "Alice A.", false)
	bob := fileAs(t, h, "bob", "Bob B.", true)
	for _, r := range []*report.Report{credited, uncredited, bob} {
		driveTo(t, h, r.ID, report.StatusDisclosed)
	}
	require.Equal(t, map[int]string{credited.ID: "Alice A.", uncredited.ID: "", bob.ID: "Bob B."}, advisoryCredits(t, h))

	tests := []struct {
		name    string
		profile report.CreditProfile
		hall    []string
		credit  string
	}{
		{"a new name", report.CreditProfile{DisplayName: "Alice Z.", Affiliation: "from Example Labs"}, []string{"Alice Z. from Example Labs", "Bob B."}, "Alice Z. from Example Labs"},
		{"an affiliation alone is no credit", report.CreditProfile{Affiliation: "from Example Labs"}, []string{"Bob B."}, ""},
		{"an empty profile opts out", report.CreditProfile{}, []string{"Bob B."}, ""},
		{"a name again opts back in", report.CreditProfile{DisplayName: "Alice A."}, []string{"Alice A.", "Bob B."}, "Alice A."},
	}
	for _, tt := range tests {
		errs, err := h.svc.HallOfFame.SaveCreditProfile("alice", tt.profile)
		require.NoError(t, err, tt.name)
		require.Empty(t, errs, tt.name)
		assert.Equal(t, tt.hall, hallLines(t, h), "%s: the Hall of Fame", tt.name)
		assert.Equal(t, map[int]string{credited.ID: tt.credit, uncredited.ID: "", bob.ID: "Bob B."}, advisoryCredits(t, h),
			"%s: the Security Updates (pages, JSON and OSV read these)", tt.name)
	}
}
