package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
)

// Field keys used in validation results. Adapters name their form elements the
// same way, so a message lands next to the field it is about.
const (
	FieldTitle            = "title"
	FieldProduct          = "product"
	FieldVector           = "cvss"
	FieldEstimate         = "estimate"
	FieldAffectedVersions = "affected_versions"
	FieldTestedOn         = "tested_on"
	FieldDescription      = "description"
	FieldSteps            = "steps"
	FieldImpact           = "impact"
)

// Length limits, in characters (runes). They keep a single record well under
// the KV store's value size and every field postable by the bot, while leaving
// room for a long proof of concept in the description and steps.
const (
	MaxTitleRunes            = 200
	MaxDescriptionRunes      = 20000
	MaxStepsRunes            = 20000
	MaxImpactRunes           = 5000
	MaxAffectedVersionsRunes = 500
	// MaxNoteRunes bounds questions, replies and messages on the timeline; a
	// Mattermost post holds 16,383 characters and the bot adds its own text.
	MaxNoteRunes = 10000
)

// FieldErrors maps a field key to a sentence saying what is wrong with it. An
// empty map means the input is valid.
type FieldErrors map[string]string

// Normalize trims surrounding space from every text field and turns Windows line
// endings into newlines, so limits count what people see.
func (r *Report) Normalize() {
	for _, f := range []*string{&r.Title, &r.Product, &r.Vector, &r.AffectedVersions, &r.Description, &r.Steps, &r.Impact} {
		*f = strings.TrimSpace(strings.ReplaceAll(*f, "\r\n", "\n"))
	}
	r.Estimate = Rating(strings.ToLower(strings.TrimSpace(string(r.Estimate))))
	r.TestedOn = TestedOn(strings.TrimSpace(string(r.TestedOn)))
}

// Validate checks a draft report before it is filed. products is the allowed
// product list, from the settings. Call Normalize first.
func (r *Report) Validate(products []string) FieldErrors {
	errs := FieldErrors{}

	if msg := CheckLine("title", r.Title, MaxTitleRunes, true); msg != "" {
		errs[FieldTitle] = msg
	}
	if r.Product == "" {
		errs[FieldProduct] = "Choose the product the vulnerability is in."
	} else if _, ok := CanonicalProduct(r.Product, products); !ok {
		errs[FieldProduct] = fmt.Sprintf("Choose one of the listed products (%s).", strings.Join(products, ", "))
	}
	if !r.TestedOn.Valid() {
		errs[FieldTestedOn] = "Say where you tested: the community test server, your own installation, or a staging server arranged with the security team."
	}
	// An encrypted report carries its steps and impact inside the armored
	// description, so those may stay empty; its title stays plain, for the
	// card, the queue and the researcher's list.
	encrypted := r.Encrypted()
	descriptionLimit := MaxDescriptionRunes
	if encrypted {
		descriptionLimit = MaxArmoredRunes
	}
	if msg := checkText("description", r.Description, descriptionLimit, true); msg != "" {
		errs[FieldDescription] = msg
	}
	if msg := checkText("steps to reproduce", r.Steps, MaxStepsRunes, !encrypted); msg != "" {
		errs[FieldSteps] = msg
	}
	if msg := checkText("impact", r.Impact, MaxImpactRunes, !encrypted); msg != "" {
		errs[FieldImpact] = msg
	}
	if msg := checkText("affected versions", r.AffectedVersions, MaxAffectedVersionsRunes, false); msg != "" {
		errs[FieldAffectedVersions] = msg
	}

	switch {
	case r.Vector != "":
		if _, err := ScoreVector(r.Vector); err != nil {
			errs[FieldVector] = Sentence(err.Error())
		}
	case r.Estimate == "":
		errs[FieldEstimate] = "Give a CVSS 3.1 vector or your own estimate of the severity."
	}
	if r.Estimate != "" && !r.Estimate.ValidEstimate() {
		errs[FieldEstimate] = "Choose low, medium, high or critical."
	}
	return errs
}

// checkText checks a free-text field: present when required, valid UTF-8, no
// control characters other than newlines and tabs, within its limit.
func checkText(name, value string, limit int, required bool) string {
	if value == "" {
		if required {
			return "Fill in the " + name + "."
		}
		return ""
	}
	if !utf8.ValidString(value) {
		return "The " + name + " contains characters that are not valid text."
	}
	for _, c := range value {
		if unicode.IsControl(c) && c != '\n' && c != '\t' {
			return "The " + name + " contains control characters; remove them."
		}
	}
	if n := utf8.RuneCountInString(value); n > limit {
		return fmt.Sprintf("The %s is at most %d characters (it has %d).", name, limit, n)
	}
	return ""
}

// CheckLine is checkText for one-line fields, which also refuse the
// characters that make a line read otherwise than it is (inert.Deceptive):
// a name or title is shown on cards and public pages as written.
func CheckLine(name, value string, limit int, required bool) string {
	if strings.ContainsAny(value, "\n\t") {
		return "The " + name + " fits on one line."
	}
	for _, c := range value {
		if inert.Deceptive(c) {
			return fmt.Sprintf("The %s contains an invisible or direction-changing character (U+%04X); remove it.", name, c)
		}
	}
	return checkText(name, value, limit, required)
}

// Sentence capitalises an error message and ends it with a period, so domain
// errors read as the sentences users see.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
