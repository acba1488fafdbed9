package report

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Limits of the public advisory text, in characters.
const (
	MaxPublicTitleRunes    = 200
	MaxPublicSummaryRunes  = 5000
	MaxPublicAffectedRunes = 500
)

// DateLayout is how dates are written in advisories and forms.
const DateLayout = "2006-01-02"

// advisoryChange is a checked change of the public advisory text and date.
type advisoryChange struct {
	title, summary, affected, discloseOn string
}

func (a advisoryChange) apply(r *Report) {
	if a.title != "" {
		r.PublicTitle = a.title
	}
	if a.summary != "" {
		r.PublicSummary = a.summary
	}
	if a.affected != "" {
		r.PublicAffected = a.affected
	}
	if a.discloseOn != "" {
		r.DiscloseOn = a.discloseOn
	}
}

func (c *change) prepareAdvisory(in Input) error {
	title := strings.TrimSpace(in.PublicTitle)
	if msg := CheckLine("public title", title, MaxPublicTitleRunes, false); msg != "" {
		return &InputError{FieldPublicTitle, msg}
	}
	summary := strings.TrimSpace(strings.ReplaceAll(in.PublicSummary, "\r\n", "\n"))
	if msg := checkText("public summary", summary, MaxPublicSummaryRunes, false); msg != "" {
		return &InputError{FieldSummary, msg}
	}
	affected := strings.TrimSpace(in.PublicAffected)
	if msg := CheckLine("affected versions", affected, MaxPublicAffectedRunes, false); msg != "" {
		return &InputError{FieldPublicAffected, msg}
	}
	date := strings.TrimSpace(in.DiscloseOn)
	if date != "" {
		if _, err := time.Parse(DateLayout, date); err != nil {
			return &InputError{FieldDiscloseOn, "Give the disclosure date as YYYY-MM-DD."}
		}
		c.detail += "; disclosure on " + date
	}
	c.advisory = advisoryChange{title: title, summary: summary, affected: affected, discloseOn: date}
	return nil
}

// DisclosureDate is when the report's advisory becomes public: the date the team
// set, or delayDays after the earliest release with the fix. Without either it
// is unknown (false) and only a person can disclose the report.
func (r *Report) DisclosureDate(delayDays int) (time.Time, bool) {
	if r.DiscloseOn != "" {
		if d, err := time.Parse(DateLayout, r.DiscloseOn); err == nil {
			return d, true
		}
	}
	var earliest time.Time
	for _, v := range r.FixedIn {
		d, err := time.Parse(DateLayout, v.Released)
		if err != nil {
			continue
		}
		if earliest.IsZero() || d.Before(earliest) {
			earliest = d
		}
	}
	if earliest.IsZero() {
		return time.Time{}, false
	}
	return earliest.AddDate(0, 0, delayDays), true
}

// NormalizeAdvisoryID is an advisory id as stored: trimmed, upper case.
func NormalizeAdvisoryID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// NextAdvisoryID formats the n-th advisory of a year.
func NextAdvisoryID(prefix string, year, n int) string {
	return fmt.Sprintf("%s-%d-%d", prefix, year, n)
}

// PublicAdvisory is what the public sees of a disclosed report: only what the
// team wrote for the public, the fix and the credit the researcher asked for.
type PublicAdvisory struct {
	ID       string         `json:"id"`
	ReportID int            `json:"report"` // kept in the store only; public routes leave it out
	Version  int            `json:"v"`      // the report version projected; a stale sync cannot undo a newer one
	CVE      string         `json:"cve,omitempty"`
	Title    string         `json:"title"`
	Summary  string         `json:"summary,omitempty"`
	Affected string         `json:"affected,omitempty"`
	Rating   Rating         `json:"rating,omitempty"`
	Score    float64        `json:"score,omitempty"`
	Vector   string         `json:"vector,omitempty"`
	FixedIn  []FixedVersion `json:"fixed_in"`
	Credit   string         `json:"credit,omitempty"`
	// Uncredited: the report's reporter did not ask for credit, as of Version.
	// Kept in the store only, so that a profile change racing a credit
	// opt-out cannot put the name back (SetCredit).
	Uncredited bool      `json:"nocredit,omitempty"`
	Published  time.Time `json:"published"`
	Modified   time.Time `json:"modified"`
}

// PublicAdvisory projects a disclosed report. credit is the credited name, or
// "" when the researcher did not ask for credit.
func (r *Report) PublicAdvisory(credit string, published, modified time.Time) PublicAdvisory {
	sev := r.Severity()
	title := r.PublicTitle
	if title == "" {
		title = "Security fix in " + r.Product
	}
	a := PublicAdvisory{
		ID: r.AdvisoryID, ReportID: r.ID, Version: r.Version, CVE: r.CVEID, Title: title, Summary: r.PublicSummary, Affected: r.PublicAffected,
		Rating: sev.Rating, Vector: sev.Vector, FixedIn: append([]FixedVersion(nil), r.FixedIn...),
		Published: published.UTC(), Modified: modified.UTC(),
	}
	if !sev.Estimated {
		a.Score = sev.Score
	}
	if r.WantsCredit {
		a.Credit = credit
	} else {
		a.Uncredited = true
	}
	return a
}

// SecurityUpdates is the maintained list of public advisories, newest first.
type SecurityUpdates struct {
	Rev        int64            `json:"rev"`
	Advisories []PublicAdvisory `json:"advisories"`
}

// Put adds or replaces the advisory of a report; it reports whether the list
// changed. A report keeps its original publication date.
func (u *SecurityUpdates) Put(a PublicAdvisory) bool {
	for i, cur := range u.Advisories {
		if cur.ReportID != a.ReportID {
			continue
		}
		next, changed := a.Replacing(cur)
		if changed {
			u.Advisories[i] = next
		}
		return changed
	}
	u.Advisories = append([]PublicAdvisory{a}, u.Advisories...)
	return true
}

// Replacing is a, a newer projection of cur's report, as it replaces cur: it
// keeps cur's publication date. It reports false when a changes nothing, or
// is older than cur (a stale sync cannot undo a newer one).
func (a PublicAdvisory) Replacing(cur PublicAdvisory) (PublicAdvisory, bool) {
	if a.Version < cur.Version {
		return cur, false
	}
	a.Published = cur.Published
	if advisoryEqual(cur, a) {
		return cur, false
	}
	return a, true
}

// SetCredit puts credit on the advisories of the given reports (those a
// researcher asked credit for), after they changed their credit profile; it
// reports whether the list changed. credit "" removes the name. An advisory
// whose report no longer asks for credit keeps none.
func (u *SecurityUpdates) SetCredit(reportIDs map[int]bool, credit string) bool {
	changed := false
	for i := range u.Advisories {
		if reportIDs[u.Advisories[i].ReportID] && u.Advisories[i].SetCredit(credit) {
			changed = true
		}
	}
	return changed
}

// SetCredit puts credit on the advisory unless its report no longer asks for
// credit; it reports whether the advisory changed.
func (a *PublicAdvisory) SetCredit(credit string) bool {
	if a.Uncredited || a.Credit == credit {
		return false
	}
	a.Credit = credit
	return true
}

// Find returns the public advisory with an id, matched without regard to case.
func (u *SecurityUpdates) Find(id string) (PublicAdvisory, bool) {
	for _, a := range u.Advisories {
		if strings.EqualFold(a.ID, id) {
			return a, true
		}
	}
	return PublicAdvisory{}, false
}

// advisoryEqual compares everything but the modification time.
func advisoryEqual(a, b PublicAdvisory) bool {
	a.Modified, b.Modified = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}
