// Package routes names the plugin's HTTP routes. The api package serves them;
// the slash commands, the bot's cards and the plugin's wiring link to them. It
// lives apart from api so that linking to a route never needs the handlers.
package routes

import "net/url"

// PluginPath is the server-relative path every route of the plugin hangs
// under: "/plugins/<id>".
func PluginPath(pluginID string) string { return "/plugins/" + pluginID }

// Dialog submissions and button presses.
const (
	ReportDialog    = "/dialog/report"
	ActionDialog    = "/dialog/action"
	CreditDialog    = "/dialog/credit" //nolint:gosec // a route path, not a credential
	StagingDialog   = "/dialog/staging"
	StagingDecision = "/dialog/staging/decide"
	// HallImportDialog takes the historical Hall of Fame pasted by an admin.
	HallImportDialog = "/dialog/hall-of-fame-import"
	// CardAction takes the presses of a report card's buttons.
	CardAction = "/action"
	// StagingAction takes the presses of a staging request card's buttons.
	StagingAction = "/staging/action"
)

// The webapp's REST API; every route needs a logged-in user.
const (
	Mine         = "/api/v1/reports/mine"
	Queue        = "/api/v1/reports/queue"
	Report       = "/api/v1/reports/{id:[0-9]+}"
	ReportAction = "/api/v1/reports/{id:[0-9]+}/actions/{action}"
	// Stats serves program metrics to system admins.
	Stats = "/api/v1/stats"
	// HallOfFameImport replaces the imported historical list (system admins).
	HallOfFameImport = "/api/v1/hall-of-fame/import"
)

// Public pages and files, served to anyone.
const (
	Policy              = "/policy"
	HallOfFame          = "/hall-of-fame"
	HallOfFameJSON      = "/api/v1/hall-of-fame"
	SecurityTxt         = "/security.txt"
	PGPKey              = "/pgp-key.txt"
	SecurityUpdates     = "/security-updates"
	SecurityUpdate      = "/security-updates/{id}"
	SecurityUpdatesJSON = "/api/v1/security-updates"
	AdvisoryOSV         = "/api/v1/advisories/{id}.osv.json"
	AdvisoriesOSV       = "/api/v1/advisories.osv.json"
)

// AdvisoryPage is the page of the public advisory id, under updates, the
// Security Updates listing's URL.
func AdvisoryPage(updates, id string) string { return updates + "/" + url.PathEscape(id) }
