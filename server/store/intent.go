package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pkg/errors"
)

// A filing or a change writes the record and then several index and summary
// keys, and the KV store has no multi-key atomic write. So before the first of
// those writes the writer records an intent, and clears it after the last: a
// crash in between leaves a short list of exactly the reports whose indexes
// may lag their records, and Replay finishes them by syncing each from its
// current record. Nothing walks the reports.
//
// Intents live in intentSlots fixed keys, so they are found without listing
// keys. A writer creates the slot of its report with its single entry if the
// slot is empty (one write) and deletes it on success if it still holds just
// that entry (one write); when the slot is busy it appends to and removes from
// the slot's list by compare-and-set, by nonce, so two writers never clear each
// other's entry.
const intentSlots = 16

// IntentGrace is how old an intent must be before the job replays and clears
// it: a younger one may belong to a writer still at work on another server,
// and clearing it would lose the only trace of that writer's pending writes if
// it then crashed. It is far above the longest a writer takes (each
// compare-and-set loop gives up within seconds).
const IntentGrace = 5 * time.Minute

// filingWindow bounds how long after its filing time a filing can hold an id:
// a claim gives up within the retry bound (about 8 s), and servers' clocks
// differ by less than the rest. Replay uses it to stop walking ids (see
// replayFiling).
const filingWindow = 2 * time.Minute

// intentEntry is one write in progress.
type intentEntry struct {
	Nonce string `json:"n"`
	At    int64  `json:"t"`           // when written, Unix ms
	ID    int    `json:"i,omitempty"` // the report; 0 for a filing, whose id is not known yet
	// A filing: the id counter as read before claiming an id (its id is above
	// it), and its filing time (Unix ns) to bound the walk over later ids.
	After int   `json:"a,omitempty"`
	Filed int64 `json:"f,omitempty"`
	// Posts the change may unlink: the card and thread the record named before.
	Posts []string `json:"p,omitempty"`
	// Host is the server the writer ran on (WithHost), so that activation
	// knows the young entries of its own server are dead writers' (see
	// ReplayAll); empty when the Store was not told its server.
	Host string `json:"h,omitempty"`
}

// heldIntent is an intent this Store wrote and must clear.
type heldIntent struct {
	slot  int
	entry intentEntry
	alone []byte // the slot's bytes if this entry created it alone, else nil
}

// intentSlot is where an update of report id records its intent, so that
// writers of different reports rarely share a slot.
func intentSlot(id int) int { return id % intentSlots }

// filingSlot is where a filing records its intent: its id is not known yet,
// and concurrent filers all read the same counter, so a random slot spreads
// them.
func filingSlot() int { return rand.IntN(intentSlots) } //nolint:gosec // spreading, not secrecy

// emptySlotProbes is how many slots beginIntent tries to create alone before
// it appends to a busy one: a created slot costs one write to record and one to
// clear, an append two each.
const emptySlotProbes = 2

// beginIntent records e in slot (or the next free one) before a multi-key
// write. Nothing has been written when it fails, so the caller fails too.
func (s *Store) beginIntent(slot int, e intentEntry) (*heldIntent, error) {
	e.Nonce, e.At, e.Host = newNonce(), s.now().UnixMilli(), s.host
	alone, err := json.Marshal([]intentEntry{e})
	if err != nil {
		return nil, errors.Wrap(err, "encode an intent")
	}
	for probe := range emptySlotProbes {
		k := (slot + probe) % intentSlots
		ok, err := s.casSet(intentKey(k), nil, alone)
		if err != nil {
			return nil, err
		}
		if ok {
			return &heldIntent{slot: k, entry: e, alone: alone}, nil
		}
	}
	key := intentKey(slot)
	_, err = s.modify(key, func(old []byte) ([]byte, bool, error) {
		entries, err := decodeIntents(old)
		if err != nil {
			entries = nil // an undecodable slot is replaced: it could never be replayed anyway
		}
		data, err := json.Marshal(append(entries, e))
		return data, err == nil, errors.Wrap(err, "encode an intent")
	})
	if err != nil {
		return nil, err
	}
	return &heldIntent{slot: slot, entry: e}, nil
}

