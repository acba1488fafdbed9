package store

import (
	"encoding/json"
	"slices"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Update changes report id with fn and stores the result with a compare-and-set
// on the record, retrying with the newest record when someone else wrote first;
// every successful write increments Version by one. fn may run several times,
// each time on a fresh copy, so it must not have effects outside the report. An
// error from fn (a refused transition, say) stops the update and is returned as
// is. Indexes affected by the change (open list, post links) are updated after
// the record.
func (s *Store) Update(id int, fn func(*report.Report) error) (*report.Report, error) {
	return s.update(id, -1, fn)
}

// UpdateIfVersion is Update for a caller that showed someone version `version`
// of the report and must not act on a newer one without telling them: if the
// stored version differs it returns a *ConflictError carrying the current report
// and changes nothing.
func (s *Store) UpdateIfVersion(id, version int, fn func(*report.Report) error) (*report.Report, error) {
	if version < 1 {
		return nil, errors.Errorf("update %s: version %d is not a stored version", report.FormatID(id), version)
	}
	return s.update(id, version, fn)
}

// update runs the compare-and-set loop; expected < 0 accepts any version.
func (s *Store) update(id, expected int, fn func(*report.Report) error) (*report.Report, error) {
	key := reportKey(id)
	for attempt := 1; ; attempt++ {
		raw, r, err := s.loadReport(id)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, errors.Wrapf(ErrNotFound, "report %s", report.FormatID(id))
		}
		if expected >= 0 && r.Version != expected {
			s.stats.record(attempt)
			return nil, &ConflictError{Expected: expected, Current: r}
		}
		wasOpen, wasFixed, oldPosts, reporterID, version := r.IsOpen(), r.Status == report.StatusFixed, r.PostIDs(), r.ReporterID, r.Version

		if err := fn(r); err != nil {
			s.stats.record(attempt)
			return nil, err
		}
		// Identity is not the callback's to change: the indexes and the id
		// allocation rely on it.
		if r.ID != id || r.ReporterID != reporterID {
			return nil, errors.Errorf("update %s: the id and the reporter cannot change", report.FormatID(id))
		}
		r.Version = version + 1
		data, err := json.Marshal(r)
		if err != nil {
			return nil, errors.Wrapf(err, "encode %s", key)
		}
		ok, err := s.casSet(key, raw, data)
		if err != nil {
			return nil, err
		}
		if ok {
			s.stats.record(attempt)
			s.afterUpdate(r, data, wasOpen, wasFixed, oldPosts)
			return r, nil
		}
		if attempt >= s.retry.attempts {
			s.stats.record(attempt)
			return nil, errors.Wrapf(ErrBusy, "update %s: gave up after %d attempts", key, attempt)
		}
		s.retry.wait(attempt)
	}
}

// afterUpdate brings the indexes the change affected in line. The record is
// stored already, so a failure here is not the caller's failure: it is logged, and
// the next change to the report or Reconcile repairs the index.
func (s *Store) afterUpdate(r *report.Report, data []byte, wasOpen, wasFixed bool, oldPosts []string) {
	var what syncWhat
	if r.IsOpen() != wasOpen || (r.Status == report.StatusFixed) != wasFixed {
		what |= syncOpen
	}
	newPosts := r.PostIDs()
	if !slices.Equal(oldPosts, newPosts) {
		what |= syncPosts
	}
	if what == 0 {
		return
	}
	if err := s.syncIndexes(r.ID, what, union(oldPosts, newPosts), data, r); err != nil {
		s.log.Warn("Report updated but an index was not; the next change or reconciliation repairs it.",
			"report", r.Key(), "error", err.Error())
	}
}
