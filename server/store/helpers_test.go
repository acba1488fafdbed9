package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

var day0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newStore(t testing.TB) (*Store, *pluginapi.MemoryStore) {
	t.Helper()
	mem := &pluginapi.MemoryStore{}
	return New(mem), mem
}

func draft(reporter, title string) report.Report {
	return report.Report{
		ReporterID:  reporter,
		Title:       title,
		Product:     "Server",
		Vector:      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		TestedOn:    report.TestedOnCommunityServer,
		Description: "Unauthenticated request reads any channel.",
		Steps:       "curl the endpoint",
		Impact:      "Data leak",
	}
}

func userID(i int) string { return fmt.Sprintf("user%022d", i) }

func mustFile(t testing.TB, s *Store, reporter, title string) *report.Report {
	t.Helper()
	r, err := s.File(draft(reporter, title), 0, day0)
	if err != nil {
		t.Fatalf("File(%s): %v", title, err)
	}
	return r
}

func mustApply(t testing.TB, s *Store, id int, action report.Action, actor report.Actor, in report.Input) *report.Report {
	t.Helper()
	r, err := s.Update(id, func(r *report.Report) error {
		_, err := report.Apply(r, action, actor, in)
		return err
	})
	if err != nil {
		t.Fatalf("%s on %s: %v", action, report.FormatID(id), err)
	}
	return r
}

func ids(rs []*report.Report) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// rawKey reads a key's stored bytes.
func rawKey(t testing.TB, kv KV, key string) []byte {
	t.Helper()
	var raw []byte
	if err := kv.Get(key, &raw); err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	return raw
}

// snapshot copies every key and value of a MemoryStore, to compare states.
func snapshot(t testing.TB, mem *pluginapi.MemoryStore) map[string]string {
	t.Helper()
	keys, err := mem.ListKeys(0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		out[k] = string(rawKey(t, mem, k))
	}
	return out
}

func diffSnapshots(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			d = append(d, fmt.Sprintf("%s: %q -> %q", k, v, b[k]))
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			d = append(d, fmt.Sprintf("%s: (absent) -> %q", k, v))
		}
	}
	return d
}

// hookKV wraps a MemoryStore to inject failures and record writes.
type hookKV struct {
	*pluginapi.MemoryStore
	// onSet, when it returns handled, replaces the write with (ok, err).
	onSet func(key string, opts pluginapi.KVSetOptions) (handled, ok bool, err error)

	mu   sync.Mutex
	sets []setCall
}

type setCall struct {
	key  string
	opts pluginapi.KVSetOptions
}

func (h *hookKV) Set(key string, value any, options ...pluginapi.KVSetOption) (bool, error) {
	var o pluginapi.KVSetOptions
	for _, f := range options {
		f(&o)
	}
	h.mu.Lock()
	h.sets = append(h.sets, setCall{key: key, opts: o})
	h.mu.Unlock()
	if h.onSet != nil {
		if handled, ok, err := h.onSet(key, o); handled {
			return ok, err
		}
	}
	return h.MemoryStore.Set(key, value, options...)
}

func (h *hookKV) setsWithPrefix(prefix string) []setCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []setCall
	for _, c := range h.sets {
		if strings.HasPrefix(c.key, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// recordingLogger keeps warnings so tests can check a degraded write was reported.
type recordingLogger struct {
	mu       sync.Mutex
	messages []string
}

func (l *recordingLogger) Warn(msg string, kv ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.messages = append(l.messages, fmt.Sprint(append([]any{msg}, kv...)...))
}

func (l *recordingLogger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.messages)
}

// fastRetry keeps tests that exhaust the bound quick.
var fastRetry = retryPolicy{attempts: 4, base: time.Microsecond, max: 10 * time.Microsecond}

// WithClock makes the store read the time from now: intent ages, leases and
// the live-thread grace depend on it. Tests pass a fake.
func WithClock(now func() time.Time) Option {
	return func(s *Store) {
		if now != nil {
			s.now = now
		}
	}
}

// replayFinishing replays every intent on s and returns the filings it
// handed to Finish.
func replayFinishing(t testing.TB, s *Store) []int {
	t.Helper()
	var finished []int
	if _, err := s.Replay(ReplayAll, func(ids []int) error {
		finished = append(finished, ids...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return finished
}
