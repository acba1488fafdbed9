package store

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func advisoryOwnerKey(id string) string { return prefixAdvisoryID + strings.ToUpper(id) }

// NextAdvisoryNumber counts a year's advisories: 1, 2, 3, ...
func (s *Store) NextAdvisoryNumber(year int) (int, error) {
	var n int
	_, err := s.modify(prefixAdvisoryN+strconv.Itoa(year), func(old []byte) ([]byte, bool, error) {
		cur, err := decodeInt(old)
		n = cur + 1
		return encodeInt(n), err == nil, err
	})
	return n, err
}

// ReserveAdvisoryID gives advisory id to report reportID unless another report
// has it. It reports whether reportID holds the id now.
func (s *Store) ReserveAdvisoryID(id string, reportID int) (bool, error) {
	held := false
	_, err := s.modify(advisoryOwnerKey(id), func(old []byte) ([]byte, bool, error) {
		owner, err := decodeInt(old)
		if err != nil {
			return nil, false, err
		}
		switch owner {
		case 0:
			held = true
			return encodeInt(reportID), true, nil
		case reportID:
			held = true
		default:
			held = false
		}
		return nil, false, nil
	})
	return held, err
}

// ReleaseAdvisoryID frees an id reportID held.
func (s *Store) ReleaseAdvisoryID(id string, reportID int) error {
	_, err := s.modify(advisoryOwnerKey(id), func(old []byte) ([]byte, bool, error) {
		owner, err := decodeInt(old)
		if err != nil || owner != reportID {
			return nil, false, err
		}
		return nil, true, nil
	})
	return err
}

// SecurityUpdates reads the public advisories.
func (s *Store) SecurityUpdates() (*report.SecurityUpdates, error) {
	var raw []byte
	if err := s.kv.Get(keyUpdates, &raw); err != nil {
		return nil, errors.Wrap(err, "read the security updates")
	}
	u := &report.SecurityUpdates{}
	if raw == nil {
		return u, nil
	}
	return u, errors.Wrap(json.Unmarshal(raw, u), "decode the security updates")
}

// SecurityUpdatesRevision is the revision of the public advisories: one small
// read, so every public request can check it.
func (s *Store) SecurityUpdatesRevision() (int64, error) {
	var raw []byte
	if err := s.kv.Get(keyUpdatesRev, &raw); err != nil {
		return 0, errors.Wrap(err, "read the security updates revision")
	}
	n, err := decodeInt(raw)
	return int64(n), err
}

// UpdateSecurityUpdates changes the public advisories with a compare-and-set;
// fn returns false to write nothing. Each write raises the revision, then the
// revision key follows (only ever upwards), so readers see the change.
func (s *Store) UpdateSecurityUpdates(fn func(*report.SecurityUpdates) bool) (*report.SecurityUpdates, error) {
	var result *report.SecurityUpdates
	wrote, err := s.modify(keyUpdates, func(old []byte) ([]byte, bool, error) {
		u := &report.SecurityUpdates{}
		if old != nil {
			if err := json.Unmarshal(old, u); err != nil {
				return nil, false, errors.Wrap(err, "decode the security updates")
			}
		}
		result = u
		if !fn(u) {
			return nil, false, nil
		}
		u.Rev++
		data, err := json.Marshal(u)
		return data, true, err
	})
	if err != nil || !wrote {
		return result, err
	}
	_, err = s.modify(keyUpdatesRev, func(old []byte) ([]byte, bool, error) {
		cur, err := decodeInt(old)
		if err != nil || int64(cur) >= result.Rev {
			return nil, false, err
		}
		return encodeInt(int(result.Rev)), true, nil
	})
	return result, err
}
