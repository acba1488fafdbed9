package store

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// The public advisories (the Security Updates) in publication order, in
// shards of advisoryShardSize, so that reading a page of them, or changing
// one, costs a shard or two however many advisories a program has published
// (keys.go: v2/adv, the newest shard's number, raised after a shard is
// created, so readers look past it; v2/adv/<k>, shard k, oldest first;
// v2/adv/r/<id>, the shard a report's advisory is in, or is about to be in;
// v1/updrev, the revision, raised by every change).
//
// An advisory is appended to the shard its v2/adv/r entry names, and that
// entry moves on (k to k+1) only while shard k is full without it, so an
// advisory is in one shard at most, even when two writers of the same report
// race or a writer dies between the two keys (the next writer appends it
// where the entry says). A shard is created only once the one before is full,
// and an advisory is never removed (a disclosed report is final), so shards
// 0..k-1 are full and an advisory's position never changes.
//
// Wave 1 kept every advisory in one record, v1/upd, which
// ConvertSecurityUpdates copies into the shards once (securityupdates_v1.go).

// advisoryShardSize is how many advisories a shard holds: a page of the
// Security Updates spans one or two shards.
const advisoryShardSize = 100

func decodeShard(raw []byte, key string) ([]report.PublicAdvisory, error) {
	var shard []report.PublicAdvisory
	if raw == nil {
		return nil, nil
	}
	return shard, errors.Wrapf(json.Unmarshal(raw, &shard), "decode %s", key)
}

// PutAdvisory publishes a disclosed report's advisory, or replaces it with a
// newer projection (report.PublicAdvisory.Replacing), and raises the
// revision when anything changed. It reports whether it did.
func (s *Store) PutAdvisory(a report.PublicAdvisory) (bool, error) {
	return s.changeAdvisories(func(u *report.SecurityUpdates) bool { return u.Put(a) }, func() (bool, error) {
		return s.putInShards(a)
	})
}

// SetAdvisoryCredit puts credit on the advisories of the given reports (a
// researcher's credited disclosures, after a profile change; "" removes the
// name) and raises the revision when any changed. An advisory whose report no
// longer asks for credit keeps none.
func (s *Store) SetAdvisoryCredit(reportIDs map[int]bool, credit string) (bool, error) {
	return s.changeAdvisories(func(u *report.SecurityUpdates) bool { return u.SetCredit(reportIDs, credit) }, func() (bool, error) {
		return s.setCreditInShards(reportIDs, credit)
	})
}

// changeAdvisories makes a change in the shards or, until the conversion
// has finished, in v1/upd (securityupdates_v1.go), then raises the revision
// if it changed anything. A crash before the raise leaves the revision
// behind until the next change.
func (s *Store) changeAdvisories(inV1 func(*report.SecurityUpdates) bool, inShards func() (bool, error)) (bool, error) {
	converted, err := s.advisoriesConverted()
	if err != nil {
		return false, err
	}
	changed := false
	if !converted {
		if changed, converted, err = s.updateV1Advisories(inV1); err != nil {
			return false, err
		}
	}
	if converted {
		if changed, err = inShards(); err != nil {
			return false, err
		}
	}
	if !changed {
		return false, nil
	}
	return true, s.raiseAdvisoriesRevision()
}

// putInShards is PutAdvisory in the shards.
func (s *Store) putInShards(a report.PublicAdvisory) (bool, error) {
	k, err := s.advisoryShardOf(a.ReportID)
	if err != nil {
		return false, err
	}
	for attempt := 1; ; attempt++ {
		var changed, full bool
		key := advisoryShardKey(k)
		_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
			changed, full = false, false
			shard, err := decodeShard(old, key)
			if err != nil {
				return nil, false, err
			}
			if i := slices.IndexFunc(shard, func(cur report.PublicAdvisory) bool { return cur.ReportID == a.ReportID }); i >= 0 {
				shard[i], changed = a.Replacing(shard[i])
			} else if len(shard) < advisoryShardSize {
				shard, changed = append(shard, a), true
			} else {
				full = true
			}
			if !changed {
				return nil, false, nil
			}
			data, err := json.Marshal(shard)
			return data, true, errors.Wrapf(err, "encode %s", key)
		})
		if err != nil || !full {
			if err == nil && changed {
				err = s.raiseAdvisoryHead(k)
			}
			return changed, err
		}
		// Shard k filled up before this advisory got in: it goes to the next
		// one, unless another writer of the same report moved it already.
		if k, err = s.moveAdvisoryOn(a.ReportID, k); err != nil {
			return false, err
		}
		if attempt >= s.retry.attempts {
			return false, errors.Wrapf(ErrBusy, "publish the advisory of report %d", a.ReportID)
		}
	}
}

