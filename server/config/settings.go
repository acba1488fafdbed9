// Package config turns the plugin's settings, as the admin saves them in the
// System Console, into one typed value, and decides which saved values are
// refused. Every setting is one row of the table in table.go; its default and
// display name come from plugin.json, never from Go.
package config

// Settings is the parsed configuration. It is built whole by Parse and never
// changed afterwards: a configuration change builds a new one. Readers share
// its slices and maps and must not modify them.
type Settings struct {
	Triage     Triage
	Intake     Intake
	Clocks     Clocks
	Staging    Staging
	Disclosure Disclosure
	Public     Public
}

// Triage names where report cards go.
type Triage struct {
	// Team is the team's URL name, lowercased; empty until the admin chooses one.
	Team string
	// Channel is the private triage channel's URL name.
	Channel string
}

// IsConfigured says whether the admin has chosen the triage team; without it the
// plugin cannot post cards anywhere.
func (t Triage) IsConfigured() bool {
	return t.Team != ""
}

// Intake governs filing a report.
type Intake struct {
	// Products are what researchers choose from, in the admin's order and spelling.
	Products []string
	// MaxReportsPerDay is how many reports one researcher may file per UTC day.
	MaxReportsPerDay int
	// ShowAssignee lets reporter DMs name the triager who took a report.
	ShowAssignee bool
}

// Staging bounds staging-server requests.
type Staging struct {
	// MaxDays is the longest window a researcher may ask for, or the team grant.
	MaxDays int
	// MaxOpen is how many pending or approved requests one researcher may hold.
	MaxOpen int
}

// Disclosure governs advisories and the Security Updates page.
type Disclosure struct {
	// DelayDays is how long after a fix's release its advisory becomes public.
	DelayDays int
	// SecurityUpdates turns the public Security Updates routes on.
	SecurityUpdates bool
	// OSV names the affected package of OSV exports; both parts empty when the
	// admin has named none (no package is guessed).
	OSV OSVPackage
}

// OSVPackage is a package in an OSV ecosystem.
type OSVPackage struct {
	Ecosystem string
	Name      string
}

// Public is what researchers and the public pages see.
type Public struct {
	// Policy is the disclosure policy (Markdown); empty when the admin cleared it.
	Policy string
	// PGPKey is the team's public key; nil when none is configured.
	PGPKey *PublicKey
	// TestServerURL is the community test server's http(s) URL, or empty.
	TestServerURL string
	// HallOfFame turns the public Hall of Fame on.
	HallOfFame  bool
	SecurityTxt SecurityTxt
}

// SecurityTxt are the optional fields of security.txt (RFC 9116).
type SecurityTxt struct {
	// ContactEmail is a second Contact, or empty.
	ContactEmail string
	// Languages are the Preferred-Languages tags, in order; empty leaves the field out.
	Languages []string
	// Canonical are the https URLs where the file is published.
	Canonical []string
}
