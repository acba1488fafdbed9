package dialog

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/inert"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// NeedsInput says whether a card action opens a dialog before it is applied.
func NeedsInput(a report.Action) bool {
	switch a {
	case report.ActionAsk, report.ActionConfirm, report.ActionFix, report.ActionClose,
		report.ActionReassign, report.ActionMessage, report.ActionAdvisory:
		return true
	}
	return false
}

// ActionDialog is the form a triager fills in for action a on r.
func ActionDialog(a report.Action, r *report.Report, state string) model.Dialog {
	d := model.Dialog{
		CallbackId:       KindAction + string(a),
		State:            state,
		IntroductionText: fmt.Sprintf("**%s** · %s · %s", r.Key(), r.Status.Label(), inert.Span(r.Title)),
	}
	switch a {
	case report.ActionAsk:
		d.Title, d.SubmitLabel = "Ask the reporter", "Send question"
		d.Elements = []model.DialogElement{noteElement("Question", "The reporter gets this in their DM thread and can answer there.", false)}
	case report.ActionConfirm:
		d.Title, d.SubmitLabel = "Confirm "+r.Key(), "Confirm"
		d.Elements = []model.DialogElement{
			{DisplayName: "CVSS 3.1 vector", Name: report.FieldVector, Type: "text", Optional: true, MaxLength: report.MaxVectorLength,
				Default: truncate(r.Vector, model.DialogElementTextMaxLength), HelpText: "Revise the severity if needed; the reporter is told the result."},
			{DisplayName: "Severity estimate", Name: report.FieldEstimate, Type: "select", Optional: true, Options: estimateOptions(),
				HelpText: "Used only when there is no vector."},
		}
	case report.ActionFix:
		d.Title, d.SubmitLabel = "Mark "+r.Key()+" fixed", "Mark fixed"
		d.Elements = []model.DialogElement{
			{DisplayName: "Fixed in", Name: report.FieldFixedIn, Type: "text", MaxLength: 500,
				Default:     truncate(report.FormatFixedVersions(r.FixedIn), model.DialogElementTextMaxLength),
				Placeholder: "11.5.1 (2026-02-10), 11.4.3",
				HelpText:    "Releases with the fix, each with an optional release date in parentheses."},
			{DisplayName: "Advisory id", Name: report.FieldAdvisoryID, Type: "text", Optional: true, MaxLength: report.MaxAdvisoryIDRunes,
				Default: truncate(r.AdvisoryID, model.DialogElementTextMaxLength), Placeholder: "MMSA-2026-00123"},
			{DisplayName: "CVE id", Name: report.FieldCVEID, Type: "text", Optional: true, MaxLength: 30,
				Default: r.CVEID, Placeholder: "CVE-2026-12345"},
		}
		d.Elements[1].HelpText = "Leave empty to get the next MMSA id."
		d.Elements = append(d.Elements, advisoryElements(r)...)
	case report.ActionAdvisory:
		d.Title, d.SubmitLabel = "Advisory of "+r.Key(), "Save advisory"
		d.Elements = append([]model.DialogElement{
			{DisplayName: "Advisory id", Name: report.FieldAdvisoryID, Type: "text", Optional: true, MaxLength: report.MaxAdvisoryIDRunes,
				Default: truncate(r.AdvisoryID, model.DialogElementTextMaxLength)},
			{DisplayName: "CVE id", Name: report.FieldCVEID, Type: "text", Optional: true, MaxLength: 30, Default: r.CVEID, Placeholder: "CVE-2026-12345"},
			{DisplayName: "CVSS 3.1 vector", Name: report.FieldVector, Type: "text", Optional: true, MaxLength: report.MaxVectorLength,
				Default: truncate(r.Vector, model.DialogElementTextMaxLength)},
		}, advisoryElements(r)...)
	case report.ActionClose:
		d.Title, d.SubmitLabel = "Close "+r.Key(), "Close report"
		d.Elements = []model.DialogElement{
			{DisplayName: "Resolution", Name: report.FieldResolution, Type: "radio", Default: string(report.StatusNotApplicable), Options: []*model.PostActionOptions{
				{Text: "Duplicate of another report", Value: string(report.StatusDuplicate)},
				{Text: "Not applicable", Value: string(report.StatusNotApplicable)},
				{Text: "Informative", Value: string(report.StatusInformative)},
			}},
			{DisplayName: "Duplicate of", Name: report.FieldDuplicateOf, Type: "text", Optional: true, MaxLength: 20,
				Placeholder: "SEC-12", HelpText: "Only for duplicates: the report this one duplicates."},
			noteElement("Message to the reporter", "Why it is closed. The reporter always gets the resolution; this adds your words.", true),
		}
	case report.ActionReassign:
		d.Title, d.SubmitLabel = "Reassign "+r.Key(), "Reassign"
		d.Elements = []model.DialogElement{
			{DisplayName: "New assignee", Name: report.FieldAssignee, Type: "select", DataSource: "users",
				HelpText: "A member of the triage channel."},
		}
	case report.ActionMessage:
		d.Title, d.SubmitLabel = "Message the reporter", "Send"
		d.Elements = []model.DialogElement{noteElement("Message", "Sent to the reporter in their DM thread about this report.", false)}
	}
	return d
}

