package store

import (
	"encoding/json"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/sla"
)

// Followup returns the follow-up record of report id (empty when none).
func (s *Store) Followup(id int) (*sla.Record, error) {
	key := followupKey(id)
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	rec := &sla.Record{}
	if raw == nil {
		return rec, nil
	}
	if err := json.Unmarshal(raw, rec); err != nil {
		return nil, errors.Wrapf(err, "decode %s", key)
	}
	return rec, nil
}

// UpdateFollowup changes the follow-up record of report id with a
// compare-and-set; fn may run several times. fn returns false to write nothing.
func (s *Store) UpdateFollowup(id int, fn func(*sla.Record) bool) (*sla.Record, error) {
	var result *sla.Record
	_, err := s.modify(followupKey(id), func(old []byte) ([]byte, bool, error) {
		rec := &sla.Record{}
		if old != nil {
			if err := json.Unmarshal(old, rec); err != nil {
				return nil, false, errors.Wrap(err, "decode follow-up record")
			}
		}
		result = rec
		if !fn(rec) {
			return nil, false, nil
		}
		data, err := json.Marshal(rec)
		return data, true, err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// ClaimDigest claims the weekly digest: it succeeds for exactly one caller per
// period, however many servers run the job. The very first call only starts the
// period, so the first digest comes a period after installation.
func (s *Store) ClaimDigest(now time.Time, every time.Duration) (bool, error) {
	claimed := false
	_, err := s.modify(keyDigest, func(old []byte) ([]byte, bool, error) {
		claimed = false
		var last time.Time
		if old != nil {
			if err := json.Unmarshal(old, &last); err != nil {
				return nil, false, errors.Wrap(err, "decode digest time")
			}
		}
		if !last.IsZero() && now.Sub(last) < every {
			return nil, false, nil
		}
		data, err := json.Marshal(now.UTC())
		claimed = err == nil && !last.IsZero()
		return data, true, err
	})
	return claimed, err
}
