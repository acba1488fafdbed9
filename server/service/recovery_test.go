package service_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// A filing killed after its record was stored, at each point of its
// announcement, is finished by the restarted plugin's replay: the report ends
// with exactly one card and one receipt, both linked, whatever had been posted
// before the crash; a second replay changes nothing.
func TestReplayFinishesAFilingCutShort(t *testing.T) {
	tests := []struct {
		name                string
		cardPosted, receipt bool
	}{
		{"killed before the card", false, false},
		{"killed after the card, before the receipt", true, false},
		{"killed after both, before they were linked", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster()
			dead := c.server(servicetest.Options{Host: "srv1"})
			r, _, err := dead.Store.FileAnnouncing(report.Report{
				ReporterID: "alice", Title: "XSS", Product: "Server", TriageChannelID: "triage",
				Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", TestedOn: report.TestedOnOwnInstallation,
				Description: "d", Steps: "s", Impact: "i",
			}, 0, c.clock)
			require.NoError(t, err) // and the process dies: done is never called
			var earlyCard string
			if tt.cardPosted {
				earlyCard, err = c.bot.PostCard(r, event.CardView{})
				require.NoError(t, err)
			}
			if tt.receipt {
				_, err = c.bot.SendReceipt(r, sla.Target{})
				require.NoError(t, err)
			}

			restarted := c.server(servicetest.Options{Host: "srv1"})
			res, err := restarted.Recovery.Replay(store.ReplayAll)
			require.NoError(t, err)
			assert.Equal(t, []int{r.ID}, res.Orphaned)
			again, err := restarted.Recovery.Replay(store.ReplayAll)
			require.NoError(t, err)
			assert.Zero(t, again.Replayed, "the first replay cleared the intent")

			got, err := restarted.Store.Get(r.ID)
			require.NoError(t, err)
			assert.Equal(t, []string{got.CardPostID}, cardsOf(c.bot.Notifier, r.ID), "exactly one card, linked")
			if tt.cardPosted {
				assert.Equal(t, earlyCard, got.CardPostID, "the card posted before the crash is the one linked")
			}
			assert.Equal(t, c.bot.Receipts[r.ID], got.ThreadRootID, "the receipt is linked")
			assert.NotEmpty(t, got.ThreadRootID)
			assert.Equal(t, got.Version, c.bot.Notifier.Cards[got.CardPostID].Version, "the card's buttons carry the linked version")
		})
	}
}

// Another server's young filing is synced by activation but not announced:
// its writer may be posting the card right now.
func TestReplayLeavesAnotherServersFilingToIt(t *testing.T) {
	c := newCluster()
	live := c.server(servicetest.Options{Host: "srv2"})
	r, done, err := live.Store.FileAnnouncing(report.Report{
		ReporterID: "alice", Title: "XSS", Product: "Server", TriageChannelID: "triage",
		Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", TestedOn: report.TestedOnOwnInstallation,
		Description: "d", Steps: "s", Impact: "i",
	}, 0, c.clock)
	require.NoError(t, err)
	defer done.Done()
	activating := c.server(servicetest.Options{Host: "srv1"})
	res, err := activating.Recovery.Replay(store.ReplayAll)
	require.NoError(t, err)
	assert.Equal(t, []int{r.ID}, res.Reports)
	assert.Empty(t, res.Orphaned)
	assert.Empty(t, cardsOf(c.bot.Notifier, r.ID), "no card posted beside the live writer")
}

// cardsOf lists the cards recorded for report id that were not deleted.
func cardsOf(n *servicetest.Notifier, id int) []string {
	var out []string
	for postID, r := range n.Cards {
		if r.ID == id && !n.Deleted[postID] {
			out = append(out, postID)
		}
	}
	return out
}

