package store

import (
	"encoding/json"
	"slices"
	"sync"

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
	r, _, err := s.update(id, -1, endAtOnce, fn)
	return r, err
}

// updateMode says when an update's indexes follow its record and its intents
// end.
type updateMode int

const (
	endAtOnce     updateMode = iota // indexes, then intents ended, before returning
	endWhenDone                     // indexes before returning; intents ended by done
	indexWhenDone                   // indexes and intents by done
)

// UpdateIfVersion is Update for a caller that showed someone version `version`
// of the report and must not act on a newer one without telling them: if the
// stored version differs it returns a *ConflictError carrying the current report
// and changes nothing.
func (s *Store) UpdateIfVersion(id, version int, fn func(*report.Report) error) (*report.Report, error) {
	if version < 1 {
		return nil, errors.Errorf("update %s: version %d is not a stored version", report.FormatID(id), version)
	}
	r, _, err := s.update(id, version, endAtOnce, fn)
	return r, err
}

// UpdateAnnouncing is Update (version 0) or UpdateIfVersion (a stored
// version) for a caller with steps of its own after the change, such as the
// public lists a disclosure joins: the change's intent stays until the caller
// calls done, so a crash before that leaves it for Replay, whose Finish takes
// those steps again. done is never nil; when an index write failed it keeps
// the intent for Replay.
func (s *Store) UpdateAnnouncing(id, version int, fn func(*report.Report) error) (*report.Report, func(), error) {
	if version < 0 {
		return nil, func() {}, errors.Errorf("update %s: version %d is not a stored version", report.FormatID(id), version)
	}
	if version == 0 {
		version = -1
	}
	return s.update(id, version, endWhenDone, fn)
}

// UpdateIndexingLater is Update for a caller that must not wait for the
// indexes: the record is stored when it returns, and done brings the
// indexes in line and ends the intent (a crash before that leaves the intent
// for Replay, which does both). A filing links its card and receipt with it
// before answering the researcher, so the card's buttons and the reporter's
// thread work from the first moment. done is never nil.
func (s *Store) UpdateIndexingLater(id int, fn func(*report.Report) error) (*report.Report, func(), error) {
	return s.update(id, -1, indexWhenDone, fn)
}

// update runs the compare-and-set loop; expected < 0 accepts any version.
// mode says when the indexes follow and the intents end (updateMode).
//
// When the change moves an index, a post link or a summary, an intent naming
// the report and its old posts is recorded before the record is written, and
// cleared once the indexes follow (intent.go): a crash in between leaves the
// intent for Replay. A retry whose old record names other posts records one
// more intent covering them.
func (s *Store) update(id, expected int, mode updateMode, fn func(*report.Report) error) (*report.Report, func(), error) {
	key := reportKey(id)
	var intents []*heldIntent
	endIntents := func() {
		for _, in := range intents {
			s.endIntent(in)
		}
	}
	noop := func() {}
	for attempt := 1; ; attempt++ {
		raw, r, err := s.loadReport(id)
		if err != nil {
			endIntents()
			return nil, noop, err
		}
		if r == nil {
			endIntents()
			return nil, noop, errors.Wrapf(ErrNotFound, "report %s", report.FormatID(id))
		}
		if expected >= 0 && r.Version != expected {
			s.stats.record(attempt)
			endIntents()
			return nil, noop, &ConflictError{Expected: expected, Current: r}
		}
		old := *r // fn changes r; the indexes to follow depend on both
		_, oldLine, err := summaryLine(r)
		if err != nil {
			endIntents()
			return nil, noop, err
		}
		reporterID, version := r.ReporterID, r.Version

		if err := fn(r); err != nil {
			s.stats.record(attempt)
			endIntents()
			return nil, noop, err
		}
		// Identity is not the callback's to change: the indexes and the id
		// allocation rely on it.
		if r.ID != id || r.ReporterID != reporterID {
			endIntents()
			return nil, noop, errors.Errorf("update %s: the id and the reporter cannot change", report.FormatID(id))
		}
		r.Version = version + 1
		data, err := json.Marshal(r)
		if err != nil {
			endIntents()
			return nil, noop, errors.Wrapf(err, "encode %s", key)
		}
		_, newLine, err := summaryLine(r)
		if err != nil {
			endIntents()
			return nil, noop, err
		}
		what := changedIndexes(&old, r, oldLine, newLine)
		touched := union(old.PostIDs(), r.PostIDs())
		if what != 0 && !s.layout1Only && !intentsCover(intents, touched) {
			in, err := s.beginIntent(intentSlot(id), intentEntry{ID: id, Posts: touched})
			if err != nil {
				endIntents()
				return nil, noop, err
			}
			intents = append(intents, in)
		}
		ok, err := s.casSet(key, raw, data)
		if err != nil {
			endIntents()
			return nil, noop, err
		}
		if ok {
			s.stats.record(attempt)
			finish := func() {
				if s.afterUpdate(r, data, what, touched) {
					endIntents()
				} // else the intents stay for Replay
			}
			switch mode {
			case endAtOnce:
				finish()
				return r, noop, nil
			case endWhenDone:
				if !s.afterUpdate(r, data, what, touched) {
					return r, noop, nil // the intents stay for Replay
				}
				var once sync.Once
				return r, func() { once.Do(endIntents) }, nil
			default: // indexWhenDone
				var once sync.Once
				return r, func() { once.Do(finish) }, nil
			}
		}
		if attempt >= s.retry.attempts {
			s.stats.record(attempt)
			endIntents()
			return nil, noop, errors.Wrapf(ErrBusy, "update %s: gave up after %d attempts", key, attempt)
		}
		s.retry.wait(attempt)
	}
}

// intentsCover says whether the intents held name every post in posts.
func intentsCover(intents []*heldIntent, posts []string) bool {
	if len(intents) == 0 {
		return false
	}
	for _, p := range posts {
		covered := false
		for _, in := range intents {
			covered = covered || slices.Contains(in.entry.Posts, p)
		}
		if !covered {
			return false
		}
	}
	return true
}

// afterUpdate brings the indexes the change affected in line. The record is
// stored already, so a failure here is not the caller's failure: it is logged,
// the intent stays, and Replay (or the next change, or the check) repairs the
// index. It reports whether the indexes are in line.
func (s *Store) afterUpdate(r *report.Report, data []byte, what syncWhat, touched []string) bool {
	if what == 0 {
		return true
	}
	if err := s.syncIndexes(r.ID, what, touched, data, r); err != nil {
		s.log.Warn("Report updated but an index was not; the intent replay, the next change or reconciliation repairs it.",
			"report", r.Key(), "error", err.Error())
		return false
	}
	return true
}
