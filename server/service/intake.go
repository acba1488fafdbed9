package service

import (
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/config"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Intake is the researcher's side of a report: filing it, and following the
// reports they filed.
type Intake struct {
	store  *store.Store
	notify IntakeNotifier
	cards  *cards
	public *publicLists
	audit  Auditor
	// triageChannelID is where cards go; empty until the plugin is set up.
	triageChannelID func() string
	settings        func() config.Intake
	clocks          func() config.Clocks // the receipt names the first-response target
	now             func() time.Time
	log             Logger
}

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
// action (see cards.refresh).
func (i *Intake) File(reporterID string, f Filing) (*report.Report, FieldErrors, error) {
	channelID := i.triageChannelID()
	if channelID == "" {
		return nil, nil, ErrNotSetUp
	}

	draft, credit, errs := i.prepareFiling(reporterID, f)
	if len(errs) > 0 {
		return nil, errs, nil
	}

	draft.TriageChannelID = channelID
	// The filing's intent lasts until the card and receipt are linked, so a
	// crash before that is finished by the replay (Recovery.announce).
	r, announced, err := i.store.FileAnnouncing(draft, i.settings().MaxReportsPerDay, i.now())
	if err != nil {
		return nil, nil, storeError(err)
	}
	defer announced()
	if i.audit != nil {
		i.audit.ReportChanged(reporterID, r, r.Timeline[0])
	}

	if credit.DisplayName != "" || credit.Affiliation != "" {
		credit.Updated = i.now().UTC()
		if err := i.store.SaveCreditProfile(credit); err != nil {
			i.log.Warn("Could not save a credit profile", "user_id", reporterID, "error", err.Error())
		} else {
			i.public.profileChanged(reporterID)
		}
	}

	r, err = i.announce(r, &credit)
	i.cards.publish(r)
	if err != nil {
		i.log.Error("Report stored but not fully announced", "report", r.Key(), "error", err.Error())
	}
	return r, nil, nil
}

// ValidateFiling returns what is wrong with a submission without filing it, so a
// form can show every problem at once.
func (i *Intake) ValidateFiling(reporterID string, f Filing) FieldErrors {
	_, _, errs := i.prepareFiling(reporterID, f)
	return errs
}

func (i *Intake) prepareFiling(reporterID string, f Filing) (report.Report, report.CreditProfile, FieldErrors) {
	products := i.settings().Products
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
// then records where they are. The receipt goes out while the card is posted,
// and the card is posted once: it shows the version the report will have once
// linked to both posts, so its buttons work from the first press without an
// edit. Only when someone changed the report in between is the card rewritten.
func (i *Intake) announce(r *report.Report, credit *report.CreditProfile) (*report.Report, error) {
	var (
		receiptID  string
		receiptErr error
		sent       = make(chan struct{})
	)
	go func() {
		defer close(sent)
		receiptID, receiptErr = i.notify.SendReceipt(r, i.clocks().FirstResponse)
	}()
	shown := *r
	shown.Version++ // the version linking makes
	cardID, cardErr := i.cards.post(&shown, credit)
	<-sent

	linked, err := i.store.Update(r.ID, func(cur *report.Report) error {
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
	if linked.Version != shown.Version {
		if err := i.cards.update(linked, credit); err != nil {
			i.log.Warn("Could not update a new card", "report", linked.Key(), "error", err.Error())
		}
	}
	return linked, receiptErr
}
