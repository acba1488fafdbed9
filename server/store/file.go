package store

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// File stores a new report from a validated draft and returns it with its id.
// limitPerDay caps the reports one researcher files per UTC day (0 or less: no
// cap); the cap holds exactly under concurrency. now is the filing time.
//
// Order of writes, and what a crash between them leaves:
//  1. take one of today's slots (v1/d/...): a crash here costs the researcher one
//     slot until the day ends, nothing else;
//  2. record an intent (v2/in/<k>) naming the id the claim starts above: from here on,
//     Replay finds and finishes this filing (intent.go);
//  3. create the record under the next free id (v1/r/<id>): the record itself
//     claims the id, so an id exists only with its record and ids stay dense;
//  4. raise the counter (v1/n) to the id: if lost, the next filing, Replay or
//     the check raises it, because all look past the counter for records;
//  5. add the report to the indexes a new report is in, concurrently: the
//     researcher's list and summaries, the open list and summaries, the
//     archive (FileAnnouncing: once the filer posted the card and the
//     receipt). If one is lost, the intent stays and Replay adds it;
//  6. clear the intent (FileAnnouncing: once the filer linked the report's
//     card and receipt, so Replay finishes a filing cut short before that).
//
// A refused attempt (ErrRateLimited) stops at step 1 and takes no id. If step 2
// or 3 fails the slot is given back, so an error costs the researcher nothing.
//
// Steps 1 and 2 run at once, and step 4 while the filer posts the card and
// the receipt: the filer waits for two KV calls in a row (the intent, the
// record; the slot's compare-and-set runs beside the intent, on a guessed
// count, and the claim starts above the highest id this Store saw, without
// reading the counter: claimHint), against 12 in wave 1.
// TestFilingRoundTrips counts them.
func (s *Store) File(draft report.Report, limitPerDay int, now time.Time) (*report.Report, error) {
	r, filing, err := s.FileAnnouncing(draft, limitPerDay, now)
	if err != nil {
		return nil, err
	}
	filing.Done()
	return r, nil
}

// Announcing is a stored filing that its filer announces (the card, the
// receipt) before its indexes follow (FileAnnouncing).
type Announcing struct {
	s       *Store
	key     string // SEC-n, for the log
	intent  *heldIntent
	raised  <-chan error
	index   func() error
	indexed sync.Once
	err     error
	ended   sync.Once
}

// Index writes the new report's indexes, once; a filer calls it when its
// posts are made, so that these writes do not compete with them.
func (a *Announcing) Index() {
	if a == nil {
		return // the filing failed
	}
	a.indexed.Do(func() {
		a.err = a.index()
		if err := <-a.raised; err != nil {
			a.s.log.Warn("Report stored but the id counter was not raised; the next filing or the replay raises it.",
				"report", a.key, "error", err.Error())
		}
	})
}

// Done writes the indexes if Index was not called, and clears the filing's
// intent, once: a filer calls it when the posts are linked. When an index
// write failed, the intent stays for Replay.
func (a *Announcing) Done() {
	if a == nil {
		return
	}
	a.Index()
	a.ended.Do(func() {
		if a.err != nil {
			a.s.log.Warn("Report stored but an index was not updated; the intent replay repairs it.",
				"report", a.key, "error", a.err.Error())
			return // the intent stays for Replay
		}
		a.s.endIntent(a.intent)
	})
}

// FileAnnouncing is File for a filer that announces the report after storing
// it (the card, the receipt) and links the posts to it: the indexes follow
// when the filer calls Index, and the filing's intent stays until it calls
// Done, once the posts are linked, so a crash before that leaves the intent
// and Replay hands the report to its Finish, which posts or finds them.
func (s *Store) FileAnnouncing(draft report.Report, limitPerDay int, now time.Time) (*report.Report, *Announcing, error) {
	if draft.ReporterID == "" {
		return nil, nil, errors.New("file: the draft has no reporter")
	}
	r := draft
	r.MarkFiled(0, now)

	// The day's slot, the counter and the intent are independent until the
	// claim: take the slot meanwhile. A refused slot ends the intent again.
	day := dailyKey(draft.ReporterID, now)
	slot := make(chan error, 1)
	go func() {
		if limitPerDay <= 0 {
			slot <- nil
			return
		}
		slot <- s.takeDailySlot(day, limitPerDay)
	}()
	counterRaw, counter, err := s.claimHint()
	var intent *heldIntent
	if err == nil && !s.layout1Only {
		intent, err = s.beginIntent(filingSlot(), intentEntry{After: counter, Filed: r.Created.UnixNano()})
	}
	if slotErr := <-slot; slotErr != nil {
		s.endIntent(intent)
		return nil, nil, slotErr
	}
	fail := func(err error) (*report.Report, *Announcing, error) {
		if limitPerDay > 0 {
			s.giveBackDailySlot(day)
		}
		return nil, nil, err
	}
	if err != nil {
		return fail(err)
	}
	data, err := s.claim(&r, counter)
	if err != nil {
		s.endIntent(intent)
		return fail(err)
	}

	// The report exists from here on. The counter follows at once (the next
	// filing starts from it), the indexes when the filer calls Index.
	filed := r
	raised := make(chan error, 1)
	go func() { raised <- s.raiseCounterFrom(counterRaw, counter, filed.ID) }()
	return &r, &Announcing{s: s, key: r.Key(), intent: intent, raised: raised, index: func() error {
		return s.syncIndexes(filed.ID, syncFiled, nil, data, &filed)
	}}, nil
}

