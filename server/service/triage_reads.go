package service

import (
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// ReportForTeam returns any report to a triager, re-posting its card when it was
// deleted. Others get ErrNotFound, as for an unknown id.
func (t *Triage) ReportForTeam(userID string, id int) (*report.Report, error) {
	if !t.directory.IsTriager(userID) {
		return nil, refuseTeam(t.directory, userID, ErrNotFound)
	}
	r, err := t.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	return t.cards.ensure(r), nil
}

// WhereIsCard answers the button of a card that moved to another channel: the
// link to the report's card now (moved there first, should it still not be).
func (t *Triage) WhereIsCard(userID string, id int) (string, error) {
	r, err := t.ReportForTeam(userID, id)
	if err != nil {
		return "", err
	}
	return notify.CardMovedText(r.Key(), t.cards.notify.Permalink(r.CardPostID)), nil
}

// Queue lists the summaries of the open reports for triagers, oldest first:
// the open summary sets, a few reads however many reports there are.
func (t *Triage) Queue(userID string) ([]report.Summary, error) {
	if !t.directory.IsTriager(userID) {
		return nil, refuseTeam(t.directory, userID, ErrNotTriager)
	}
	sums, err := t.store.OpenSummaries()
	if err != nil {
		return nil, storeError(err)
	}
	return sums, nil
}

// QueuePage pages through the open reports for triagers. The filter runs on
// the open summaries while the store walks them, so a page costs a few reads
// of summaries and then the page's records, whatever the number of reports.
func (t *Triage) QueuePage(userID string, f QueueFilter) (*ViewPage, error) {
	if !t.directory.IsTriager(userID) {
		return nil, refuseTeam(t.directory, userID, ErrNotTriager)
	}
	p, err := t.store.OpenSummaryPage(store.SummaryQuery{After: f.After, Limit: pageSize(f.Limit), Newest: f.Newest, Keep: f.keeps})
	if err != nil {
		return nil, storeError(err)
	}
	rows, err := recordsOf(t.store, p.Summaries, func(r *report.Report) bool {
		s := report.Summarize(r)
		return s.IsOpen() && f.keeps(&s)
	})
	if err != nil {
		return nil, err
	}
	out := &ViewPage{Next: p.Next, Reports: []ReportView{}}
	for _, r := range rows {
		out.Reports = append(out.Reports, TeamView(r))
	}
	return out, nil
}

// ViewFor returns a report as userID may see it: triagers see everything, the
// reporter sees the reporter-visible part, anyone else gets ErrNotFound. The
// webapp asks it for both sides.
func (t *Triage) ViewFor(userID string, id int) (*ReportView, error) {
	r, err := t.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	switch {
	case t.directory.IsTriager(userID):
		v := TeamView(r)
		return &v, nil
	case r.ReporterID == userID:
		v := ReporterView(r)
		return &v, nil
	}
	return nil, refuseTeam(t.directory, userID, ErrNotFound)
}
