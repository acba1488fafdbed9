package store

import (
	"encoding/json"

	"github.com/pkg/errors"
)

// Earlier versions kept a copy of each grant's access details (v1/g/d/<id>)
// that nothing ever read: the DM is the researcher's copy, and a second one in
// the KV store was only a second place for credentials to leak from. Those
// copies expire at the window's end, but an expired row may stay in the
// database until the server's cleanup, so they are deleted outright, by one
// walk over the staging ids, a bounded step per run of the background job
// (staging requests are not reports, but the walk still never runs at
// activation or on a request path).

// stagingPurge is the walk's progress.
type stagingPurge struct {
	Next int  `json:"next"` // first staging id not visited yet
	Done bool `json:"done,omitempty"`
}

// PurgeStagingDetails deletes the access-details copies of up to budget
// staging ids after the walk's cursor, and says whether the walk has passed
// the highest id. Steps on several servers at once are harmless: deletes are
// idempotent and the cursor only moves forward. A request created meanwhile
// never has a copy, so reaching the counter read at the step finishes it.
func (s *Store) PurgeStagingDetails(budget int) (bool, error) {
	if s.detailsPurged.Load() {
		return true, nil
	}
	if budget < 1 {
		return false, errors.New("purge: the budget is at least one request")
	}
	var raw []byte
	if err := s.kv.Get(keyStagingPurge, &raw); err != nil {
		return false, errors.Wrap(err, "read the staging purge state")
	}
	st, err := decodeStagingPurge(raw)
	if err != nil {
		return false, err
	}
	if st.Done {
		s.detailsPurged.Store(true)
		return true, nil
	}
	if err := s.kv.Get(keyStagingN, &raw); err != nil {
		return false, errors.Wrap(err, "read staging counter")
	}
	highest, err := decodeInt(raw)
	if err != nil {
		return false, err
	}
	from := max(st.Next, 1)
	to := min(from+budget-1, highest)
	for id := from; id <= to; id++ {
		if err := s.DeleteStagingDetails(id); err != nil {
			return false, err
		}
	}
	done := to >= highest
	if _, err := s.modify(keyStagingPurge, func(old []byte) ([]byte, bool, error) {
		cur, err := decodeStagingPurge(old)
		if err != nil {
			return nil, false, err
		}
		next := stagingPurge{Next: max(cur.Next, to+1), Done: cur.Done || done}
		if next == cur {
			return nil, false, nil
		}
		data, err := json.Marshal(next)
		return data, err == nil, errors.Wrap(err, "encode the staging purge state")
	}); err != nil {
		return false, err
	}
	if done {
		s.detailsPurged.Store(true)
	}
	return done, nil
}

func decodeStagingPurge(raw []byte) (stagingPurge, error) {
	var st stagingPurge
	if raw == nil {
		return st, nil
	}
	return st, errors.Wrap(json.Unmarshal(raw, &st), "decode the staging purge state")
}
