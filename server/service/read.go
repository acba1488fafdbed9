package service

import (
	"sort"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// Mine lists the reports a researcher filed, newest first.
func (s *Service) Mine(userID string) ([]*report.Report, error) {
	reports, err := s.store.ListByReporter(userID)
	if err != nil {
		return nil, storeError(err)
	}
	sort.Slice(reports, func(i, j int) bool { return reports[i].ID > reports[j].ID })
	return reports, nil
}

// ReportFor returns a report to its reporter. Anyone else gets ErrNotFound, the
// same answer as for an id that does not exist.
func (s *Service) ReportFor(userID string, id int) (*report.Report, error) {
	r, err := s.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	if r.ReporterID != userID {
		return nil, ErrNotFound
	}
	return r, nil
}

// ReportForTeam returns any report to a triager, re-posting its card when it was
// deleted. Others get ErrNotFound, as for an unknown id.
func (s *Service) ReportForTeam(userID string, id int) (*report.Report, error) {
	if !s.directory.IsTriager(userID) {
		return nil, ErrNotFound
	}
	r, err := s.store.Get(id)
	if err != nil {
		return nil, storeError(err)
	}
	if !s.notify.CardExists(r) {
		r = s.repostCard(r)
	}
	return r, nil
}

// Queue lists the open reports for triagers, oldest first.
func (s *Service) Queue(userID string) ([]*report.Report, error) {
	if !s.directory.IsTriager(userID) {
		return nil, ErrNotTriager
	}
	reports, err := s.store.ListOpen()
	if err != nil {
		return nil, storeError(err)
	}
	sort.Slice(reports, func(i, j int) bool { return reports[i].ID < reports[j].ID })
	return reports, nil
}

// CreditProfile returns a researcher's profile (empty when they have none).
func (s *Service) CreditProfile(userID string) (*report.CreditProfile, error) {
	p, err := s.store.GetCreditProfile(userID)
	if errors.Is(err, store.ErrNotFound) {
		return &report.CreditProfile{UserID: userID}, nil
	}
	return p, storeError(err)
}

// SaveCreditProfile validates and stores a researcher's profile.
func (s *Service) SaveCreditProfile(userID string, p report.CreditProfile) (FieldErrors, error) {
	p.UserID = userID
	p.Normalize()
	if errs := p.Validate(false); len(errs) > 0 {
		return errs, nil
	}
	p.Updated = s.now().UTC()
	if err := s.store.SaveCreditProfile(p); err != nil {
		return nil, storeError(err)
	}
	s.hallProfileChanged(userID) // a new name, or an opt-out, shows at once
	return nil, nil
}
