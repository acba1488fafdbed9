package service

import (
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// The audit records of decisions other than a report's state changes, built
// in one place so that the same fact has the same name in every record. They
// carry keys, ids, states and counts only (see event.Audited).

// Kinds of audited objects.
const (
	auditStagingRequest = "staging_request"
	auditHallOfFame     = "hall_of_fame"
	auditCreditProfile  = "credit_profile"
	auditReport         = "security_report"
)

func auditStaging(action string, r *staging.Request, prior staging.Status) event.Audited {
	result := map[string]any{"status": string(r.Status), "version": r.Version}
	if r.Status == staging.StatusApproved {
		result["grant_start"] = r.GrantStart.UTC().Format(time.RFC3339)
		result["grant_end"] = r.GrantEnd.UTC().Format(time.RFC3339)
	}
	return event.Audited{
		Action: "staging." + action,
		Object: auditStagingRequest,
		Params: map[string]any{"request": r.Key(), "requester": r.RequesterID},
		Prior:  map[string]any{"status": string(prior)},
		Result: result,
	}
}

func auditImport(res *ImportResult) event.Audited {
	return event.Audited{
		Action: "halloffame.import",
		Object: auditHallOfFame,
		Params: map[string]any{"entries": res.Imported},
		// Imported names are public already: they are the published list.
		Result: map[string]any{"dropped_links": res.DroppedLinks},
	}
}

func auditLink(action, importedName, userID string) event.Audited {
	return event.Audited{
		Action: "halloffame." + action,
		Object: auditHallOfFame,
		Params: map[string]any{"imported_name": importedName, "user": userID},
	}
}

// auditCredit records what a researcher's credit profile says, not the words:
// the name and affiliation are the researcher's to withdraw.
func auditCredit(userID string, prior *report.CreditProfile, next report.CreditProfile) event.Audited {
	state := func(p *report.CreditProfile) map[string]any {
		named := p != nil && p.DisplayName != ""
		return map[string]any{"credit_name_set": named, "affiliation_set": p != nil && p.Affiliation != ""}
	}
	return event.Audited{
		Action: "credit.profile",
		Object: auditCreditProfile,
		Params: map[string]any{"user": userID},
		Prior:  state(prior),
		Result: state(&next),
	}
}

func auditReportCredit(r *report.Report, prior bool) event.Audited {
	return event.Audited{
		Action: "credit.report",
		Object: auditReport,
		Params: map[string]any{"report": r.Key()},
		Prior:  map[string]any{"wants_credit": prior},
		Result: map[string]any{"wants_credit": r.WantsCredit, "status": string(r.Status)},
	}
}

func auditNudge(r *report.Report, missed event.Clock, owners event.Owners, at time.Time) event.Audited {
	return event.Audited{
		Action: "nudge",
		Object: auditReport,
		Params: map[string]any{"report": r.Key(), "missed": string(missed), "assignee": owners.Assignee},
		Result: map[string]any{"next_nudge": at.Add(NudgeEvery).UTC().Format(time.RFC3339), "status": string(r.Status)},
	}
}
