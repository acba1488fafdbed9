package store

import (
	"encoding/json"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/staging"
)

// ErrTooManyOpen refuses a staging request beyond the researcher's open limit.
var ErrTooManyOpen = errors.New("too many open staging requests")

// stagingIndex is a researcher's staging requests. Keeping the open ones here
// makes the limit check and the insert one compare-and-set, so two requests
// sent at once cannot both slip under the limit.
type stagingIndex struct {
	All  []int `json:"all"`
	Open []int `json:"open"`
}

// CreateStaging stores a new request if the researcher holds fewer than maxOpen
// open ones. Order: id, researcher's index (the limit), record, open list; a
// crash leaves at worst an id without a record, which nothing enumerates.
func (s *Store) CreateStaging(r staging.Request, maxOpen int, now time.Time) (*staging.Request, error) {
	var id int
	if _, err := s.modify(keyStagingN, func(old []byte) ([]byte, bool, error) {
		n, err := decodeInt(old)
		id = n + 1
		return encodeInt(id), err == nil, err
	}); err != nil {
		return nil, err
	}
	r.ID, r.Version, r.Created, r.Updated = id, 1, now.UTC(), now.UTC()

	if _, err := s.modify(stagingByKey(r.RequesterID), func(old []byte) ([]byte, bool, error) {
		var idx stagingIndex
		if old != nil {
			if err := json.Unmarshal(old, &idx); err != nil {
				return nil, false, errors.Wrap(err, "decode staging index")
			}
		}
		if maxOpen > 0 && len(idx.Open) >= maxOpen {
			return nil, false, ErrTooManyOpen
		}
		idx.All, _ = withID(idx.All, id)
		idx.Open, _ = withID(idx.Open, id)
		data, err := json.Marshal(idx)
		return data, true, err
	}); err != nil {
		return nil, err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return nil, errors.Wrap(err, "encode staging request")
	}
	if _, err := s.kv.Set(stagingKey(id), data); err != nil {
		return nil, errors.Wrap(err, "store staging request")
	}
	if _, err := s.setMember(keyStagingOpen, id, true); err != nil {
		s.log.Warn("Staging request stored but not listed as open", "id", id, "error", err.Error())
	}
	return &r, nil
}

// GetStaging reads one request.
func (s *Store) GetStaging(id int) (*staging.Request, error) {
	var raw []byte
	if err := s.kv.Get(stagingKey(id), &raw); err != nil {
		return nil, errors.Wrap(err, "read staging request")
	}
	if raw == nil {
		return nil, errors.Wrapf(ErrNotFound, "staging request %d", id)
	}
	r := &staging.Request{}
	return r, errors.Wrap(json.Unmarshal(raw, r), "decode staging request")
}

// UpdateStaging changes a request with a compare-and-set on its record; fn may
// run several times. Leaving the open states also updates the indexes.
func (s *Store) UpdateStaging(id int, fn func(*staging.Request) error) (*staging.Request, error) {
	var result *staging.Request
	var wasOpen bool
	_, err := s.modify(stagingKey(id), func(old []byte) ([]byte, bool, error) {
		if old == nil {
			return nil, false, errors.Wrapf(ErrNotFound, "staging request %d", id)
		}
		r := &staging.Request{}
		if err := json.Unmarshal(old, r); err != nil {
			return nil, false, errors.Wrap(err, "decode staging request")
		}
		wasOpen = r.Status.IsOpen()
		if err := fn(r); err != nil {
			return nil, false, err
		}
		r.Version++
		result = r
		data, err := json.Marshal(r)
		return data, true, err
	})
	if err != nil {
		return nil, err
	}
	if wasOpen && !result.Status.IsOpen() {
		if _, err := s.setMember(keyStagingOpen, id, false); err != nil {
			s.log.Warn("Staging request closed but still listed as open", "id", id, "error", err.Error())
		}
		if _, err := s.modify(stagingByKey(result.RequesterID), func(old []byte) ([]byte, bool, error) {
			var idx stagingIndex
			if old != nil {
				if err := json.Unmarshal(old, &idx); err != nil {
					return nil, false, err
				}
			}
			var removed bool
			idx.Open, removed = withoutID(idx.Open, id)
			data, err := json.Marshal(idx)
			return data, removed, err
		}); err != nil {
			s.log.Warn("Staging request closed but still counted as open", "id", id, "error", err.Error())
		}
	}
	return result, nil
}

// StagingByRequester lists a researcher's requests, newest first.
func (s *Store) StagingByRequester(userID string) ([]*staging.Request, error) {
	var raw []byte
	if err := s.kv.Get(stagingByKey(userID), &raw); err != nil {
		return nil, errors.Wrap(err, "read staging index")
	}
	var idx stagingIndex
	if raw != nil {
		if err := json.Unmarshal(raw, &idx); err != nil {
			return nil, errors.Wrap(err, "decode staging index")
		}
	}
	return s.loadStaging(idx.All)
}

// OpenStaging lists pending and approved requests, oldest first.
func (s *Store) OpenStaging() ([]*staging.Request, error) {
	var raw []byte
	if err := s.kv.Get(keyStagingOpen, &raw); err != nil {
		return nil, errors.Wrap(err, "read open staging list")
	}
	ids, err := decodeIDs(raw)
	if err != nil {
		return nil, err
	}
	return s.loadStaging(ids)
}

// AllStaging lists every request, newest first, walking ids down from the
// counter (no key listing).
func (s *Store) AllStaging(limit int) ([]*staging.Request, error) {
	var raw []byte
	if err := s.kv.Get(keyStagingN, &raw); err != nil {
		return nil, errors.Wrap(err, "read staging counter")
	}
	n, err := decodeInt(raw)
	if err != nil {
		return nil, err
	}
	var out []*staging.Request
	for id := n; id >= 1 && len(out) < limit; id-- {
		r, err := s.GetStaging(id)
		if err == nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Store) loadStaging(ids []int) ([]*staging.Request, error) {
	out := make([]*staging.Request, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		r, err := s.GetStaging(ids[i])
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// DeleteStagingDetails removes the access-details copy an earlier version
// kept for a grant. Nothing writes one any more (the plugin never read it
// back: the DM is the researcher's copy), but while a cluster is being
// upgraded a server still on the old version may, so the expiry of a grant
// deletes it too.
func (s *Store) DeleteStagingDetails(id int) error {
	return errors.Wrap(s.kv.Delete(stagingDetailsKey(id)), "delete access details")
}
