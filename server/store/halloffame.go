package store

import (
	"encoding/json"
	"strconv"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/pkg/errors"
)

// The Hall of Fame is one aggregate record (keyHallOfFame) plus a small revision
// key (keyHallRevision) that every public request reads, so a server learns
// with one small Get whether the list it rendered is still current. The record
// is written first, then the revision raised to the record's: a crash in
// between leaves the revision behind, which the next change (or the next load
// of the record, see RaiseHallOfFameRevision) repairs.

// HallOfFame returns the aggregate; an empty one when none was stored yet.
func (s *Store) HallOfFame() (*halloffame.Aggregate, error) {
	var raw []byte
	if err := s.kv.Get(keyHallOfFame, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", keyHallOfFame)
	}
	return decodeHallOfFame(raw)
}

func decodeHallOfFame(raw []byte) (*halloffame.Aggregate, error) {
	h := &halloffame.Aggregate{}
	if raw == nil {
		return h, nil
	}
	if err := json.Unmarshal(raw, h); err != nil {
		return nil, errors.Wrapf(err, "decode %s", keyHallOfFame)
	}
	return h, nil
}

// HallOfFameRevision is the revision of the latest stored aggregate, as
// published in the revision key (0 before the first change).
func (s *Store) HallOfFameRevision() (int64, error) {
	var raw []byte
	if err := s.kv.Get(keyHallRevision, &raw); err != nil {
		return 0, errors.Wrapf(err, "read %s", keyHallRevision)
	}
	return decodeRevision(raw)
}

func decodeRevision(raw []byte) (int64, error) {
	if raw == nil {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, errors.Wrapf(err, "decode %s", keyHallRevision)
}

// UpdateHallOfFame changes the aggregate with fn under compare-and-set,
// retrying on a fresh copy when another writer came first, so fn must not have
// effects outside the aggregate. fn reports whether it changed anything; only
// then is the record written, with Rev one higher, and the revision key raised.
// It returns the aggregate as stored (or as read, when nothing changed) and
// whether it wrote. An error from fn stops the update and is returned as is.
func (s *Store) UpdateHallOfFame(fn func(*halloffame.Aggregate) (bool, error)) (*halloffame.Aggregate, bool, error) {
	var result *halloffame.Aggregate
	wrote, err := s.modify(keyHallOfFame, func(old []byte) ([]byte, bool, error) {
		h, err := decodeHallOfFame(old)
		if err != nil {
			return nil, false, err
		}
		result = h
		changed, err := fn(h)
		if err != nil || !changed {
			return nil, false, err
		}
		h.Rev++
		data, err := json.Marshal(h)
		if err != nil {
			return nil, false, errors.Wrapf(err, "encode %s", keyHallOfFame)
		}
		return data, true, nil
	})
	if err != nil {
		return nil, false, err
	}
	if wrote {
		if err := s.RaiseHallOfFameRevision(result.Rev); err != nil {
			// The record is stored; readers catch up at the next change or
			// the next time a server loads the record.
			s.log.Warn("Hall of Fame updated but its revision key was not; it is repaired later.", "error", err.Error())
		}
	}
	return result, wrote, nil
}

// RaiseHallOfFameRevision moves the revision key up to rev; it never moves it
// down, so two writers finishing in either order leave the higher revision.
func (s *Store) RaiseHallOfFameRevision(rev int64) error {
	_, err := s.modify(keyHallRevision, func(old []byte) ([]byte, bool, error) {
		cur, err := decodeRevision(old)
		if err == nil && cur >= rev {
			return nil, false, nil
		}
		// An undecodable revision is overwritten: the record is the truth.
		return strconv.AppendInt(nil, rev, 10), true, nil
	})
	return err
}
