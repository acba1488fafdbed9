package store

import (
	"encoding/json"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Get returns report id, or an error matching ErrNotFound.
func (s *Store) Get(id int) (*report.Report, error) {
	_, r, err := s.loadReport(id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errors.Wrapf(ErrNotFound, "report %s", report.FormatID(id))
	}
	return r, nil
}

// ListByReporter returns the reports userID filed, oldest first.
func (s *Store) ListByReporter(userID string) ([]*report.Report, error) {
	return s.listIndex(reporterKey(userID), func(r *report.Report) bool { return r.ReporterID == userID })
}

// ListOpen returns the open reports (submitted, triaging, needs_info,
// confirmed), oldest first.
func (s *Store) ListOpen() ([]*report.Report, error) {
	return s.listIndex(keyOpen, (*report.Report).IsOpen)
}

// ListFixed returns the reports fixed and waiting for disclosure, oldest first.
func (s *Store) ListFixed() ([]*report.Report, error) {
	return s.listIndex(keyFixed, func(r *report.Report) bool { return r.Status == report.StatusFixed })
}

// listIndex loads the reports an index names. The index may briefly disagree
// with a record that is being updated (see syncIndexes), so each record is checked
// against keep and the index is never trusted for what it says about a report.
func (s *Store) listIndex(key string, keep func(*report.Report) bool) ([]*report.Report, error) {
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	ids, err := decodeIDs(raw)
	if err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	out := make([]*report.Report, 0, len(ids))
	for _, id := range ids {
		_, r, err := s.loadReport(id)
		if err != nil {
			return nil, err
		}
		if r != nil && keep(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// FindByPost returns the report whose card or DM thread root is postID, or an
// error matching ErrNotFound. A link left behind by a replaced card (see
// syncIndexes) is detected here, because the record no longer names the post,
// and removed.
func (s *Store) FindByPost(postID string) (*report.Report, error) {
	if postID == "" {
		return nil, errors.Wrap(ErrNotFound, "empty post id")
	}
	key := postKey(postID)
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	if raw == nil {
		return nil, errors.Wrapf(ErrNotFound, "post %s", postID)
	}
	id, err := decodeInt(raw)
	if err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	_, r, err := s.loadReport(id)
	if err != nil {
		return nil, err
	}
	if r == nil || (r.CardPostID != postID && r.ThreadRootID != postID) {
		if _, err := s.setPostLink(postID, id, false); err != nil {
			s.log.Warn("Could not remove a stale post link.", "post", postID, "error", err.Error())
		}
		return nil, errors.Wrapf(ErrNotFound, "post %s", postID)
	}
	return r, nil
}

// GetCreditProfile returns userID's credit profile, or an error matching
// ErrNotFound if they never saved one.
func (s *Store) GetCreditProfile(userID string) (*report.CreditProfile, error) {
	key := creditKey(userID)
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	if raw == nil {
		return nil, errors.Wrapf(ErrNotFound, "credit profile of %s", userID)
	}
	p := &report.CreditProfile{}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, errors.Wrapf(err, "decode %s", key)
	}
	return p, nil
}

// SaveCreditProfile stores p under p.UserID. Only its owner edits a profile, so
// the last save wins and no compare-and-set is needed.
func (s *Store) SaveCreditProfile(p report.CreditProfile) error {
	if p.UserID == "" {
		return errors.New("save credit profile: no user id")
	}
	key := creditKey(p.UserID)
	data, err := json.Marshal(p)
	if err != nil {
		return errors.Wrapf(err, "encode %s", key)
	}
	if _, err := s.kv.Set(key, data); err != nil {
		return errors.Wrapf(err, "write %s", key)
	}
	return nil
}
