package store

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// Store reads and writes reports and everything that indexes them. It holds no
// state of its own besides contention statistics, so any number of plugin
// instances (one per server in a cluster) can share one KV store.
type Store struct {
	kv    KV
	log   Logger
	retry retryPolicy
	stats retryStats
	now   func() time.Time
	// instance names this Store in migration leases.
	instance string
	// host names the server this Store runs on, in intent entries (WithHost).
	host string
	// migrated caches a true Migrated: the migration never runs backwards.
	migrated atomic.Bool
	// advConverted caches a finished ConvertSecurityUpdates.
	advConverted atomic.Bool
	// knownID is the highest report id this Store has seen exist (claimed,
	// or read from the counter): a filing starts its claim above it without
	// reading the counter (see FileAnnouncing). 0: not known yet.
	knownID atomic.Int64
	// dailyHints remembers the day counts this Store wrote (dailyKey →
	// bytes), so that taking a slot is a single compare-and-set.
	dailyHints hints
	// detailsPurged caches a finished PurgeStagingDetails walk.
	detailsPurged atomic.Bool
	// layout1Only writes what wave 1 wrote and nothing more (no summaries, no
	// intents), so tests can build a store to migrate with the code path that
	// built real ones.
	layout1Only bool
}

// Option configures a Store.
type Option func(*Store)

// WithLogger sends warnings (an index left for Replay or the check to repair) to l.
func WithLogger(l Logger) Option {
	return func(s *Store) {
		if l != nil {
			s.log = l
		}
	}
}

// WithHost names the server the Store runs on, the same across restarts of
// the plugin on that server: a restarted plugin's Replay then knows that the
// young intents naming it were left by its own dead process, and finishes
// them at once instead of waiting IntentGrace (intent.go).
func WithHost(name string) Option {
	return func(s *Store) { s.host = name }
}

// WithLayout1 makes the Store write what wave 1 wrote and nothing more (no
// summaries, no intents): build/seed uses it to seed a history in wave 1's
// layout, whose migration make bench then measures.
func WithLayout1() Option {
	return func(s *Store) { s.layout1Only = true }
}

// New returns a Store over kv: the plugin's client.KV in production, a
// pluginapi.MemoryStore in tests.
func New(kv KV, opts ...Option) *Store {
	s := &Store{kv: kv, log: discardLogger{}, retry: defaultRetry, now: time.Now, instance: newNonce()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// loadReport returns the stored bytes and the decoded report, or (nil, nil, nil)
// when there is no record. The bytes are what a compare-and-set must present as
// the old value; they may be shared with the KV and are never modified.
func (s *Store) loadReport(id int) ([]byte, *report.Report, error) {
	key := reportKey(id)
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, nil, errors.Wrapf(err, "read %s", key)
	}
	if raw == nil {
		return nil, nil, nil
	}
	r := &report.Report{}
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, nil, errors.Wrapf(err, "decode %s", key)
	}
	return raw, r, nil
}

// Integers (counter, post links, daily counts) are stored as JSON numbers.

func decodeInt(raw []byte) (int, error) {
	if raw == nil {
		return 0, nil
	}
	n, err := strconv.Atoi(string(raw))
	return n, errors.Wrap(err, "decode number")
}

func encodeInt(n int) []byte { return strconv.AppendInt(nil, int64(n), 10) }

// Index records are ascending JSON arrays of ids. They are read and written on
// every filing and status change, so they are parsed by hand: encoding/json's
// reflection was three quarters of a filing's CPU time.

func decodeIDs(raw []byte) ([]int, error) {
	if raw == nil {
		return nil, nil
	}
	body := bytes.TrimSpace(raw)
	if len(body) < 2 || body[0] != '[' || body[len(body)-1] != ']' {
		return nil, errors.New("decode id list: not a JSON array")
	}
	body = bytes.TrimSpace(body[1 : len(body)-1])
	if len(body) == 0 {
		return []int{}, nil
	}
	ids := make([]int, 0, bytes.Count(body, []byte{','})+1)
	for more := true; more; {
		var item []byte
		item, body, more = bytes.Cut(body, []byte{','})
		n, err := strconv.Atoi(string(bytes.TrimSpace(item)))
		if err != nil {
			return nil, errors.Wrap(err, "decode id list")
		}
		ids = append(ids, n)
	}
	slices.Sort(ids)
	return ids, nil
}

func encodeIDs(ids []int) []byte {
	b := make([]byte, 0, 2+len(ids)*5)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(id), 10)
	}
	return append(b, ']')
}

// withID returns ids with id in it, and whether it had to be added.
func withID(ids []int, id int) ([]int, bool) {
	i, found := slices.BinarySearch(ids, id)
	if found {
		return ids, false
	}
	return slices.Insert(ids, i, id), true
}

// withoutID returns ids without id, and whether it had to be removed.
func withoutID(ids []int, id int) ([]int, bool) {
	i, found := slices.BinarySearch(ids, id)
	if !found {
		return ids, false
	}
	return slices.Delete(ids, i, i+1), true
}

// getRaw returns the stored bytes of key (nil when absent).
func (s *Store) getRaw(key string) ([]byte, error) {
	var raw []byte
	if err := s.kv.Get(key, &raw); err != nil {
		return nil, errors.Wrapf(err, "read %s", key)
	}
	return raw, nil
}

// readIDs reads an ascending id list (an index or a directory).
func (s *Store) readIDs(key string) ([]int, error) {
	raw, err := s.getRaw(key)
	if err != nil {
		return nil, err
	}
	ids, err := decodeIDs(raw)
	return ids, errors.Wrapf(err, "read %s", key)
}

// newNonce is a random name, unique for all practical purposes, for an intent
// entry or a Store instance.
func newNonce() string {
	return strconv.FormatUint(rand.Uint64(), 36) //nolint:gosec // uniqueness, not secrecy
}