// advisoryShardOf is the shard report id's advisory is in, or goes to: the
// one its v2/adv/r entry names, created on the newest shard when absent.
func (s *Store) advisoryShardOf(reportID int) (int, error) {
	key := advisoryOfKey(reportID)
	for {
		raw, err := s.getRaw(key)
		if err != nil {
			return 0, err
		}
		if raw != nil {
			return decodeInt(raw)
		}
		newest, err := s.newestAdvisoryShard()
		if err != nil {
			return 0, err
		}
		ok, err := s.casSet(key, nil, encodeInt(newest))
		if err != nil || ok {
			return newest, err
		}
		// Another writer of the same report created the entry first.
	}
}

// moveAdvisoryOn moves report id's entry from the full shard k to k+1,
// unless it moved already, and returns where it points now.
func (s *Store) moveAdvisoryOn(reportID, k int) (int, error) {
	next := k
	_, err := s.modify(advisoryOfKey(reportID), func(old []byte) ([]byte, bool, error) {
		cur, err := decodeInt(old)
		if err != nil {
			return nil, false, err
		}
		if cur > k {
			next = cur
			return nil, false, nil
		}
		next = k + 1
		return encodeInt(next), true, nil
	})
	return next, err
}

// newestAdvisoryShard is the highest shard number in use: the head, or past
// it when a writer created a shard and has not raised the head yet.
func (s *Store) newestAdvisoryShard() (int, error) {
	raw, err := s.getRaw(keyAdvisoryHead)
	if err != nil {
		return 0, err
	}
	k, err := decodeInt(raw)
	if err != nil {
		return 0, errors.Wrapf(err, "read %s", keyAdvisoryHead)
	}
	for {
		ok, err := s.exists(advisoryShardKey(k + 1))
		if err != nil || !ok {
			return k, err
		}
		k++
	}
}

// raiseAdvisoryHead raises the head to k; it never lowers it.
func (s *Store) raiseAdvisoryHead(k int) error {
	if k == 0 {
		return nil // the head's value when absent
	}
	_, err := s.modify(keyAdvisoryHead, func(old []byte) ([]byte, bool, error) {
		cur, err := decodeInt(old)
		if err != nil || cur >= k {
			return nil, false, err
		}
		return encodeInt(k), true, nil
	})
	return err
}

// setCreditInShards is SetAdvisoryCredit in the shards: each shard holding
// one of the reports is rewritten once.
func (s *Store) setCreditInShards(reportIDs map[int]bool, credit string) (bool, error) {
	shards := map[int]bool{}
	for id := range reportIDs {
		raw, err := s.getRaw(advisoryOfKey(id))
		if err != nil {
			return false, err
		}
		if raw == nil {
			continue // not published (yet): its publication reads the profile
		}
		k, err := decodeInt(raw)
		if err != nil {
			return false, err
		}
		shards[k] = true
	}
	changed := false
	for k := range shards {
		key := advisoryShardKey(k)
		wrote, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
			shard, err := decodeShard(old, key)
			if err != nil {
				return nil, false, err
			}
			u := report.SecurityUpdates{Advisories: shard}
			if !u.SetCredit(reportIDs, credit) {
				return nil, false, nil
			}
			data, err := json.Marshal(u.Advisories)
			return data, true, errors.Wrapf(err, "encode %s", key)
		})
		if err != nil {
			return changed, err
		}
		changed = changed || wrote
	}
	return changed, nil
}

// raiseAdvisoriesRevision counts one more change of the public advisories.
func (s *Store) raiseAdvisoriesRevision() error {
	_, err := s.modify(keyUpdatesRev, func(old []byte) ([]byte, bool, error) {
		cur, err := decodeInt(old)
		return encodeInt(cur + 1), err == nil, err
	})
	return err
}

