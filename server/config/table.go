package config

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// row is one setting: its key in plugin.json and the parser that turns its text
// into a field of Settings, refusing what is out of bounds. Its default and its
// display name are read from plugin.json (see newTable).
type row struct {
	key   string
	parse func(text string, s *Settings) error
	// keepBlank: an empty value is the admin's choice of "none", as the
	// setting's help text says, not a request for the default.
	keepBlank bool
	// blank, when set, replaces "only spaces" as the test of an empty value.
	blank func(text string) bool
}

// crossCheck judges settings that are only valid together. It is judged when
// any of keys changed, and a refusal is reported under the setting report.
type crossCheck struct {
	keys   []string
	report string
	check  func(Settings) []string
}

// keyTeamName is the one setting with a check only the server can make.
const keyTeamName = "TeamName"

// rows is the settings table, in plugin.json's order.
var rows = []row{
	{key: keyTeamName, parse: into(parseTeam, func(s *Settings) *string { return &s.Triage.Team })},
	{key: "ChannelName", parse: into(parseChannel, func(s *Settings) *string { return &s.Triage.Channel })},
	{key: "PolicyText", keepBlank: true, parse: into(verbatim, func(s *Settings) *string { return &s.Public.Policy })},
	{key: "PGPPublicKey", parse: into(parsePGPKey, func(s *Settings) **PublicKey { return &s.Public.PGPKey })},
	{key: "TestServerURL", parse: into(parseHTTPURL, func(s *Settings) *string { return &s.Public.TestServerURL })},
	{key: "Products", blank: noProducts, parse: into(parseProducts, func(s *Settings) *[]string { return &s.Intake.Products })},
	{key: "MaxReportsPerDay", parse: into(parseCount, func(s *Settings) *int { return &s.Intake.MaxReportsPerDay })},

	{key: "FirstResponseTarget", parse: target(func(s *Settings) *sla.Target { return &s.Clocks.FirstResponse })},
	{key: "TriageTarget", parse: target(func(s *Settings) *sla.Target { return &s.Clocks.Triage })},
	{key: "ResolutionTargetCritical", parse: resolutionTarget("critical")},
	{key: "ResolutionTargetHigh", parse: resolutionTarget("high")},
	{key: "ResolutionTargetMedium", parse: resolutionTarget("medium")},
	{key: "ResolutionTargetLow", parse: resolutionTarget("low")},
	{key: "ProgressInterval", parse: target(func(s *Settings) *sla.Target { return &s.Clocks.Progress })},
	{key: "QuestionReminder", parse: target(func(s *Settings) *sla.Target { return &s.Clocks.QuestionReminder })},
	{key: "AutoClose", parse: target(func(s *Settings) *sla.Target { return &s.Clocks.AutoClose })},
	{key: "JobInterval", parse: into(parseJobInterval, func(s *Settings) *time.Duration { return &s.Clocks.JobInterval })},
	{key: "BusinessTimeZone", parse: into(sla.ParseZone, func(s *Settings) **time.Location { return &s.Clocks.Zone })},
	{key: "Responders", parse: into(parseResponders, func(s *Settings) *[]string { return &s.Clocks.Responders })},

	{key: "StagingMaxDays", parse: into(parseStagingDays, func(s *Settings) *int { return &s.Staging.MaxDays })},
	{key: "StagingMaxOpen", parse: into(parseCount, func(s *Settings) *int { return &s.Staging.MaxOpen })},

	{key: "EnableHallOfFame", parse: into(parseBool, func(s *Settings) *bool { return &s.Public.HallOfFame })},
	{key: "EnableSecurityUpdates", parse: into(parseBool, func(s *Settings) *bool { return &s.Disclosure.SecurityUpdates })},
	{key: "DisclosureDelayDays", parse: into(parseDelayDays, func(s *Settings) *int { return &s.Disclosure.DelayDays })},
	{key: "OSVEcosystem", parse: into(trimmed, func(s *Settings) *string { return &s.Disclosure.OSV.Ecosystem })},
	{key: "OSVPackage", parse: into(trimmed, func(s *Settings) *string { return &s.Disclosure.OSV.Name })},

	{key: "SecurityContactEmail", parse: into(parseContactEmail, func(s *Settings) *string { return &s.Public.SecurityTxt.ContactEmail })},
	{key: "SecurityTxtLanguages", keepBlank: true, parse: into(parseLanguages, func(s *Settings) *[]string { return &s.Public.SecurityTxt.Languages })},
	{key: "SecurityTxtCanonical", parse: into(parseCanonical, func(s *Settings) *[]string { return &s.Public.SecurityTxt.Canonical })},
	{key: "ShowAssigneeToReporter", parse: into(parseBool, func(s *Settings) *bool { return &s.Intake.ShowAssignee })},
}

// crossChecks are the rules between rows.
var crossChecks = []crossCheck{
	{keys: []string{"OSVEcosystem", "OSVPackage"}, report: "OSVPackage", check: checkOSVPackage},
}
