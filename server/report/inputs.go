package report

import (
	"fmt"
	"regexp"
	"strings"
)

// change is what an allowed action will do to a report besides its status. It is
// computed before anything is modified, so a bad input leaves the report as it was.
type change struct {
	note       string
	detail     string
	resolution Status

	assign   bool
	assignee string

	setDuplicate bool
	duplicateOf  int

	vector   string
	estimate Rating

	fix        bool
	fixedIn    []FixedVersion
	advisoryID string
	cveID      string
	advisory   advisoryChange
}

func (c *change) apply(r *Report) {
	if c.assign {
		r.Assignee = c.assignee
	}
	if c.setDuplicate {
		r.DuplicateOf = c.duplicateOf
	}
	if c.vector != "" {
		r.Vector = c.vector
	}
	if c.estimate != "" {
		r.Estimate = c.estimate
	}
	if c.fix {
		r.FixedIn = c.fixedIn
	}
	if c.advisoryID != "" {
		r.AdvisoryID = c.advisoryID
	}
	if c.cveID != "" {
		r.CVEID = c.cveID
	}
	c.advisory.apply(r)
}

var (
	cvePattern        = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,19}$`)
	advisoryIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,15}-[0-9]{4}-[0-9]{1,9}$`)
)

// prepare checks the input of an action the table already allowed.
func prepare(r *Report, action Action, actor Actor, in Input) (*change, error) {
	c := &change{}
	note, err := checkNote(in.Note, noteRequired(action))
	if err != nil {
		return nil, err
	}
	c.note = note

	switch action {
	case ActionTake:
		c.assign, c.assignee = true, actor.UserID
	case ActionReassign:
		assignee := strings.TrimSpace(in.Assignee)
		switch assignee {
		case "":
			return nil, &InputError{FieldAssignee, "Choose who takes over " + r.Key() + "."}
		case r.Assignee:
			return nil, &InputError{FieldAssignee, r.Key() + " is already assigned to them."}
		}
		c.assign, c.assignee = true, assignee
	case ActionConfirm:
		if err := c.reviseSeverity(in); err != nil {
			return nil, err
		}
	case ActionFix:
		if err := c.prepareFix(in); err != nil {
			return nil, err
		}
	case ActionAdvisory:
		// Severity first: it starts the detail, the others add to it.
		if c.vectorOrEstimate(in) {
			if err := c.reviseSeverity(in); err != nil {
				return nil, err
			}
		}
		if err := c.prepareAdvisoryIDs(in); err != nil {
			return nil, err
		}
		if err := c.prepareAdvisory(in); err != nil {
			return nil, err
		}
		c.detail = strings.TrimPrefix(c.detail+"; advisory edited", "; ")
	case ActionClose:
		if err := c.prepareClose(r, in); err != nil {
			return nil, err
		}
	case ActionReopen:
		// A reopened report is no longer anybody's duplicate.
		c.setDuplicate, c.duplicateOf = true, 0
	}
	return c, nil
}

// noteRequired: a question, a reply and a message are nothing without their text.
func noteRequired(a Action) bool {
	return a == ActionAsk || a == ActionReply || a == ActionMessage
}

func checkNote(note string, required bool) (string, error) {
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	if msg := checkText("message", note, MaxNoteRunes, required); msg != "" {
		return "", &InputError{FieldNote, msg}
	}
	return note, nil
}

func (c *change) reviseSeverity(in Input) error {
	if v := strings.TrimSpace(in.Vector); v != "" {
		sc, err := ScoreVector(v)
		if err != nil {
			return &InputError{FieldVector, Sentence(err.Error())}
		}
		c.vector = sc.Vector
		c.detail = fmt.Sprintf("severity %.1f %s (%s)", sc.Base, sc.Rating.Label(), sc.Vector)
	}
	if e := Rating(strings.ToLower(strings.TrimSpace(string(in.Estimate)))); e != "" {
		if !e.ValidEstimate() {
			return &InputError{FieldEstimate, "Choose low, medium, high or critical."}
		}
		c.estimate = e
		if c.detail == "" {
			c.detail = "severity " + e.Label()
		}
	}
	return nil
}

func (c *change) prepareFix(in Input) error {
	if len(in.FixedIn) == 0 {
		return &InputError{FieldFixedIn, "List the versions with the fix, for example 11.5.1, 11.4.3."}
	}
	if len(in.FixedIn) > MaxFixedVersions {
		return &InputError{FieldFixedIn, fmt.Sprintf("List at most %d fixed versions.", MaxFixedVersions)}
	}
	seen := map[string]bool{}
	for _, v := range in.FixedIn {
		if err := v.Validate(); err != nil {
			return &InputError{FieldFixedIn, Sentence(fmt.Sprintf("%q: %v", v.String(), err))}
		}
		if seen[v.Version] {
			return &InputError{FieldFixedIn, Sentence(fmt.Sprintf("version %s is listed twice", v.Version))}
		}
		seen[v.Version] = true
	}
	c.fix = true
	c.fixedIn = append([]FixedVersion(nil), in.FixedIn...)
	c.detail = "fixed in " + FormatFixedVersions(c.fixedIn)
	if err := c.prepareAdvisoryIDs(in); err != nil {
		return err
	}
	return c.prepareAdvisory(in)
}

// prepareAdvisoryIDs checks the advisory and CVE ids given with a fix or an
// advisory edit; empty ids keep the current ones.
func (c *change) prepareAdvisoryIDs(in Input) error {
	if a := strings.ToUpper(strings.TrimSpace(in.AdvisoryID)); a != "" {
		if msg := CheckLine("advisory id", a, MaxAdvisoryIDRunes, false); msg != "" {
			return &InputError{FieldAdvisoryID, msg}
		}
		if !advisoryIDPattern.MatchString(a) {
			return &InputError{FieldAdvisoryID, "An advisory id looks like MMSA-2026-7."}
		}
		c.advisoryID = a
		c.detail += "; advisory " + a
	}
	if cve := strings.ToUpper(strings.TrimSpace(in.CVEID)); cve != "" {
		if !cvePattern.MatchString(cve) {
			return &InputError{FieldCVEID, "A CVE id looks like CVE-2026-12345."}
		}
		c.cveID = cve
		c.detail += "; " + cve
	}
	return nil
}

func (c *change) vectorOrEstimate(in Input) bool {
	return strings.TrimSpace(in.Vector) != "" || strings.TrimSpace(string(in.Estimate)) != ""
}

func (c *change) prepareClose(r *Report, in Input) error {
	if !in.Resolution.IsResolution() {
		return &InputError{FieldResolution, "Choose how to close " + r.Key() + ": duplicate, not applicable or informative."}
	}
	c.resolution = in.Resolution
	c.setDuplicate = true
	if in.Resolution != StatusDuplicate {
		if in.DuplicateOf != 0 {
			return &InputError{FieldDuplicateOf, "Only a report closed as duplicate names another report."}
		}
		return nil
	}
	// The domain only knows ids are well formed and different; the service checks
	// that the other report exists.
	switch {
	case in.DuplicateOf < 1:
		return &InputError{FieldDuplicateOf, "Give the id of the report this one duplicates, like SEC-12."}
	case in.DuplicateOf == r.ID:
		return &InputError{FieldDuplicateOf, "A report cannot be a duplicate of itself."}
	}
	c.duplicateOf = in.DuplicateOf
	c.detail = "duplicate of " + FormatID(in.DuplicateOf)
	return nil
}