// endIntent clears an intent once its writes are done. A failure only leaves
// the entry for the job to replay, which is harmless, so it is logged.
func (s *Store) endIntent(h *heldIntent) {
	if h == nil {
		return
	}
	key := intentKey(h.slot)
	if h.alone != nil {
		ok, err := s.casSet(key, h.alone, nil)
		if err == nil && ok {
			return
		}
	}
	if err := s.clearIntent(key, h.entry.Nonce); err != nil {
		s.log.Warn("Could not clear an intent; the job replays and clears it.", "key", key, "error", err.Error())
	}
}

// clearIntent removes the entry with nonce from the slot at key.
func (s *Store) clearIntent(key, nonce string) error {
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		entries, err := decodeIntents(old)
		if err != nil {
			return nil, false, err
		}
		kept := slices.DeleteFunc(slices.Clone(entries), func(e intentEntry) bool { return e.Nonce == nonce })
		if len(kept) == len(entries) {
			return nil, false, nil
		}
		if len(kept) == 0 {
			return nil, true, nil
		}
		data, err := json.Marshal(kept)
		return data, err == nil, errors.Wrap(err, "encode intents")
	})
	return err
}

func decodeIntents(raw []byte) ([]intentEntry, error) {
	if raw == nil {
		return nil, nil
	}
	var entries []intentEntry
	if err := json.Unmarshal(bytes.TrimSpace(raw), &entries); err != nil {
		return nil, errors.Wrap(err, "decode intents")
	}
	return entries, nil
}

