package report

import (
	"strings"
	"time"
)

// Credit field keys, used like the report's field keys.
const (
	FieldDisplayName = "display_name"
	FieldAffiliation = "affiliation"
)

// Limits for the Hall of Fame line. A name with an affiliation must fit one line
// of a table.
const (
	MaxDisplayNameRunes = 64
	MaxAffiliationRunes = 100
)

// CreditProfile is how one researcher wants to be credited, kept once per user:
// each report only says whether it may be credited.
type CreditProfile struct {
	UserID      string `json:"user"`
	DisplayName string `json:"name"`
	// Affiliation is shown after the name exactly as written, connecting word
	// included: "from Tesla security team", "of Fitbit Security".
	Affiliation string    `json:"affil,omitempty"`
	Updated     time.Time `json:"updated"`
}

// Normalize trims surrounding space.
func (p *CreditProfile) Normalize() {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	p.Affiliation = strings.TrimSpace(p.Affiliation)
}

// Validate checks the profile. The name is required only when the researcher
// wants credit: someone who never asks for it may leave the profile empty.
func (p *CreditProfile) Validate(creditWanted bool) FieldErrors {
	errs := FieldErrors{}
	if msg := CheckLine("name", p.DisplayName, MaxDisplayNameRunes, creditWanted); msg != "" {
		if p.DisplayName == "" {
			msg = "Give the name you want to be credited under."
		}
		errs[FieldDisplayName] = msg
	}
	if msg := CheckLine("affiliation", p.Affiliation, MaxAffiliationRunes, false); msg != "" {
		errs[FieldAffiliation] = msg
	}
	return errs
}

// Credit is the line shown on the Hall of Fame: "Jane Doe from Tesla security
// team", or just the name. Without a name it is empty: an affiliation alone
// would still point at the researcher, and an empty name means no credit
// anywhere.
func (p *CreditProfile) Credit() string {
	if p.DisplayName == "" || p.Affiliation == "" {
		return p.DisplayName
	}
	return p.DisplayName + " " + p.Affiliation
}