// SecurityUpdatesRevision is the revision of the public advisories: one small
// read, so every public request can check it.
func (s *Store) SecurityUpdatesRevision() (int64, error) {
	raw, err := s.getRaw(keyUpdatesRev)
	if err != nil {
		return 0, err
	}
	n, err := decodeInt(raw)
	return int64(n), err
}

// Advisories is the public advisories as they were when read: Count of
// them, at positions 0 (the first published) to Count-1 (the latest).
type Advisories struct {
	Count int
	s     *Store
	// v1 holds every advisory, oldest first, read from v1/upd before the
	// conversion; nil after.
	v1 []report.PublicAdvisory
}

// Advisories reads how many advisories are public: a few small reads (the
// head, the newest shard), or v1/upd until the conversion has finished.
func (s *Store) Advisories() (*Advisories, error) {
	converted, err := s.advisoriesConverted()
	if err != nil {
		return nil, err
	}
	if !converted {
		u, moved, err := s.v1Advisories()
		if err != nil {
			return nil, err
		}
		if !moved {
			all := oldestFirst(u)
			return &Advisories{Count: len(all), s: s, v1: all}, nil
		}
	}
	k, err := s.newestAdvisoryShard()
	if err != nil {
		return nil, err
	}
	key := advisoryShardKey(k)
	raw, err := s.getRaw(key)
	if err != nil {
		return nil, err
	}
	shard, err := decodeShard(raw, key)
	if err != nil {
		return nil, err
	}
	return &Advisories{Count: k*advisoryShardSize + len(shard), s: s}, nil
}

// Newest returns the advisories at newest-first places from..to-1 (0 is the
// latest), newest first: page n of a listing of per a page is
// Newest((n-1)*per, n*per). It reads the shards that hold them.
func (a *Advisories) Newest(from, to int) ([]report.PublicAdvisory, error) {
	to = min(to, a.Count)
	if from >= to || from < 0 {
		return nil, nil
	}
	// Newest-first places from..to-1 are positions Count-to..Count-from-1.
	lo, hi := a.Count-to, a.Count-from
	var out []report.PublicAdvisory
	if a.v1 != nil {
		out = slices.Clone(a.v1[lo:hi])
	} else {
		for k := lo / advisoryShardSize; k*advisoryShardSize < hi; k++ {
			key := advisoryShardKey(k)
			raw, err := a.s.getRaw(key)
			if err != nil {
				return nil, err
			}
			shard, err := decodeShard(raw, key)
			if err != nil {
				return nil, err
			}
			base := k * advisoryShardSize
			for i, adv := range shard {
				if p := base + i; p >= lo && p < hi {
					out = append(out, adv)
				}
			}
		}
	}
	slices.Reverse(out)
	return out, nil
}

// AdvisoryByID returns the public advisory with an id, matched without
// regard to case: three small reads (the id's owner, its shard's number, the
// shard). ok is false for any id that is not public.
func (s *Store) AdvisoryByID(id string) (adv report.PublicAdvisory, ok bool, err error) {
	converted, err := s.advisoriesConverted()
	if err != nil {
		return adv, false, err
	}
	if !converted {
		u, moved, err := s.v1Advisories()
		if err != nil {
			return adv, false, err
		}
		if !moved {
			adv, ok = u.Find(id)
			return adv, ok, nil
		}
	}
	owner, err := s.getRaw(advisoryOwnerKey(id))
	if err != nil || owner == nil {
		return adv, false, err
	}
	reportID, err := decodeInt(owner)
	if err != nil {
		return adv, false, err
	}
	raw, err := s.getRaw(advisoryOfKey(reportID))
	if err != nil || raw == nil {
		return adv, false, err
	}
	k, err := decodeInt(raw)
	if err != nil {
		return adv, false, err
	}
	key := advisoryShardKey(k)
	if raw, err = s.getRaw(key); err != nil {
		return adv, false, err
	}
	shard, err := decodeShard(raw, key)
	if err != nil {
		return adv, false, err
	}
	for _, a := range shard {
		if a.ReportID == reportID && strings.EqualFold(a.ID, id) {
			return a, true, nil
		}
	}
	return adv, false, nil
}
