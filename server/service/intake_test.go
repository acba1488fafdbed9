package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

func TestFileStoresPostsAndAcknowledges(t *testing.T) {
	h := newHarness(t)
	r, errs, err := h.svc.Intake.File("alice", validFiling("Stored XSS"))
	require.NoError(t, err)
	require.Empty(t, errs)

	assert.Equal(t, "SEC-1", r.Key())
	assert.Equal(t, "Server", r.Product, "the product is stored in the list's spelling")
	assert.Equal(t, "triage-channel", r.TriageChannelID)
	require.NotEmpty(t, r.CardPostID)
	require.NotEmpty(t, r.ThreadRootID)
	assert.Equal(t, h.notify.Receipts[r.ID], r.ThreadRootID, "the receipt DM starts the report's thread")

	card := h.notify.Cards[r.CardPostID]
	require.NotNil(t, card)
	assert.Equal(t, report.StatusSubmitted, card.Status)
	assert.NotEmpty(t, h.notify.Threads[r.CardPostID], "the full text is in the card's thread")
	assert.Equal(t, r.Version, card.Version, "the card is posted with the version linking it makes")
	assert.Zero(t, h.notify.Edits[r.CardPostID], "a new card is posted once, never edited")

	// Both posts lead back to the report.
	for _, postID := range []string{r.CardPostID, r.ThreadRootID} {
		found, err := h.store.FindByPost(postID)
		require.NoError(t, err)
		assert.Equal(t, r.ID, found.ID)
	}

	profile, err := h.svc.HallOfFame.CreditProfile("alice")
	require.NoError(t, err)
	assert.Equal(t, "Ada from Example", profile.Credit(), "the submission updates the credit profile")
}

func TestFileReturnsFieldErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*service.Filing)
		fields []string
	}{
		{"empty title", func(f *service.Filing) { f.Report.Title = " " }, []string{report.FieldTitle}},
		{"unknown product", func(f *service.Filing) { f.Report.Product = "toaster" }, []string{report.FieldProduct}},
		{"bad vector", func(f *service.Filing) { f.Report.Vector = "CVSS:3.1/AV:X" }, []string{report.FieldVector}},
		{"no vector and no estimate", func(f *service.Filing) { f.Report.Vector = "" }, []string{report.FieldEstimate}},
		{"oversized description", func(f *service.Filing) { f.Report.Description = strings.Repeat("a", report.MaxDescriptionRunes+1) }, []string{report.FieldDescription}},
		{"credit without a name", func(f *service.Filing) { f.Credit.DisplayName = "" }, []string{report.FieldDisplayName}},
		{"where tested missing", func(f *service.Filing) { f.Report.TestedOn = "" }, []string{report.FieldTestedOn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			f := validFiling("x")
			tt.mutate(&f)
			r, errs, err := h.svc.Intake.File("alice", f)
			require.NoError(t, err)
			assert.Nil(t, r)
			for _, field := range tt.fields {
				assert.Contains(t, errs, field)
			}
			assert.Equal(t, errs, h.svc.Intake.ValidateFiling("alice", f))
			mine, err := h.svc.Intake.Mine("alice")
			require.NoError(t, err)
			assert.Empty(t, mine, "nothing is stored")
		})
	}
}

func TestFileRateLimit(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 10; i++ {
		h.file(t, "alice")
	}
	_, _, err := h.svc.Intake.File("alice", validFiling("eleventh"))
	assert.ErrorIs(t, err, service.ErrRateLimited)
	h.file(t, "bob") // the limit is per researcher
}

func TestFileCardFailureKeepsTheReport(t *testing.T) {
	h := newHarness(t)
	h.notify.FailCard = true
	r, errs, err := h.svc.Intake.File("alice", validFiling("x"))
	require.NoError(t, err, "the report is stored even if the card cannot be posted")
	require.Empty(t, errs)
	assert.Empty(t, r.CardPostID)
	assert.NotEmpty(t, r.ThreadRootID, "the reporter still gets the receipt")

	// The next look by a triager posts the card.
	h.notify.FailCard = false
	shown, err := h.svc.Triage.ReportForTeam("triager", r.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, shown.CardPostID)
}

func TestReadsAreScopedToTheReporter(t *testing.T) {
	h := newHarness(t)
	r := h.file(t, "alice")

	_, err := h.svc.Intake.ReportFor("alice", r.ID)
	assert.NoError(t, err)
	for _, who := range []string{"bob", "triager", ""} {
		_, err := h.svc.Intake.ReportFor(who, r.ID)
		assert.ErrorIs(t, err, service.ErrNotFound, who)
	}
	_, err = h.svc.Intake.ReportFor("alice", 99)
	assert.ErrorIs(t, err, service.ErrNotFound, "an unknown id answers the same")

	_, err = h.svc.Triage.ReportForTeam("bob", r.ID)
	assert.ErrorIs(t, err, service.ErrNotFound, "a non-triager gets the unknown-id answer")
	_, err = h.svc.Triage.Queue("bob")
	assert.ErrorIs(t, err, service.ErrNotTriager)

	queue, err := h.svc.Triage.Queue("triager")
	require.NoError(t, err)
	require.Len(t, queue, 1)
}

func TestNotSetUp(t *testing.T) {
	h := newHarness(t)
	h.triageChannelID = ""
	_, _, err := h.svc.Intake.File("alice", validFiling("x"))
	assert.ErrorIs(t, err, service.ErrNotSetUp)
}

// A filing saves the credit profile it came with only when it differs from
// the stored one, so filing under the same name again leaves the profile (and
// the Hall of Fame) alone.
func TestAFilingSavesTheCreditProfileOnlyWhenItChanged(t *testing.T) {
	h := newHarness(t)
	h.file(t, "alice")
	first, err := h.store.GetCreditProfile("alice")
	require.NoError(t, err)
	assert.Equal(t, t0, first.Updated)

	h.now = t0.Add(time.Hour)
	h.file(t, "alice")
	same, err := h.store.GetCreditProfile("alice")
	require.NoError(t, err)
	assert.Equal(t, t0, same.Updated, "the same name again: not saved again")

	h.now = t0.Add(2 * time.Hour)
	f := validFiling("CSRF")
	f.Credit.Affiliation = "from Analytical Engines"
	_, errs, err := h.svc.Intake.File("alice", f)
	require.NoError(t, err)
	require.Empty(t, errs)
	changed, err := h.store.GetCreditProfile("alice")
	require.NoError(t, err)
	assert.Equal(t, "from Analytical Engines", changed.Affiliation)
	assert.Equal(t, t0.Add(2*time.Hour), changed.Updated)
}
