package api

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
)

// osvListJSON is one page of the OSV listing: the OSV documents of the page's
// advisories, newest first, shaped like osv.dev's query answers.
type osvListJSON struct {
	Vulns []OSVDocument `json:"vulns"`
	pageLinks
}

// osvOf builds an advisory's OSV document under the settings.
func osvOf(a report.PublicAdvisory, s PublicSettings) OSVDocument {
	return OSV(a, s.OSVEcosystem, s.OSVPackage, s.pluginURL()+routes.SecurityUpdates)
}

func renderOSV(a report.PublicAdvisory, s PublicSettings) *renderedResponse {
	resp := captureResponse(func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, osvOf(a, s)) })
	return &resp
}

func renderOSVList(advisories []report.PublicAdvisory, s PublicSettings, links pageLinks) *renderedResponse {
	out := osvListJSON{Vulns: make([]OSVDocument, 0, len(advisories)), pageLinks: links}
	for _, a := range advisories {
		out.Vulns = append(out.Vulns, osvOf(a, s))
	}
	resp := captureResponse(func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, out) })
	return &resp
}

// OSVDocument is an advisory in the OSV schema (https://ossf.github.io/osv-schema/).
type OSVDocument struct {
	SchemaVersion string         `json:"schema_version"`
	ID            string         `json:"id"`
	Modified      string         `json:"modified"`
	Published     string         `json:"published"`
	Aliases       []string       `json:"aliases,omitempty"`
	Summary       string         `json:"summary"`
	Details       string         `json:"details,omitempty"`
	Severity      []OSVSeverity  `json:"severity,omitempty"`
	Affected      []OSVAffected  `json:"affected,omitempty"`
	References    []OSVReference `json:"references"`
	Credits       []OSVCredit    `json:"credits,omitempty"`
}

// OSVSeverity is a CVSS vector.
type OSVSeverity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// OSVAffected is the affected package and its ranges.
type OSVAffected struct {
	Package OSVPackage `json:"package"`
	Ranges  []OSVRange `json:"ranges"`
}

// OSVPackage names a package in an ecosystem.
type OSVPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
}

// OSVRange is one affected range of versions.
type OSVRange struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}

// OSVReference links the advisory page.
type OSVReference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// OSVCredit names the credited researcher.
type OSVCredit struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// OSV builds the OSV document of a public advisory. Each release with the fix
// closes one range of its release branch: for a fix in 11.4.3 the range is
// introduced 11.4.0, fixed 11.4.3; the oldest branch's range starts at "0",
// since every earlier version is affected too. Without a configured package
// (ecosystem and name) the document lists no affected package: none is guessed.
func OSV(a report.PublicAdvisory, ecosystem, pkg, pageURL string) OSVDocument {
	doc := OSVDocument{
		SchemaVersion: "1.6.0",
		ID:            a.ID,
		Modified:      a.Modified.UTC().Format(time.RFC3339),
		Published:     a.Published.UTC().Format(time.RFC3339),
		Summary:       a.Title,
		Details:       a.Summary,
		References:    []OSVReference{{Type: "ADVISORY", URL: routes.AdvisoryPage(pageURL, a.ID)}},
	}
	if a.CVE != "" {
		doc.Aliases = []string{a.CVE}
	}
	if a.Vector != "" {
		doc.Severity = []OSVSeverity{{Type: "CVSS_V3", Score: a.Vector}}
	}
	if a.Credit != "" {
		doc.Credits = []OSVCredit{{Name: a.Credit, Type: "FINDER"}}
	}
	if ecosystem != "" && pkg != "" && len(a.FixedIn) > 0 {
		versions := make([]string, 0, len(a.FixedIn))
		for _, v := range a.FixedIn {
			versions = append(versions, v.Version)
		}
		sort.Slice(versions, func(i, j int) bool { return versionLess(versions[i], versions[j]) })
		affected := OSVAffected{Package: OSVPackage{Ecosystem: ecosystem, Name: pkg}}
		for i, v := range versions {
			introduced := branchStart(v)
			if i == 0 {
				introduced = "0"
			}
			affected.Ranges = append(affected.Ranges, OSVRange{Type: "ECOSYSTEM", Events: []map[string]string{
				{"introduced": introduced}, {"fixed": v},
			}})
		}
		doc.Affected = []OSVAffected{affected}
	}
	return doc
}

// branchStart is the first version of a release branch: 11.4.3 → 11.4.0.
func branchStart(version string) string {
	parts := strings.Split(version, ".")
	if len(parts) < 3 {
		return "0"
	}
	return fmt.Sprintf("%s.%s.0", parts[0], parts[1])
}
