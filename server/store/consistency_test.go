package store

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// fakeClock is the store's clock in tests that depend on ages (intents, leases,
// the live grace).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingKV counts the KV calls going through it: each is a round trip to the
// server in production.
type countingKV struct {
	KV
	gets, sets, deletes atomic.Int64
}

func (c *countingKV) Get(key string, out any) error {
	c.gets.Add(1)
	return c.KV.Get(key, out)
}

func (c *countingKV) Set(key string, value any, options ...pluginapi.KVSetOption) (bool, error) {
	c.sets.Add(1)
	return c.KV.Set(key, value, options...)
}

func (c *countingKV) Delete(key string) error {
	c.deletes.Add(1)
	return c.KV.Delete(key)
}

func (c *countingKV) reset() { c.gets.Store(0); c.sets.Store(0); c.deletes.Store(0) }

func (c *countingKV) calls() int { return int(c.gets.Load() + c.sets.Load() + c.deletes.Load()) }

var errCrashed = errors.New("the plugin process died")

// crashKV lets the first limit writes through and fails every later one, as
// if the process had died right after write number limit: nothing it does
// afterwards reaches the store. limit < 0 never crashes; writes counts them.
type crashKV struct {
	*pluginapi.MemoryStore
	mu     sync.Mutex
	limit  int
	writes int
}

func (c *crashKV) write() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limit >= 0 && c.writes >= c.limit {
		return false
	}
	c.writes++
	return true
}

func (c *crashKV) Set(key string, value any, options ...pluginapi.KVSetOption) (bool, error) {
	if !c.write() {
		return false, errCrashed
	}
	return c.MemoryStore.Set(key, value, options...)
}

func (c *crashKV) Delete(key string) error {
	if !c.write() {
		return errCrashed
	}
	return c.MemoryStore.Delete(key)
}

// cloneMemory copies every key of mem (values are never modified in place, so
// they are shared).
func cloneMemory(t testing.TB, mem *pluginapi.MemoryStore) *pluginapi.MemoryStore {
	t.Helper()
	out := &pluginapi.MemoryStore{}
	keys, err := mem.ListKeys(0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if _, err := out.Set(k, rawKey(t, mem, k)); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// assertConsistent is the full check: every index, summary set, directory and
// post link agrees with the records (the check's dry run over every id), and,
// beyond what the store can find without listing keys, no post link or shard
// is left that the records do not explain.
func assertConsistent(t testing.TB, s *Store, mem *pluginapi.MemoryStore) {
	t.Helper()
	for _, d := range inconsistencies(t, s, mem) {
		t.Error(d)
	}
	if t.Failed() {
		t.FailNow()
	}
}

func inconsistencies(t testing.TB, s *Store, mem *pluginapi.MemoryStore) []string {
	t.Helper()
	var out []string
	highest, err := s.HighestID()
	if err != nil {
		t.Fatal(err)
	}
	if c, err := s.counter(); err != nil || c != highest {
		out = append(out, fmt.Sprintf("counter %d, highest id %d (%v)", c, highest, err))
	}
	if highest > 0 {
		res, err := s.repairRange(1, highest, modeDryRun)
		if err != nil {
			t.Fatal(err)
		}
		for _, rp := range res.Repairs {
			out = append(out, fmt.Sprintf("disagrees: %s %s %d", rp.Key, rp.Change, rp.ID))
		}
		if len(res.Missing) > 0 {
			out = append(out, fmt.Sprintf("ids without a record: %v", res.Missing))
		}
	}
	keys, err := mem.ListKeys(0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		switch {
		case strings.HasPrefix(k, prefixPost):
			post := strings.TrimPrefix(k, prefixPost)
			id, _ := decodeInt(rawKey(t, mem, k))
			_, r, err := s.loadReport(id)
			if err != nil || r == nil || !slices.Contains(r.PostIDs(), post) {
				out = append(out, fmt.Sprintf("stale post link %s -> %d", k, id))
			}
		case strings.HasPrefix(k, prefixOpenSet), strings.HasPrefix(k, prefixFixedSet), strings.HasPrefix(k, prefixLiveSet),
			strings.HasPrefix(k, prefixArchive):
			i := strings.LastIndexByte(k, '/')
			n, err := strconv.Atoi(k[i+1:])
			if err != nil || n > shardOf(max(highest, 1)) {
				out = append(out, fmt.Sprintf("shard %s beyond the highest id %d", k, highest))
			}
		}
	}
	return out
}

// intentsLeft lists the intent entries in every slot.
func intentsLeft(t testing.TB, kv KV) []intentEntry {
	t.Helper()
	var out []intentEntry
	for slot := range intentSlots {
		entries, err := decodeIntents(rawKey(t, kv, intentKey(slot)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entries...)
	}
	return out
}

// migrated returns a store over mem whose migration is done (on an empty store
// the first step finishes it), as every installation's is after its first job.
func migrated(t testing.TB, mem KV, opts ...Option) *Store {
	t.Helper()
	s := New(mem, opts...)
	for {
		p, err := s.MigrateStep(10_000)
		if err != nil {
			t.Fatal(err)
		}
		if p.Done {
			return s
		}
	}
}

func summaryIDs(sums []report.Summary) []int {
	out := make([]int, len(sums))
	for i, s := range sums {
		out[i] = s.ID
	}
	return out
}
