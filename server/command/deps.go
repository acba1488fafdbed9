package command

import (
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/signing"
)

// Deps is what the sub-commands need.
type Deps struct {
	// The use cases the sub-commands call.
	Intake       *service.Intake
	Triage       *service.Triage
	Conversation *service.Conversation
	Clocks       *service.Clocks
	Staging      *service.Staging
	HallOfFame   *service.HallOfFame
	Recovery     *service.Recovery // `/security admin check`
	Signer       *signing.Signer
	// The settings the sub-commands read, as of the last configuration change:
	// the report form's products, the staging form's longest window, and what
	// /security policy, pgp and halloffame show.
	Products       func() []string
	StagingMaxDays func() int
	Public         func() config.Public
	// OpenDialog opens an interactive dialog for the user who holds triggerID.
	OpenDialog func(triggerID, url string, d model.Dialog) error
	// PluginURL is the absolute URL of the plugin's routes (site URL + /plugins/<id>).
	PluginURL func() string
	// PluginPath is the server-relative path of the plugin's routes, "/plugins/<id>".
	PluginPath string
	Now        func() time.Time
	// UserIDByUsername resolves an @mention for `/security halloffame link`.
	UserIDByUsername func(username string) (string, error)
}

// New builds the /security router with every sub-command.
func New(deps Deps, ready func() (bool, string)) *Router {
	h := &handlers{Deps: deps}
	return NewRouter(ready, deps.Triage.IsTriager, h.routes()...)
}

type handlers struct {
	Deps
}

func (h *handlers) routes() []Route {
	return []Route{
		{Path: "report", Help: "Report a vulnerability privately (opens a form).", Run: h.report},
		{Path: "mine", Help: "List your reports and where they stand.", Run: h.mine},
		{Path: "status", Hint: "SEC-n", Help: "Show the status and history of one of your reports.", Run: h.status},
		{Path: "reply", Hint: "SEC-n <text>", Help: "Add information to one of your reports, as if you replied in its thread.", Run: h.reply},
		{Path: "nudge", Hint: "SEC-n", Help: "Ask the team for an update on a report that missed its target (once a week).", Run: h.nudge},
		{Path: "credit", Hint: "[edit | SEC-n on|off]", Help: "Show how you are credited on the Hall of Fame, edit it, or turn credit on or off for one report.", Run: h.credit},
		{Path: "halloffame", Help: "Show the Hall of Fame.", Run: h.hallOfFame},
		{Path: "halloffame import", Help: "(system admins) Replace the imported historical list by pasting CSV.", TeamOnly: true, Run: h.hallImport},
		{Path: "halloffame link", Hint: "\"<imported name>\" @user", Help: "(system admins) Merge an imported entry with a user's earned credit.", TeamOnly: true, Run: h.hallLink},
		{Path: "admin check", Help: "(system admins) Check that every index and summary agrees with the reports, and repair what does not.", TeamOnly: true, Run: h.adminCheck},
		{Path: "halloffame unlink", Hint: "\"<imported name>\" | @user", Help: "(system admins) Undo a link.", TeamOnly: true, Run: h.hallUnlink},
		{Path: "staging", Help: "Ask for a private staging server for tests that might be disruptive.", Run: h.staging},
		{Path: "staging list", Help: "List staging server requests (yours; the team sees all).", Run: h.stagingList},
		{Path: "policy", Help: "Show the responsible disclosure policy.", Run: h.policy},
		{Path: "pgp", Help: "Show the security team's PGP key, to encrypt your report.", Run: h.pgp},
		{Path: "queue", Help: "List the open reports by status and age.", TeamOnly: true, Run: h.queue},
		{Path: "tell", Hint: "SEC-n <text>", Help: "Send the reporter a message about their report.", TeamOnly: true, Run: h.tell},
		{Path: "stats", Help: "Program metrics: response times and target compliance over 90 days.", TeamOnly: true, Run: h.stats},
		{Path: "show", Hint: "SEC-n", Help: "Show a report's full details and timeline (re-posts a deleted card).", TeamOnly: true, Run: h.show},
	}
}