// takeDailySlot counts one more filing today, or refuses if the day is full.
// The check and the increment are one compare-and-set, so 12 concurrent attempts
// against a limit of 10 give exactly 10 slots. It first guesses the day's
// count (none, for a researcher's first filing today, or what this Store last
// wrote), so that it is a single write beside the intent; a wrong guess costs
// the read it saved.
func (s *Store) takeDailySlot(key string, limit int) error {
	guess := s.dailyHints.get(key)
	if n, err := decodeInt(guess); err == nil && n < limit {
		next := encodeInt(n + 1)
		if ok, err := s.casSet(key, guess, next, pluginapi.SetExpiry(dailyTTL)); err == nil && ok {
			s.dailyHints.set(key, next)
			return nil
		}
	}
	var taken []byte
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		n, err := decodeInt(old)
		if err != nil {
			return nil, false, errors.Wrapf(err, "read %s", key)
		}
		if n >= limit {
			return nil, false, ErrRateLimited
		}
		taken = encodeInt(n + 1)
		return taken, true, nil
	}, pluginapi.SetExpiry(dailyTTL))
	if err == nil {
		s.dailyHints.set(key, taken)
	}
	return err
}

// giveBackDailySlot undoes takeDailySlot after a failed filing. It is best effort:
// if it fails too, the researcher has one slot fewer until midnight UTC.
func (s *Store) giveBackDailySlot(key string) {
	s.dailyHints.set(key, nil)
	_, err := s.modify(key, func(old []byte) ([]byte, bool, error) {
		n, err := decodeInt(old)
		if err != nil || n <= 0 {
			return nil, false, err
		}
		return encodeInt(n - 1), true, nil
	}, pluginapi.SetExpiry(dailyTTL))
	if err != nil {
		s.log.Warn("Could not give back a daily filing slot after a failed filing.", "key", key, "error", err.Error())
	}
}

// claim stores r under the lowest free id, sets r.ID and returns the stored bytes. Creating the record
// with "write only if absent" is the allocation: two filers racing for id n both
// try to create v1/r/<n> and exactly one succeeds; the other moves on to n+1.
// The counter is only a starting hint, so a record is never created above a
// missing one, and ids stay dense even if a filer dies between steps.
func (s *Store) claim(r *report.Report, counter int) ([]byte, error) {
	next := counter + 1
	for attempt := 1; ; attempt++ {
		r.ID = next
		data, err := json.Marshal(r)
		if err != nil {
			return nil, errors.Wrap(err, "encode report")
		}
		ok, err := s.casSet(reportKey(next), nil, data)
		if err != nil {
			return nil, err
		}
		if ok {
			s.stats.record(attempt)
			s.sawID(next)
			return data, nil
		}
		if attempt >= s.retry.attempts {
			s.stats.record(attempt)
			return nil, errors.Wrapf(ErrBusy, "allocate an id: gave up after %d attempts", attempt)
		}
		// Record next exists, so next+1 is a valid candidate. A counter past
		// next means the hint was stale, and the next free id is likely above
		// it: no need to wait. Else another filer took next at the same time,
		// and both back off.
		if counter, err = s.counter(); err != nil {
			return nil, err
		}
		if counter < next {
			s.retry.wait(attempt)
		}
		next = max(next+1, counter+1)
	}
}

// counter reads the id counter.
func (s *Store) counter() (int, error) {
	_, n, err := s.readCounter()
	return n, err
}

// readCounter reads the id counter and its stored bytes.
func (s *Store) readCounter() ([]byte, int, error) {
	raw, err := s.getRaw(keyCounter)
	if err != nil {
		return nil, 0, err
	}
	n, err := decodeInt(raw)
	if err == nil {
		s.sawID(n)
	}
	return raw, n, err
}

// claimHint is where a filing starts its claim: the highest id this Store
// has seen exist, with the counter's bytes as they would be if it still holds
// it, so that a filing on a server that files alone makes no counter read.
// Another server's filings make the hint stale: the claim then finds the next
// id taken, reads the counter and moves on without waiting, and the intent's
// After is lower than it could be, which the replay bisects past
// (replayFiling). The first filing after a start reads the counter.
func (s *Store) claimHint() ([]byte, int, error) {
	if n := int(s.knownID.Load()); n > 0 {
		return encodeInt(n), n, nil
	}
	return s.readCounter()
}

// sawID records that report id exists.
func (s *Store) sawID(id int) {
	for {
		known := s.knownID.Load()
		if int64(id) <= known || s.knownID.CompareAndSwap(known, int64(id)) {
			return
		}
	}
}

// raiseCounterFrom raises the counter to id, knowing it held raw (the value
// seen) before the claim: when id is the next one, as it is without contention,
// a single compare-and-set does it.
func (s *Store) raiseCounterFrom(raw []byte, seen, id int) error {
	if id == seen+1 {
		ok, err := s.casSet(keyCounter, raw, encodeInt(id))
		if err != nil || ok {
			return err
		}
	}
	return s.raiseCounter(id)
}

// raiseCounter moves the counter up to id; it never moves it down.
func (s *Store) raiseCounter(id int) error {
	_, err := s.modify(keyCounter, func(old []byte) ([]byte, bool, error) {
		n, err := decodeInt(old)
		if err != nil || n >= id {
			return nil, false, err
		}
		return encodeInt(id), true, nil
	})
	return err
}

// HighestID is the highest report id. Ids 1..HighestID enumerate every report.
// It starts from the counter and looks past it, because a filer may have stored
// its record and not yet raised the counter.
func (s *Store) HighestID() (int, error) {
	n, err := s.counter()
	if err != nil {
		return 0, err
	}
	for {
		ok, err := s.exists(reportKey(n + 1))
		if err != nil || !ok {
			return n, err
		}
		n++
	}
}
