package store

import (
	"strconv"
	"strings"
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
