package command

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/dialog"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

func TestParseNameAndUser(t *testing.T) {
	tests := []struct {
		rest, name, user string
	}{
		{`"Bastian Ike" @bastian`, "Bastian Ike", "bastian"},
		{`Bastian  Ike @Bastian.Ike`, "Bastian Ike", "bastian.ike"},
		{`“Bastian Ike” @bastian`, "Bastian Ike", "bastian"},
		{`"Bastian Ike"`, "Bastian Ike", ""},
		{`@bastian`, "", "bastian"},
		{`"mail@example.com"`, "mail@example.com", ""},
		{``, "", ""},
	}
	for _, tt := range tests {
		name, user := parseNameAndUser(tt.rest)
		assert.Equal(t, tt.name, name, tt.rest)
		assert.Equal(t, tt.user, user, tt.rest)
	}
}

type commandHarness struct {
	router   *Router
	svc      *servicetest.Env
	settings config.Settings
	dialogs  []model.Dialog
}

func newCommandHarness(t *testing.T) *commandHarness {
	t.Helper()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	h := &commandHarness{settings: config.Defaults()}
	h.settings.Public.HallOfFame = true
	h.svc = servicetest.New(servicetest.Options{
		Directory: servicetest.Directory{"triager": true, "admin": true},
		Intake:    servicetest.Fixed(config.Intake{Products: h.settings.Intake.Products, MaxReportsPerDay: 50}),
		Now:       clock,
	})
	signer, err := signing.New(bytes.Repeat([]byte{7}, signing.KeySize), clock)
	require.NoError(t, err)
	users := map[string]string{"bastian": "u-bastian", "alice": "alice"}
	h.router = New(Deps{
		Intake:       h.svc.Intake,
		Triage:       h.svc.Triage,
		Conversation: h.svc.Conversation,
		Clocks:       h.svc.Clocks,
		Staging:      h.svc.Staging,
		HallOfFame:   h.svc.HallOfFame,
		Signer:       signer,
		OpenDialog: func(_, _ string, d model.Dialog) error {
			h.dialogs = append(h.dialogs, d)
			return nil
		},
		PluginURL:  func() string { return "https://chat.example.com/plugins/x" },
		PluginPath: "/plugins/x",
		Now:        clock,
		UserIDByUsername: func(username string) (string, error) {
			if id, ok := users[username]; ok {
				return id, nil
			}
			return "", errors.New("no such user")
		},

		Products:       func() []string { return h.settings.Intake.Products },
		StagingMaxDays: func() int { return h.settings.Staging.MaxDays },
		Public:         func() config.Public { return h.settings.Public },
	}, func() (bool, string) { return true, "" })
	return h
}

func (h *commandHarness) run(user, line string) string {
	return h.router.Execute(user, "c1", "t1", "", "trigger", line).Text
}

// disclose files a report by user, credited (or not) under name, and takes it
// to disclosed.
func (h *commandHarness) disclose(t *testing.T, user, name string, credit bool) *report.Report {
	t.Helper()
	r, errs, err := h.svc.Intake.File(user, service.Filing{Report: report.Report{
		Title: "XSS", Product: "Server", Estimate: report.RatingHigh, TestedOn: report.TestedOnOwnInstallation,
		Description: "d", Steps: "s", Impact: "i", WantsCredit: credit,
	}, Credit: report.CreditProfile{DisplayName: name}})
	require.NoError(t, err)
	require.Empty(t, errs)
	for _, a := range []service.Action{
		{Action: report.ActionTake}, {Action: report.ActionConfirm},
		{Action: report.ActionFix, Input: report.Input{FixedIn: []report.FixedVersion{{Version: "11.5.1"}}}},
		{Action: report.ActionDisclose},
	} {
		a.ActorID, a.ReportID = "triager", r.ID
		_, err := h.svc.Triage.Act(a)
		require.NoError(t, err)
	}
	return r
}

