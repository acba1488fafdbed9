package service

import (
	"sync"
	"time"

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
	// later runs what a filing need not be answered after (finish).
	later func(func())
	now   func() time.Time
	log   Logger
}

// Filing is a researcher's submission: the report and how they want to be credited.
type Filing struct {
	Report report.Report
	Credit report.CreditProfile
	// Confirm, when set, tells the researcher their report is filed (the
	// dialog's confirmation). It runs in the background, after the answer.
	Confirm func(filed *report.Report)
}

// FieldErrors come back to the dialog next to the fields they concern.
type FieldErrors = report.FieldErrors

// File stores a new report, posts its card in the triage channel and the
// receipt to the reporter, and returns the report as it will be once linked
// to both. What need not hold the researcher up follows in later (the
// report's indexes, the link, f.Confirm, the indexes of the posts, the full
// text in the card's thread, the webapps told); until it is done the filing's
// intent stays, so a crash finishes it by the replay (Recovery.announce).
//
// Field errors come back as FieldErrors with a nil error. Once the report is
// stored, a failure to post is logged, not returned: the report exists, and
// the card is re-posted on the next action (see cards.refresh).
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
	// The credit profile does not depend on the report: it is saved while
	// the report is stored, and the audit record written while the posts are
	// made. The researcher is answered once all of it and the posts are done.
	var saved sync.WaitGroup
	saved.Go(func() { i.saveCredit(credit) })
	r, filing, err := i.store.FileAnnouncing(draft, i.settings().MaxReportsPerDay, i.now())
	if err != nil {
		saved.Wait()
		return nil, nil, storeError(err)
	}
	if i.audit != nil {
		saved.Go(func() { i.audit.ReportChanged(reporterID, r, r.Timeline[0]) })
	}
	shown, posted := i.post(r, &credit)
	saved.Wait()

	// The card and the receipt exist: the researcher is answered now, and the
	// rest follows. Linking first would protect nothing: a crash before the
	// link leaves the intent, and the replay links the posts it finds.
	i.later(func() {
		defer filing.Done()
		// The report's indexes were held back so as not to compete with the
		// posts; they come first, before anyone is told of it.
		filing.Index()
		linked, indexed := i.link(r, posted)
		if f.Confirm != nil {
			f.Confirm(linked)
		}
		indexed()
		i.finish(linked, shown, posted, &credit)
	})
	return shown, nil, nil
}

// link stores where the card and the receipt are. The indexes of the posts
// follow in indexed. When the link fails, the report is returned as stored;
// the filing's intent stays, and the replay links the posts it finds.
func (i *Intake) link(r *report.Report, p posts) (*report.Report, func()) {
	linked, indexed, err := i.store.UpdateIndexingLater(r.ID, func(cur *report.Report) error {
		if p.cardErr == nil {
			cur.CardPostID = p.cardID
		}
		if p.receiptErr == nil {
			cur.ThreadRootID = p.receiptID
		}
		return nil
	})
	if err != nil {
		i.log.Error("Report stored but not linked to its card and receipt", "report", r.Key(), "error", err.Error())
		return r, indexed
	}
	return linked, indexed
}

// saveCredit saves the credit profile a filing came with, when it differs
// from the stored one: most researchers file under the same name every time,
// and an unchanged name need not touch the Hall of Fame.
func (i *Intake) saveCredit(credit report.CreditProfile) {
	if credit.DisplayName == "" && credit.Affiliation == "" {
		return
	}
	if stored, err := i.store.GetCreditProfile(credit.UserID); err == nil && stored != nil &&
		stored.DisplayName == credit.DisplayName && stored.Affiliation == credit.Affiliation {
		return
	}
	credit.Updated = i.now().UTC()
	if err := i.store.SaveCreditProfile(credit); err != nil {
		i.log.Warn("Could not save a credit profile", "user_id", credit.UserID, "error", err.Error())
		return
	}
	i.public.profileChanged(credit.UserID)
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

// posts are a new report's card and receipt, as posted (an empty id: not
// posted, with the error).
type posts struct {
	cardID, receiptID   string
	cardErr, receiptErr error
}

// post posts the card and the receipt concurrently. The card is posted once:
// it shows the version the report will have once linked to both posts, so its
// buttons work from the first press without an edit. It returns the report as
// the link will store it.
func (i *Intake) post(r *report.Report, credit *report.CreditProfile) (*report.Report, posts) {
	var p posts
	var sent sync.WaitGroup
	sent.Go(func() { p.receiptID, p.receiptErr = i.notify.SendReceipt(r, i.clocks().FirstResponse) })
	shown := *r
	shown.Version++ // the version linking makes
	p.cardID, p.cardErr = i.cards.postCard(&shown, credit)
	sent.Wait()
	shown.CardPostID, shown.ThreadRootID = p.cardID, p.receiptID
	return &shown, p
}

// finish does what follows a filing's answer: the full text in the card's
// thread, the card rewritten when someone changed the report before it was
// linked, and the webapps told.
func (i *Intake) finish(linked, shown *report.Report, p posts, credit *report.CreditProfile) {
	if p.cardErr != nil {
		i.log.Error("Report stored but its card was not posted", "report", linked.Key(), "error", p.cardErr.Error())
	} else {
		i.cards.postFullText(shown, p.cardID)
	}
	if p.receiptErr != nil {
		i.log.Error("Report stored but its receipt was not sent", "report", linked.Key(), "error", p.receiptErr.Error())
	}
	if p.cardErr == nil && linked.CardPostID == p.cardID && linked.Version != shown.Version {
		if err := i.cards.update(linked, credit); err != nil {
			i.log.Warn("Could not update a new card", "report", linked.Key(), "error", err.Error())
		}
	}
	i.cards.publish(linked)
}
