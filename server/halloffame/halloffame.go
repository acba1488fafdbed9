// Package halloffame is the Hall of Fame domain: how credited researchers are
// ranked (more contributions first, then the most recent), the aggregate the
// plugin maintains from disclosed reports and imported history, and the parsing
// of imported lists. Pure Go, like package report, whose credit profiles it reads.
package halloffame

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Entry is one line of the public Hall of Fame. It carries no user or report
// id: it is exactly what the public may see.
type Entry struct {
	Name        string
	Affiliation string
	// Contributions counts disclosed reports the researcher asked to be credited
	// for, plus imported historical ones.
	Contributions int
	// Latest is the UTC day of the latest contribution; zero when unknown (an
	// imported entry without a date).
	Latest time.Time
}

// Credit is the name followed by the affiliation phrase, as published:
// "Yoni Ramon from Tesla security team".
func (e Entry) Credit() string {
	if e.Affiliation == "" {
		return e.Name
	}
	return e.Name + " " + e.Affiliation
}

// Count is the parenthesised count the published list adds from two
// contributions on ("(7 contributions)"); empty for one.
func (e Entry) Count() string {
	if e.Contributions > 1 {
		return fmt.Sprintf("(%d contributions)", e.Contributions)
	}
	return ""
}

// Line is the entry as the policy page prints it: "Name affiliation (N
// contributions)" when N > 1, otherwise "Name affiliation".
func (e Entry) Line() string {
	if c := e.Count(); c != "" {
		return e.Credit() + " " + c
	}
	return e.Credit()
}

// Compare orders entries as the Hall of Fame lists them: more
// contributions first, then the more recent latest contribution (by UTC day),
// then by name. Name and affiliation break the remaining ties so the order never
// depends on where the entries came from.
func Compare(a, b Entry) int {
	if c := cmp.Compare(b.Contributions, a.Contributions); c != 0 {
		return c
	}
	if c := utcDay(b.Latest).Compare(utcDay(a.Latest)); c != 0 {
		return c
	}
	if c := cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Affiliation, b.Affiliation)
}

// Rank sorts entries into Hall of Fame order.
func Rank(entries []Entry) {
	slices.SortStableFunc(entries, Compare)
}

