package store

import (
	"encoding/json"
	"time"

	"github.com/pkg/errors"
)

// When the triage channel setting changes, the cards of the open and fixed
// reports move to the new channel: their people are the team now, and the old
// channel's may no longer be. There can be thousands, so the move is not made
// while the setting is saved, but in background steps, one server at a time
// (a lease in v2/rehome), each step a bounded number of reports, resuming from
// a persisted cursor. Reports that are final move when something next happens
// to them (the service's cards.home), so a move never walks the history.

// rehomeLease is how long a server may run a step before another may take
// over: far above a step of rehomeBudget reports, a few posts each.
const rehomeLease = 2 * time.Minute

// rehomeState is v2/rehome: the channel the cards go to, and how far the move
// of the open and fixed reports into it has come.
type rehomeState struct {
	To    string `json:"to"`
	Next  int    `json:"next,omitempty"` // the lowest report id not handled yet
	Done  bool   `json:"done,omitempty"`
	Owner string `json:"owner,omitempty"` // the Store instance running a step
	Until int64  `json:"until,omitempty"` // when its lease ends, Unix ms
}

// RehomeProgress says what one RehomeStep did.
type RehomeProgress struct {
	Handled int  // reports handed to move
	Done    bool // every open and fixed report has been handled
	Busy    bool // another server holds the lease; this step did nothing
}

// RehomeStep hands the next budget open and fixed reports, in id order, to
// move, which brings each into channel to; it saves the cursor after them.
// When to differs from the channel of the last move, the move starts over
// for to. A store that never recorded a channel records to as done: reports
// filed before are moved when next touched. move's first error stops the step
// before that report, which the next step handles again.
func (s *Store) RehomeStep(to string, budget int, move func(id int) error) (RehomeProgress, error) {
	var res RehomeProgress
	if to == "" || budget < 1 {
		return res, errors.New("rehome: a channel and a budget of one report at least")
	}
	raw, err := s.getRaw(keyRehome)
	if err != nil {
		return res, err
	}
	var st rehomeState
	if raw != nil {
		if err := json.Unmarshal(raw, &st); err != nil {
			return res, errors.Wrapf(err, "decode %s", keyRehome)
		}
	}
	switch {
	case raw == nil:
		res.Done = true
		_, err := s.writeRehome(nil, rehomeState{To: to, Done: true})
		return res, err
	case st.To != to:
		st = rehomeState{To: to}
	case st.Done:
		res.Done = true
		return res, nil
	}
	now := s.now()
	if st.Owner != "" && st.Owner != s.instance && now.UnixMilli() < st.Until {
		res.Busy = true
		return res, nil
	}
	st.Owner, st.Until = s.instance, now.Add(rehomeLease).UnixMilli()
	if ok, err := s.writeRehome(raw, st); err != nil || !ok {
		res.Busy = err == nil // another server claimed it, or moved the channel again
		return res, err
	}
	claimed, _ := json.Marshal(st)

	ids, err := s.unfinishedIDs(st.Next)
	if err != nil {
		return res, err
	}
	var stepErr error
	for _, id := range ids[:min(budget, len(ids))] {
		if stepErr = move(id); stepErr != nil {
			break
		}
		res.Handled++
		st.Next = id + 1
	}
	res.Done = stepErr == nil && res.Handled == len(ids)
	st.Done, st.Owner, st.Until = res.Done, "", 0
	// A lost compare-and-set means the channel moved again or the lease was
	// taken over: the newer state stands.
	if _, err := s.writeRehome(claimed, st); err != nil {
		return res, err
	}
	return res, stepErr
}

// unfinishedIDs lists the open and fixed reports from id from on, ascending.
func (s *Store) unfinishedIDs(from int) ([]int, error) {
	sums, err := s.unfinishedSummaries()
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, sum := range sums {
		if sum.ID >= from {
			ids = append(ids, sum.ID)
		}
	}
	return ids, nil
}

func (s *Store) writeRehome(old []byte, st rehomeState) (bool, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return false, errors.Wrapf(err, "encode %s", keyRehome)
	}
	return s.casSet(keyRehome, old, data)
}