// advisoryElements are the public advisory's fields, written for the public.
func advisoryElements(r *report.Report) []model.DialogElement {
	return []model.DialogElement{
		{DisplayName: "Public title", Name: report.FieldPublicTitle, Type: "text", Optional: true, MaxLength: report.MaxPublicTitleRunes,
			Default: truncate(r.PublicTitle, model.DialogElementTextMaxLength), HelpText: "Written for the public; never the researcher's own words."},
		{DisplayName: "Public summary", Name: report.FieldSummary, Type: "textarea", Optional: true, MaxLength: report.MaxPublicSummaryRunes,
			Default: truncate(r.PublicSummary, model.DialogElementTextareaMaxLength)},
		{DisplayName: "Affected versions", Name: report.FieldPublicAffected, Type: "text", Optional: true, MaxLength: report.MaxPublicAffectedRunes,
			Default: truncate(r.PublicAffected, model.DialogElementTextMaxLength), Placeholder: "11.4.2 and earlier"},
		{DisplayName: "Disclosure date", Name: report.FieldDiscloseOn, Type: "text", Optional: true, MaxLength: 10,
			Default: r.DiscloseOn, Placeholder: "YYYY-MM-DD",
			HelpText: "Empty: the configured delay after the earliest release date. An earlier date publishes early; a later one postpones."},
	}
}

func noteElement(display, help string, optional bool) model.DialogElement {
	return model.DialogElement{DisplayName: display, Name: report.FieldNote, Type: "textarea",
		MaxLength: report.MaxNoteRunes, Optional: optional, HelpText: help}
}

func estimateOptions() []*model.PostActionOptions {
	out := make([]*model.PostActionOptions, 0, len(report.EstimateChoices))
	for _, e := range report.EstimateChoices {
		out = append(out, &model.PostActionOptions{Text: e.Label(), Value: string(e)})
	}
	return out
}

// ParseAction reads a triage dialog submission into the domain's input. Only
// parse errors come back here; the domain checks the rest.
func ParseAction(a report.Action, submission map[string]any) (report.Input, *report.InputError) {
	in := report.Input{
		Note:       text(submission, report.FieldNote),
		Assignee:   text(submission, report.FieldAssignee),
		Vector:     text(submission, report.FieldVector),
		Estimate:   report.Rating(text(submission, report.FieldEstimate)),
		AdvisoryID: text(submission, report.FieldAdvisoryID),
		CVEID:      text(submission, report.FieldCVEID),

		PublicTitle:    text(submission, report.FieldPublicTitle),
		PublicSummary:  text(submission, report.FieldSummary),
		PublicAffected: text(submission, report.FieldPublicAffected),
		DiscloseOn:     text(submission, report.FieldDiscloseOn),
	}
	switch a {
	case report.ActionFix:
		versions, err := report.ParseFixedVersions(text(submission, report.FieldFixedIn))
		if err != nil {
			return in, &report.InputError{Field: report.FieldFixedIn, Message: err.Error()}
		}
		in.FixedIn = versions
	case report.ActionClose:
		in.Resolution = report.Status(text(submission, report.FieldResolution))
		if dup := strings.TrimSpace(text(submission, report.FieldDuplicateOf)); dup != "" {
			id, err := report.ParseID(dup)
			if err != nil {
				return in, &report.InputError{Field: report.FieldDuplicateOf, Message: "Give a report id like SEC-12."}
			}
			in.DuplicateOf = id
		}
	}
	return in, nil
}
