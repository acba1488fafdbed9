// Package dialog defines the interactive dialogs the plugin opens and reads their
// submissions. Element names are the domain's field keys, so a validation message
// lands next to the element it is about. The server caps dialog titles and
// element display names at 24 characters and help texts at 150.
package dialog

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service"
)

// Kinds of dialog; a signed state names the kind it was issued for.
const (
	KindReport = "report"
	// KindAction is prefixed to a triage action ("action:close").
	KindAction = "action:"
)

// Element names of the report dialog beyond the domain's field keys.
const (
	FieldCredit       = "credit"
	FieldPolicyAgreed = "policy"
)

// ReportDialog is the filing form. profile prefills the credit name.
func ReportDialog(products []string, profile *report.CreditProfile, policyURL, state string) model.Dialog {
	productOptions := make([]*model.PostActionOptions, 0, len(products))
	for _, p := range products {
		productOptions = append(productOptions, &model.PostActionOptions{Text: p, Value: p})
	}
	estimates := make([]*model.PostActionOptions, 0, len(report.EstimateChoices))
	for _, e := range report.EstimateChoices {
		estimates = append(estimates, &model.PostActionOptions{Text: e.Label(), Value: string(e)})
	}
	places := make([]*model.PostActionOptions, 0, len(report.TestedOnChoices))
	for _, t := range report.TestedOnChoices {
		places = append(places, &model.PostActionOptions{Text: t.Label(), Value: string(t)})
	}
	var name, affiliation string
	if profile != nil {
		name, affiliation = profile.DisplayName, profile.Affiliation
	}

	return model.Dialog{
		CallbackId: KindReport,
		Title:      "Report a vulnerability",
		IntroductionText: fmt.Sprintf("Only the security team sees this report. Please read the [disclosure policy](%s) first: "+
			"report privately, test only on the community test server or an arranged staging server, and never on other people's instances. "+
			"Paste a PGP-encrypted message into the description if you prefer (`/security pgp` shows our key).", policyURL),
		SubmitLabel: "Submit report",
		State:       state,
		Elements: []model.DialogElement{
			{DisplayName: "Title", Name: report.FieldTitle, Type: "text", MaxLength: report.MaxTitleRunes,
				HelpText: "One line that names the problem, e.g. \"Stored XSS in channel header\"."},
			{DisplayName: "Product", Name: report.FieldProduct, Type: "select", Options: productOptions},
			{DisplayName: "CVSS 3.1 vector", Name: report.FieldVector, Type: "text", Optional: true, MaxLength: report.MaxVectorLength,
				Placeholder: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
				HelpText:    "Optional. If you leave it empty, give your own severity estimate below."},
			{DisplayName: "Your severity estimate", Name: report.FieldEstimate, Type: "select", Optional: true, Options: estimates,
				HelpText: "Needed only when you give no CVSS vector."},
			{DisplayName: "Affected versions", Name: report.FieldAffectedVersions, Type: "text", MaxLength: report.MaxAffectedVersionsRunes,
				Placeholder: "e.g. 11.4.0 and earlier"},
			{DisplayName: "Where you tested", Name: report.FieldTestedOn, Type: "select", Options: places},
			// The description takes a whole report encrypted to the team's key;
			// then the steps and the impact may stay empty (report.Encrypted),
			// so the form cannot require them and the server does.
			{DisplayName: "Description", Name: report.FieldDescription, Type: "textarea", MaxLength: report.MaxArmoredRunes,
				HelpText: "What is vulnerable and why. Or your whole report as a PGP message encrypted to the team key (/security pgp), armored."},
			{DisplayName: "Steps to reproduce", Name: report.FieldSteps, Type: "textarea", Optional: true, MaxLength: report.MaxStepsRunes,
				HelpText: "Required, unless the description is an armored PGP message."},
			{DisplayName: "Impact", Name: report.FieldImpact, Type: "textarea", Optional: true, MaxLength: report.MaxImpactRunes,
				HelpText: "What an attacker gains, and who is affected. Required, unless the description is an armored PGP message."},
			{DisplayName: "Public credit", Name: FieldCredit, Type: "bool", Optional: true,
				Placeholder: "Credit me publicly for this report"},
			{DisplayName: "Credit name", Name: report.FieldDisplayName, Type: "text", Optional: true, MaxLength: report.MaxDisplayNameRunes,
				Default: truncate(name, model.DialogElementTextMaxLength), HelpText: "The name shown on the Hall of Fame if you want credit."},
			{DisplayName: "Affiliation", Name: report.FieldAffiliation, Type: "text", Optional: true, MaxLength: report.MaxAffiliationRunes,
				Default: truncate(affiliation, model.DialogElementTextMaxLength), Placeholder: "e.g. from Example security team",
				HelpText: "Optional, shown after your name exactly as written."},
			{DisplayName: "Policy", Name: FieldPolicyAgreed, Type: "bool",
				Placeholder: "I have read the disclosure policy"},
		},
	}
}

// ParseReport reads a report dialog submission. The policy box is checked here,
// on the server: a client can submit anything.
func ParseReport(submission map[string]any) (service.Filing, report.FieldErrors) {
	f := service.Filing{
		Report: report.Report{
			Title:            text(submission, report.FieldTitle),
			Product:          text(submission, report.FieldProduct),
			Vector:           text(submission, report.FieldVector),
			Estimate:         report.Rating(text(submission, report.FieldEstimate)),
			AffectedVersions: text(submission, report.FieldAffectedVersions),
			TestedOn:         report.TestedOn(text(submission, report.FieldTestedOn)),
			Description:      text(submission, report.FieldDescription),
			Steps:            text(submission, report.FieldSteps),
			Impact:           text(submission, report.FieldImpact),
			WantsCredit:      boolean(submission, FieldCredit),
		},
		Credit: report.CreditProfile{
			DisplayName: text(submission, report.FieldDisplayName),
			Affiliation: text(submission, report.FieldAffiliation),
		},
	}
	errs := report.FieldErrors{}
	if !boolean(submission, FieldPolicyAgreed) {
		errs[FieldPolicyAgreed] = "Please read the disclosure policy and confirm that you did."
	}
	return f, errs
}

// text reads a string element; anything that is not a string counts as empty.
func text(submission map[string]any, name string) string {
	s, _ := submission[name].(string)
	return s
}

// boolean reads a bool element; clients send true/false or "true"/"false".
func boolean(submission map[string]any, name string) bool {
	switch v := submission[name].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
