package service

import (
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Filing is a researcher's submission: the report and how they want to be credited.
type Filing struct {
	Report report.Report
	Credit report.CreditProfile
}

// FieldErrors come back to the dialog next to the fields they concern.
type FieldErrors = report.FieldErrors

// File stores a new report, posts its card and the full text in the triage
// channel, and acknowledges it to the reporter. Field errors come back as
// FieldErrors with a nil error. Once the report is stored, a failure to post is
// logged, not returned: the report exists, and the card is re-posted on the next
// action (see ensureCard).
func (s *Service) File(reporterID string, f Filing) (*report.Report, FieldErrors, error) {
	settings := s.settings()
	if settings.TriageChannelID == "" {
		return nil, nil, ErrNotSetUp
	}

	draft, credit, errs := s.prepareFiling(reporterID, f)
	if len(errs) > 0 {
		return nil, errs, nil
	}

	draft.TriageChannelID = settings.TriageChannelID
	r, err := s.store.File(draft, settings.MaxReportsPerDay, s.now())
	if err != nil {
		return nil, nil, storeError(err)
	}
	if s.audit != nil {
		s.audit.ReportChanged(reporterID, r, r.Timeline[0])
	}

	if credit.DisplayName != "" || credit.Affiliation != "" {
		credit.Updated = s.now().UTC()
		if err := s.store.SaveCreditProfile(credit); err != nil {
			s.log.Warn("Could not save a credit profile", "user_id", reporterID, "error", err.Error())
		} else {
			s.hallProfileChanged(reporterID)
		}
	}

	r, err = s.announce(r, &credit)
	s.notify.Publish(r)
	if err != nil {
		s.log.Error("Report stored but not fully announced", "report", r.Key(), "error", err.Error())
	}
	return r, nil, nil
}

// ValidateFiling returns what is wrong with a submission without filing it, so a
// form can show every problem at once.
func (s *Service) ValidateFiling(reporterID string, f Filing) FieldErrors {
	_, _, errs := s.prepareFiling(reporterID, f)
	return errs
}

func (s *Service) prepareFiling(reporterID string, f Filing) (report.Report, report.CreditProfile, FieldErrors) {
	products := s.settings().Products
	draft := f.Report
	draft.ReporterID = reporterID
	draft.Normalize()
	if product, ok := report.CanonicalProduct(draft.Product, products); ok {
		draft.Product = product
	}
	credit := f.Credit
	credit.UserID = reporterID
	credit.Normalize()

	errs := draft.Validate(products)
	for field, msg := range credit.Validate(draft.WantsCredit) {
		errs[field] = msg
	}
	return draft, credit, errs
}

// announce posts the card with the full text in its thread and the receipt DM,
// then records where they are.
func (s *Service) announce(r *report.Report, credit *report.CreditProfile) (*report.Report, error) {
	cardID, cardErr := s.notify.PostCard(r, s.cardView(r, credit))
	if cardErr == nil {
		if err := s.notify.PostFullText(r, cardID); err != nil {
			s.log.Warn("Could not post a report's full text", "report", r.Key(), "error", err.Error())
		}
	}
	receiptID, receiptErr := s.notify.SendReceipt(r, s.settings().Clocks.FirstResponse)

	linked, err := s.store.Update(r.ID, func(cur *report.Report) error {
		if cardErr == nil {
			cur.CardPostID = cardID
		}
		if receiptErr == nil {
			cur.ThreadRootID = receiptID
		}
		return nil
	})
	if err != nil {
		return r, errors.Wrap(err, "link the card and the receipt")
	}
	if cardErr != nil {
		return linked, cardErr
	}
	// Linking made a new version; the card's buttons must carry it, or the
	// first press would be refused as a press on a stale card.
	if err := s.notify.UpdateCard(linked, s.cardView(linked, credit)); err != nil {
		s.log.Warn("Could not update a new card", "report", linked.Key(), "error", err.Error())
	}
	return linked, receiptErr
}

// cardView is what the card shows besides the report: the credit line and,
// while the report is open, its running clocks.
func (s *Service) cardView(r *report.Report, credit *report.CreditProfile) event.CardView {
	if credit == nil {
		profile, err := s.store.GetCreditProfile(r.ReporterID)
		if err == nil {
			credit = profile
		}
	}
	view := event.CardView{Credit: credit}
	if r.IsOpen() {
		view.Clocks = runningClocks(r, s.settings().Clocks, s.now())
	}
	return view
}