// A filing answers once its card and receipt are posted; the rest (the link,
// the posts' indexes, the full text) follows. A process that dies in between
// left the intent: the replay links the posts it finds and brings the indexes
// in line, posting no second card or receipt.
func TestReplayFinishesAFilingAnsweredBeforeItsLink(t *testing.T) {
	c := newCluster()
	var kept []func() // the work the dead process never ran
	dead := c.server(servicetest.Options{Host: "srv1", Later: func(work func()) { kept = append(kept, work) }})
	r, errs, err := dead.Intake.File("alice", validFiling("XSS"))
	require.NoError(t, err)
	require.Empty(t, errs)
	require.Len(t, kept, 1, "the link and the indexes wait for later")
	assert.NotEmpty(t, r.CardPostID, "the researcher is answered with the card posted")
	assert.NotEmpty(t, r.ThreadRootID, "and the receipt sent")
	stored, err := dead.Store.Get(r.ID)
	require.NoError(t, err)
	assert.Empty(t, stored.CardPostID, "the link follows the answer")

	restarted := c.server(servicetest.Options{Host: "srv1"})
	res, err := restarted.Recovery.Replay(store.ReplayAll)
	require.NoError(t, err)
	assert.Equal(t, []int{r.ID}, res.Orphaned)

	got, err := restarted.Store.Get(r.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{r.CardPostID}, cardsOf(c.bot.Notifier, r.ID), "the card posted before the crash, and no other")
	assert.Equal(t, r.CardPostID, got.CardPostID)
	assert.Equal(t, r.ThreadRootID, got.ThreadRootID, "the receipt sent before the crash")
	assert.Equal(t, got.Version, c.bot.Notifier.Cards[got.CardPostID].Version, "the card's buttons carry the linked version")
}

// Run as the plugin runs it, the work after a filing's answer posts the full
// text and clears the intent; the report returned is as it is stored.
func TestAFilingsLaterWorkLinksItsPosts(t *testing.T) {
	var kept []func()
	env := servicetest.New(servicetest.Options{Later: func(work func()) { kept = append(kept, work) }})
	f := validFiling("XSS")
	var confirmed []*report.Report
	f.Confirm = func(filed *report.Report) { confirmed = append(confirmed, filed) }
	r, _, err := env.Intake.File("alice", f)
	require.NoError(t, err)
	assert.Empty(t, env.Bot.Notifier.Threads[r.CardPostID], "the full text follows the answer")
	assert.Empty(t, confirmed, "the confirmation follows the answer")
	for _, work := range kept {
		work()
	}
	require.Len(t, confirmed, 1, "the researcher is told once")
	assert.Equal(t, r.CardPostID, confirmed[0].CardPostID, "once the report is linked")
	got, err := env.Store.Get(r.ID)
	require.NoError(t, err)
	assert.Equal(t, r.CardPostID, got.CardPostID)
	assert.Equal(t, r.ThreadRootID, got.ThreadRootID)
	assert.Equal(t, r.Version, got.Version, "File returned the version the link stored")
	assert.NotEmpty(t, env.Bot.Notifier.Threads[r.CardPostID], "the full text is in the card's thread")
	res, err := env.Recovery.Replay(store.ReplayAll)
	require.NoError(t, err)
	assert.Zero(t, res.Replayed, "the filing's intent was cleared")
}

// A disclosure whose process died after the record was stored, before the
// Hall of Fame and the Security Updates followed, left its intent: the
// restarted plugin's replay puts it on both lists.
func TestReplayFinishesADisclosureCutShortBeforeThePublicLists(t *testing.T) {
	c := newCluster()
	dead := c.server(servicetest.Options{Host: "srv1"})
	h := &harness{svc: dead, store: dead.Store}
	r := fileAs(t, h, "alice", "Alice A.", true)
	driveTo(t, h, r.ID, report.StatusFixed)

	// The dead process: the record is disclosed, done is never called and
	// nothing after the store ran.
	_, _, err := dead.Store.UpdateAnnouncing(r.ID, 0, func(cur *report.Report) error {
		_, err := report.Apply(cur, report.ActionDisclose, report.Triager("triager"), report.Input{At: c.clock})
		return err
	})
	require.NoError(t, err)
	assert.Empty(t, hallLines(t, h), "not on the Hall of Fame yet")
	u := publicAdvisories(t, h.svc.Disclosure)
	assert.Empty(t, u, "nor on the Security Updates")

	restarted := c.server(servicetest.Options{Host: "srv1"})
	h = &harness{svc: restarted, store: restarted.Store}
	res, err := restarted.Recovery.Replay(store.ReplayAll)
	require.NoError(t, err)
	assert.Contains(t, res.Reports, r.ID)
	assert.Equal(t, []string{"Alice A."}, hallLines(t, h))
	u = publicAdvisories(t, h.svc.Disclosure)
	require.Len(t, u, 1)
	assert.Equal(t, "Alice A.", u[0].Credit)
}