func TestHallOfFameCommandRendersNamesInert(t *testing.T) {
	h := newCommandHarness(t)
	assert.Contains(t, h.run("alice", "/security halloffame"), "No one is listed yet.")

	h.disclose(t, "mallory", "@channel <script>x</script> `tick`", true)
	h.disclose(t, "mallory", "@channel <script>x</script> `tick`", true)
	out := h.run("alice", "/security halloffame")
	assert.Contains(t, out, "1. `` @channel <script>x</script> `tick` `` (2 contributions)")
	assert.Contains(t, out, "https://chat.example.com/plugins/x/hall-of-fame")

	h.settings.Public.HallOfFame = false
	assert.Equal(t, "The Hall of Fame is not public on this server.", h.run("alice", "/security halloffame"))
	assert.Contains(t, h.run("admin", "/security halloffame"), "only system admins see this list")
}

func TestCreditCommandTogglesOneReport(t *testing.T) {
	h := newCommandHarness(t)
	r := h.disclose(t, "alice", "Alice", false)
	key := r.Key()

	assert.Contains(t, h.run("bob", "/security credit "+key+" on"), "No report with that id was found among yours", "others get the unknown-id answer")
	assert.Contains(t, h.run("alice", "/security credit "+key+" maybe"), "Usage:")
	assert.Contains(t, h.run("alice", "/security credit "+key+" on"), "the public Hall of Fame counts it now")
	assert.Contains(t, h.run("alice", "/security halloffame"), "1. ` Alice `")
	assert.Contains(t, h.run("alice", "/security credit "+key+" off"), "no longer counts it")
	assert.Contains(t, h.run("alice", "/security halloffame"), "No one is listed yet.")
	assert.Contains(t, h.run("alice", "/security credit"), "You are credited as", "the plain command still shows the profile")
}

func TestHallOfFameAdminCommands(t *testing.T) {
	h := newCommandHarness(t)
	for _, line := range []string{"/security halloffame import", `/security halloffame link "Bastian Ike" @bastian`, "/security halloffame unlink @bastian"} {
		assert.Equal(t, notAdminText, h.run("triager", line), line)
	}
	assert.Empty(t, h.dialogs)

	assert.Empty(t, h.run("admin", "/security halloffame import"), "the dialog opens")
	require.Len(t, h.dialogs, 1)
	assert.Equal(t, dialog.KindHallImport, h.dialogs[0].CallbackId)
	assert.NoError(t, h.dialogs[0].IsValid(), "the server accepts the dialog")

	data, err := os.ReadFile("../halloffame/testdata/hall-of-fame-2026.csv")
	require.NoError(t, err)
	entries, err := halloffame.ParseCSV(data)
	require.NoError(t, err)
	_, err = h.svc.HallOfFame.Import("admin", entries)
	require.NoError(t, err)

	assert.Equal(t, linkUsage, h.run("admin", "/security halloffame link Bastian Ike"))
	assert.Contains(t, h.run("admin", `/security halloffame link "Bastian Ike" @nobody`), "No user ` @nobody ` was found.")
	assert.Contains(t, h.run("admin", `/security halloffame link "@all" @bastian`), "No imported Hall of Fame entry is named ` @all `.", "names are rendered inert")
	assert.Contains(t, h.run("admin", `/security halloffame link "bastian ike" @bastian`), "Linked ` Bastian Ike ` to ` @bastian `")

	h.disclose(t, "u-bastian", "Bastian Ike", true)
	assert.Contains(t, h.run("alice", "/security halloffame"), "3. ` Bastian Ike ` (3 contributions)")

	assert.Contains(t, h.run("admin", `/security halloffame link "Paddy Steed" @bastian`), "That user is already linked to ` Bastian Ike `")
	assert.Equal(t, unlinkUsage, h.run("admin", "/security halloffame unlink"))
	assert.Contains(t, h.run("admin", "/security halloffame unlink @bastian"), "Unlinked ` Bastian Ike `")
	assert.Contains(t, h.run("admin", `/security halloffame unlink "Bastian Ike"`), "` Bastian Ike ` is not linked to any user.")
}