// firstFiledSince is an id in lo..highest at or below that of every record
// filed since since by a filing still under way then, found by bisection on
// the filing times. Records are created in id order, and a record's filing
// time lies within filingWindow of its creation (a claim gives up within
// seconds; clocks differ by less than the rest): so from a filing's own id on,
// every record was filed after its filing time minus filingWindow, and the
// first id the bisection finds so is at or below it, whatever the ids below
// hold.
func (s *Store) firstFiledSince(lo, highest int, since time.Time) (int, error) {
	hi := highest + 1 // past the end: as if filed since
	for lo < hi {
		mid := lo + (hi-lo)/2
		_, r, err := s.loadReport(mid)
		if err != nil {
			return 0, err
		}
		if r != nil && !r.Created.Before(since) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// ReplayMode says which intents Replay finishes.
type ReplayMode int

const (
	// ReplayAll is for activation: every intent is replayed, because this
	// server's own writers died with the previous process, however recently.
	// Replaying an intent whose writer is alive on another server is harmless
	// (a sync from the current record is idempotent and safe beside the
	// writer's own), but clearing it, or finishing what the writer does after
	// its store writes (posting a card), is not. So a young intent counts as
	// its writer's dead only when it names this server (WithHost); other young
	// ones are synced and kept.
	ReplayAll ReplayMode = iota
	// ReplayStale is for the job: intents younger than IntentGrace are left to
	// their writers; older ones are replayed and cleared.
	ReplayStale
)

// Replayed says what Replay did.
type Replayed struct {
	Replayed int   // entries replayed
	Skipped  int   // entries left to a writer that may be alive
	Cleared  int   // entries cleared
	Reports  []int // the reports synced, ascending
	// Orphaned are the reports of the entries whose writer is certainly gone
	// (the entries cleared), ascending: what the writer did after its store
	// writes (the public lists, a filing's card and receipt) may be missing.
	// A filing's entry names its own report only.
	Orphaned []int
}

// Finish does, for the reports of an entry whose writer is gone, what the
// writer would have done after its store writes: the service's steps that
// follow a change. It runs before the entry is cleared, so a crash or an
// error keeps the entry for the next replay; it must be idempotent.
type Finish func(ids []int) error

// Replay finishes the writes that crashed writers left behind: it reads the
// intent slots, syncs each entry's reports from their current records, runs
// finish (when not nil) for the entries whose writer is gone, and clears
// those (see ReplayMode). It reads intentSlots keys plus what the entries
// name, whatever the number of reports. A Finish that fails keeps its entry
// and the replay goes on with the others; the first such error is returned.
func (s *Store) Replay(mode ReplayMode, finish Finish) (Replayed, error) {
	var res Replayed
	now := s.now()
	synced, orphaned := map[int]bool{}, map[int]bool{}
	var finishErr error
	for slot := range intentSlots {
		key := intentKey(slot)
		raw, err := s.getRaw(key)
		if err != nil {
			return res, err
		}
		entries, err := decodeIntents(raw)
		if err != nil {
			s.log.Warn("An intent slot does not decode; it is dropped.", "key", key, "error", err.Error())
			if _, err := s.casSet(key, raw, nil); err != nil {
				return res, err
			}
			continue
		}
		for _, e := range entries {
			gone := s.writerGone(e, mode, now)
			if mode == ReplayStale && !gone {
				res.Skipped++
				continue
			}
			ids, own, err := s.replayEntry(e)
			if err != nil {
				return res, err
			}
			res.Replayed++
			for _, id := range ids {
				synced[id] = true
			}
			if !gone {
				continue
			}
			if finish != nil {
				if err := finish(own); err != nil {
					// Kept for the next replay; the other entries go on.
					finishErr = cmp.Or(finishErr, err)
					continue
				}
			}
			for _, id := range own {
				orphaned[id] = true
			}
			if err := s.clearIntent(key, e.Nonce); err != nil {
				return res, err
			}
			res.Cleared++
		}
	}
	res.Reports = slices.Sorted(maps.Keys(synced))
	res.Orphaned = slices.Sorted(maps.Keys(orphaned))
	return res, finishErr
}

// writerGone says whether the writer of e can no longer be at work: its
// entry is older than IntentGrace, or, at activation, it ran on this server,
// whose previous process is gone.
func (s *Store) writerGone(e intentEntry, mode ReplayMode, now time.Time) bool {
	if now.Sub(time.UnixMilli(e.At)) >= IntentGrace {
		return true
	}
	return mode == ReplayAll && s.host != "" && e.Host == s.host
}

// replayEntry syncs the reports an entry may have left behind, and names the
// entry's own report: the one its writer was writing, which Finish completes
// (a filing's walk syncs other filings' records too, but their writers may
// be alive elsewhere).
func (s *Store) replayEntry(e intentEntry) (synced, own []int, err error) {
	if e.ID > 0 {
		return []int{e.ID}, []int{e.ID}, s.syncIndexes(e.ID, syncAll, e.Posts, nil, nil)
	}
	return s.replayFiling(e)
}

// replayFiling finds the record a filing may have created and syncs it. Its id
// is above the counter value it saw, and ids are handed out in order: any
// record claimed after this filing's claim ended has a higher id. So walking up
// from there, a record filed more than filingWindow after this filing started
// marks the end: this filing's record, if it exists, was passed already. Every
// record walked is synced, since which one is this filing's is not known (the
// others are other filings, for which a sync is harmless). The counter is
// raised past what was found, as the filing would have.
//
// The filing's own record is the one whose filing time is the entry's, to
// the nanosecond (File stamps both from one instant).
//
// After may be far below this filing's id (the claim hint of a server that
// had not filed for a while, see claimHint), so the walk starts where a
// bisection says records filed within filingWindow before this one begin.
func (s *Store) replayFiling(e intentEntry) (ids, own []int, err error) {
	highest, err := s.HighestID()
	if err != nil {
		return nil, nil, err
	}
	filed := time.Unix(0, e.Filed)
	end := filed.Add(filingWindow)
	start, err := s.firstFiledSince(e.After+1, highest, filed.Add(-filingWindow))
	if err != nil {
		return nil, nil, err
	}
	for id := start; id <= highest; id++ {
		raw, r, err := s.loadReport(id)
		if err != nil {
			return ids, own, err
		}
		if r == nil {
			continue
		}
		if r.Created.After(end) {
			break
		}
		if err := s.syncIndexes(id, syncAll, nil, raw, r); err != nil {
			return ids, own, err
		}
		ids = append(ids, id)
		if own == nil && r.Created.UnixNano() == e.Filed {
			own = []int{id}
		}
	}
	return ids, own, s.raiseCounter(highest)
}