// utcDay truncates t to its UTC day; the zero time stays zero.
func utcDay(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Aggregate is the maintained aggregate behind the public list: every change
// that affects the list (a credited disclosure, a credit toggle, a profile
// change, an import, a link) updates it, so serving the list never looks at
// reports. It holds user and report ids, so only Entries may reach the public.
type Aggregate struct {
	// Rev increases by one with every stored change; servers compare it to know
	// whether the list they rendered is current.
	Rev int64 `json:"rev"`
	// Researchers holds, by user id, everyone with a credited disclosure or a
	// link to an imported entry.
	Researchers map[string]*Researcher `json:"researchers,omitempty"`
	// Imported is the historical list as last imported, in import order.
	Imported []ImportedEntry `json:"imported,omitempty"`
	// Links joins an imported entry (by NameKey of its name) to the user whose
	// earned contributions add to it.
	Links map[string]string `json:"links,omitempty"`
}

// Researcher is one researcher's part of the aggregate: how they want to be
// credited (a copy of their profile) and what they earned.
type Researcher struct {
	Name        string `json:"name,omitempty"`
	Affiliation string `json:"affil,omitempty"`
	// OptedOut: the researcher saved a profile without a name. They are not
	// listed at all, not even under a linked imported entry.
	OptedOut bool `json:"out,omitempty"`
	// Credited maps each disclosed report the researcher asked credit for to
	// the time it was disclosed.
	Credited map[int]time.Time `json:"credited,omitempty"`
}

// earned counts the credited reports and returns the latest disclosure day.
func (r *Researcher) earned() (int, time.Time) {
	var latest time.Time
	for _, at := range r.Credited {
		if at.After(latest) {
			latest = at
		}
	}
	return len(r.Credited), utcDay(latest)
}

// ImportedEntry is one line of the historical list an admin imported.
type ImportedEntry struct {
	Name          string    `json:"name"`
	Affiliation   string    `json:"affil,omitempty"`
	Contributions int       `json:"n"`
	Latest        time.Time `json:"latest"` // a UTC day; zero when the import gave none
}

// NameKey is how imported names are matched: case and spacing do not matter.
func NameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// Entries is the public list, ranked. An imported entry linked to a user adds
// that user's earned contributions and shows the name from their profile (the
// imported name while they have none); a researcher who opted out is not
// listed, and one who never gave a name is not either.
func (h *Aggregate) Entries() []Entry {
	out := make([]Entry, 0, len(h.Imported)+len(h.Researchers))
	linked := map[string]bool{}
	for _, imp := range h.Imported {
		e := Entry{Name: imp.Name, Affiliation: imp.Affiliation, Contributions: imp.Contributions, Latest: utcDay(imp.Latest)}
		if userID, ok := h.Links[NameKey(imp.Name)]; ok {
			linked[userID] = true
			if r := h.Researchers[userID]; r != nil {
				if r.OptedOut {
					continue
				}
				if r.Name != "" {
					e.Name, e.Affiliation = r.Name, r.Affiliation
				}
				n, latest := r.earned()
				e.Contributions += n
				if latest.After(e.Latest) {
					e.Latest = latest
				}
			}
		}
		out = append(out, e)
	}
	for userID, r := range h.Researchers {
		if linked[userID] || r.OptedOut || r.Name == "" {
			continue
		}
		if n, latest := r.earned(); n > 0 {
			out = append(out, Entry{Name: r.Name, Affiliation: r.Affiliation, Contributions: n, Latest: latest})
		}
	}
	Rank(out)
	return out
}

// SetContribution records report reportID of userID, disclosed at disclosed, as
// credited (credited true) or not, and copies the researcher's profile p (nil:
// none saved). It reports whether anything changed. Recording is idempotent, so
// the caller can sync a report as often as it likes.
func (h *Aggregate) SetContribution(userID string, reportID int, disclosed time.Time, credited bool, p *report.CreditProfile) bool {
	r := h.Researchers[userID]
	if r == nil && !credited {
		return false
	}
	changed := false
	if r == nil {
		r = &Researcher{}
		if h.Researchers == nil {
			h.Researchers = map[string]*Researcher{}
		}
		h.Researchers[userID] = r
		changed = true
	}
	at, had := r.Credited[reportID]
	switch {
	case credited && (!had || !at.Equal(disclosed.UTC())):
		if r.Credited == nil {
			r.Credited = map[int]time.Time{}
		}
		r.Credited[reportID] = disclosed.UTC()
		changed = true
	case !credited && had:
		delete(r.Credited, reportID)
		changed = true
	}
	if h.SetProfile(userID, p) {
		changed = true
	}
	return h.prune(userID) || changed
}

// CreditedReports is the set of userID's disclosed reports credited to them:
// the advisories that carry their name.
func (h *Aggregate) CreditedReports(userID string) map[int]bool {
	r := h.Researchers[userID]
	if r == nil || len(r.Credited) == 0 {
		return nil
	}
	ids := make(map[int]bool, len(r.Credited))
	for id := range r.Credited {
		ids[id] = true
	}
	return ids
}

// SetProfile copies userID's credit profile (nil: none saved) into the
// aggregate when the researcher is in it, and reports whether that changed
// anything. Someone not in the aggregate is not added: their profile matters
// only once they earn credit or are linked.
func (h *Aggregate) SetProfile(userID string, p *report.CreditProfile) bool {
	r := h.Researchers[userID]
	if r == nil {
		return false
	}
	name, affiliation, optedOut := "", "", false
	if p != nil {
		name, affiliation = p.DisplayName, p.Affiliation
		optedOut = p.DisplayName == ""
	}
	if r.Name == name && r.Affiliation == affiliation && r.OptedOut == optedOut {
		return false
	}
	r.Name, r.Affiliation, r.OptedOut = name, affiliation, optedOut
	return true
}

// Import replaces the historical entries. Links to names that are still listed
// are kept; the others are dropped and their names returned.
func (h *Aggregate) Import(entries []ImportedEntry) (dropped []string) {
	previous := map[string]string{}
	for _, e := range h.Imported {
		previous[NameKey(e.Name)] = e.Name
	}
	h.Imported = append([]ImportedEntry(nil), entries...)
	present := map[string]bool{}
	for _, e := range entries {
		present[NameKey(e.Name)] = true
	}
	for _, key := range sortedKeys(h.Links) {
		if present[key] {
			continue
		}
		userID := h.Links[key]
		delete(h.Links, key)
		h.prune(userID)
		name := previous[key]
		if name == "" {
			name = key
		}
		dropped = append(dropped, name)
	}
	return dropped
}

// LinkProblem is why a link or unlink was refused.
type LinkProblem int

// Link problems.
const (
	LinkNoSuchEntry    LinkProblem = iota + 1 // no imported entry has the name
	LinkEntryTaken                            // the entry is linked to someone else
	LinkUserTaken                             // the user is linked to another entry
	LinkEntryNotLinked                        // unlink: the entry has no link
	LinkUserNotLinked                         // unlink: the user has no link
)

// LinkError says why a link or unlink was refused. Name is the imported name
// concerned; adapters render it inert, since it is text from a list.
type LinkError struct {
	Problem LinkProblem
	Name    string
}

func (e *LinkError) Error() string { return e.Render(strconv.Quote) }

// Render says the problem as a sentence, with the name written by quote.
func (e *LinkError) Render(quote func(string) string) string {
	switch e.Problem {
	case LinkNoSuchEntry:
		return "No imported Hall of Fame entry is named " + quote(e.Name) + "."
	case LinkEntryTaken:
		return quote(e.Name) + " is already linked to another user; unlink it first."
	case LinkUserTaken:
		return "That user is already linked to " + quote(e.Name) + "; unlink it first."
	case LinkEntryNotLinked:
		return quote(e.Name) + " is not linked to any user."
	}
	return "That user is not linked to any imported entry."
}

// ImportedNamed returns the imported entry named name (any case or spacing).
func (h *Aggregate) ImportedNamed(name string) (ImportedEntry, bool) {
	key := NameKey(name)
	for _, e := range h.Imported {
		if NameKey(e.Name) == key {
			return e, true
		}
	}
	return ImportedEntry{}, false
}

// Link joins the imported entry named name to userID, whose profile p (nil:
// none) is copied. Each imported entry has at most one user and each user at
// most one imported entry. Linking the same pair again changes nothing.
func (h *Aggregate) Link(name, userID string, p *report.CreditProfile) (bool, error) {
	entry, ok := h.ImportedNamed(name)
	if !ok {
		return false, &LinkError{Problem: LinkNoSuchEntry, Name: name}
	}
	key := NameKey(entry.Name)
	if current, ok := h.Links[key]; ok {
		if current == userID {
			return h.SetProfile(userID, p), nil
		}
		return false, &LinkError{Problem: LinkEntryTaken, Name: entry.Name}
	}
	if other := h.LinkedName(userID); other != "" {
		return false, &LinkError{Problem: LinkUserTaken, Name: other}
	}
	if h.Links == nil {
		h.Links = map[string]string{}
	}
	h.Links[key] = userID
	if h.Researchers == nil {
		h.Researchers = map[string]*Researcher{}
	}
	if h.Researchers[userID] == nil {
		h.Researchers[userID] = &Researcher{}
	}
	h.SetProfile(userID, p)
	return true, nil
}

// Unlink removes the link of the imported entry named name, or, with name
// empty, the link of userID. It returns the imported name it unlinked.
func (h *Aggregate) Unlink(name, userID string) (string, error) {
	if name == "" {
		name = h.LinkedName(userID)
		if name == "" {
			return "", &LinkError{Problem: LinkUserNotLinked}
		}
	}
	entry, ok := h.ImportedNamed(name)
	if !ok {
		return "", &LinkError{Problem: LinkNoSuchEntry, Name: name}
	}
	key := NameKey(entry.Name)
	linkedUser, ok := h.Links[key]
	if !ok {
		return "", &LinkError{Problem: LinkEntryNotLinked, Name: entry.Name}
	}
	delete(h.Links, key)
	h.prune(linkedUser)
	return entry.Name, nil
}

// LinkedName is the name of the imported entry userID is linked to, or "".
func (h *Aggregate) LinkedName(userID string) string {
	for _, key := range sortedKeys(h.Links) {
		if h.Links[key] != userID {
			continue
		}
		if e, ok := h.ImportedNamed(key); ok {
			return e.Name
		}
		return key
	}
	return ""
}

// prune drops a researcher with nothing left to show (no credited report, no
// link), so the aggregate only grows with people on the list. It reports
// whether it dropped one.
func (h *Aggregate) prune(userID string) bool {
	r := h.Researchers[userID]
	if r == nil || len(r.Credited) > 0 {
		return false
	}
	for _, linked := range h.Links {
		if linked == userID {
			return false
		}
	}
	delete(h.Researchers, userID)
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
