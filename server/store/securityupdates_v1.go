package store

import (
	"bytes"
	"encoding/json"
	"sort"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Wave 1, and layout 2 before the shards, kept every public advisory in one
// record, v1/upd, which every change rewrote whole and every server read
// whole. ConvertSecurityUpdates copies it into the shards once. Until then,
// writers change v1/upd only and readers read it; the conversion ends by
// replacing v1/upd with movedMarker under a compare-and-set of exactly the
// bytes it copied, so a change made while it copied fails that write and is
// copied in the next round, and a writer that finds the marker writes the
// shards instead. The marker is the one moment from which the shards are the
// list, for every writer and reader on every server; v2/adv/mig only saves
// them reading v1/upd to learn it.

// movedMarker is what v1/upd holds once its advisories are in the shards.
var movedMarker = []byte(`{"moved":"v2/adv"}`)

// conversionLease is how long a server may copy before another may take
// over: far above the few seconds 2,000 advisories take. Two servers copying
// at once could write an older copy over a newer one.
const conversionLease = 2 * time.Minute

// conversionState is v2/adv/mig.
type conversionState struct {
	Done  bool   `json:"done,omitempty"`
	Owner string `json:"owner,omitempty"` // the Store instance copying
	Until int64  `json:"until,omitempty"` // when its lease ends, Unix ms
}

// advisoriesConverted says whether the shards are the list. Once true it
// stays true, so it is cached and costs nothing after that. A store writing
// wave 1's layout never converts.
func (s *Store) advisoriesConverted() (bool, error) {
	if s.layout1Only {
		return false, nil
	}
	if s.advConverted.Load() {
		return true, nil
	}
	st, _, err := s.readConversion()
	if err != nil {
		return false, err
	}
	if st.Done {
		s.advConverted.Store(true)
	}
	return st.Done, nil
}

// v1Advisories reads v1/upd; moved is true once it holds the marker.
func (s *Store) v1Advisories() (u *report.SecurityUpdates, moved bool, err error) {
	raw, err := s.getRaw(keyUpdates)
	if err != nil {
		return nil, false, err
	}
	return decodeV1Advisories(raw)
}

func decodeV1Advisories(raw []byte) (*report.SecurityUpdates, bool, error) {
	u := &report.SecurityUpdates{}
	if bytes.Equal(raw, movedMarker) {
		return u, true, nil
	}
	if raw == nil {
		return u, false, nil
	}
	return u, false, errors.Wrapf(json.Unmarshal(raw, u), "decode %s", keyUpdates)
}

// updateV1Advisories changes v1/upd with a compare-and-set; fn returns false
// to write nothing. It reports whether it wrote, or that v1/upd has moved.
func (s *Store) updateV1Advisories(fn func(*report.SecurityUpdates) bool) (wrote, moved bool, err error) {
	wrote, err = s.modify(keyUpdates, func(old []byte) ([]byte, bool, error) {
		u, gone, err := decodeV1Advisories(old)
		if err != nil || gone {
			moved = gone
			return nil, false, err
		}
		if !fn(u) {
			return nil, false, nil
		}
		u.Rev++
		data, err := json.Marshal(u)
		return data, true, err
	})
	return wrote, moved, err
}

// ConvertSecurityUpdates copies v1/upd into the shards, oldest first, until
// it can replace v1/upd with the marker (see above); it returns how many
// advisories it wrote. It holds a lease meanwhile, and does nothing while
// another server holds it. A crash leaves v1/upd the list, and the next
// conversion starts again, finding what was copied already. 2,000
// advisories take a few seconds, once, in the background; on a new
// installation it only writes the marker.
func (s *Store) ConvertSecurityUpdates() (int, error) {
	if done, err := s.advisoriesConverted(); err != nil || done || s.layout1Only {
		return 0, err
	}
	st, raw, err := s.readConversion()
	if err != nil {
		return 0, err
	}
	now := s.now()
	if st.Owner != "" && st.Owner != s.instance && now.UnixMilli() < st.Until {
		return 0, nil // another server is copying
	}
	claimed := conversionState{Owner: s.instance, Until: now.Add(conversionLease).UnixMilli()}
	if ok, err := s.writeConversion(raw, claimed); err != nil || !ok {
		return 0, err // another server claimed it first
	}
	claimedRaw, _ := json.Marshal(claimed)

	copied := 0
	for attempt := 1; ; attempt++ {
		old, err := s.getRaw(keyUpdates)
		if err != nil {
			return copied, err
		}
		u, moved, err := decodeV1Advisories(old)
		if err != nil {
			return copied, err
		}
		if moved {
			break
		}
		for _, a := range oldestFirst(u) {
			changed, err := s.putInShards(a)
			if err != nil {
				return copied, errors.Wrapf(err, "copy %s into the shards", a.ID)
			}
			if changed {
				copied++
			}
		}
		ok, err := s.casSet(keyUpdates, old, movedMarker)
		if err != nil {
			return copied, err
		}
		if ok {
			break
		}
		if err := s.backoff(keyUpdates, attempt); err != nil {
			return copied, err // changed all the time: the next run goes on
		}
	}
	if _, err := s.writeConversion(claimedRaw, conversionState{Done: true}); err != nil {
		return copied, err
	}
	s.advConverted.Store(true)
	return copied, nil
}

// oldestFirst orders v1/upd's advisories (stored newest first) by
// publication, oldest first; the stored order breaks ties.
func oldestFirst(u *report.SecurityUpdates) []report.PublicAdvisory {
	out := make([]report.PublicAdvisory, 0, len(u.Advisories))
	for i := len(u.Advisories) - 1; i >= 0; i-- {
		out = append(out, u.Advisories[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Published.Before(out[j].Published) })
	return out
}

func (s *Store) readConversion() (conversionState, []byte, error) {
	raw, err := s.getRaw(keyAdvisoryConversion)
	if err != nil {
		return conversionState{}, nil, err
	}
	var st conversionState
	if raw != nil {
		err = errors.Wrapf(json.Unmarshal(raw, &st), "decode %s", keyAdvisoryConversion)
	}
	return st, raw, err
}

func (s *Store) writeConversion(old []byte, st conversionState) (bool, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return false, errors.Wrapf(err, "encode %s", keyAdvisoryConversion)
	}
	return s.casSet(keyAdvisoryConversion, old, data)
}
