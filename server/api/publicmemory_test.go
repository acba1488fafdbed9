package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/halloffame"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/routes"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/service/servicetest"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// testClock is a clock many goroutines may read while a test moves it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// probeKV is the KV store of a cluster: it counts reads by key and can hold
// or fail the reads of one key, to show what a request costs and waits for.
type probeKV struct {
	*pluginapi.MemoryStore
	mu   sync.Mutex
	gets map[string]int
	// holdKey's reads announce themselves on entered, then wait for release.
	holdKey  string
	entered  chan struct{}
	release  chan struct{}
	failKeys map[string]bool
}

func newProbeKV() *probeKV {
	return &probeKV{MemoryStore: &pluginapi.MemoryStore{}, gets: map[string]int{}, failKeys: map[string]bool{}}
}

func (k *probeKV) Get(key string, out any) error {
	k.mu.Lock()
	k.gets[key]++
	hold := key == k.holdKey
	entered, release := k.entered, k.release
	fail := k.failKeys[key]
	k.mu.Unlock()
	if hold {
		entered <- struct{}{}
		<-release
	}
	if fail {
		return errors.New("the KV store is unavailable")
	}
	return k.MemoryStore.Get(key, out)
}

// reads returns the reads since the last call, by key.
func (k *probeKV) reads() map[string]int {
	k.mu.Lock()
	defer k.mu.Unlock()
	seen := k.gets
	k.gets = map[string]int{}
	return seen
}

func (k *probeKV) holdReads(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.holdKey, k.entered, k.release = key, make(chan struct{}), make(chan struct{})
}

func (k *probeKV) failReads(keys ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.failKeys = map[string]bool{}
	for _, key := range keys {
		k.failKeys[key] = true
	}
}

// testServer is one Mattermost server of a cluster: its own store (watched
// for its own changes), service and router over the cluster's KV store.
type testServer struct {
	store  *store.Store
	svc    *servicetest.Env
	router *Router
}

func newTestServer(kv store.KV, clock *testClock, settings PublicSettings) *testServer {
	changes := &PublicChanges{}
	s := &testServer{}
	s.svc = servicetest.New(servicetest.Options{
		KV:              changes.WatchKV(kv),
		TriageChannelID: servicetest.Fixed("triage"),
		Now:             clock.now,
	})
	s.store = s.svc.Store
	s.router = NewRouter(withServices(s.svc, Deps{Log: servicetest.Logger{}, Public: settings, Now: clock.now, Changes: changes, PluginURL: "/plugins/x"}))
	return s
}

func (s *testServer) get(path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, r)
	return w
}

// importHall replaces the imported Hall of Fame with names.
func (s *testServer) importHall(t *testing.T, names ...string) {
	t.Helper()
	entries := make([]halloffame.ImportedEntry, 0, len(names))
	for _, n := range names {
		entries = append(entries, halloffame.ImportedEntry{Name: n, Contributions: 1})
	}
	_, err := s.svc.HallOfFame.Import("admin", entries)
	require.NoError(t, err)
}

// testAdvisory is the i-th advisory of a program: the higher i, the newer,
// each fixed in a release of its own.
func testAdvisory(i int) report.PublicAdvisory {
	published := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	return report.PublicAdvisory{ID: fmt.Sprintf("MMSA-2026-%d", i), ReportID: i, Title: fmt.Sprintf("Advisory %d", i), Rating: report.RatingHigh,
		FixedIn: []report.FixedVersion{{Version: fmt.Sprintf("1.%d.0", i)}}, Published: published, Modified: published}
}

// publish adds the advisories numbered from..to-1 to the public list.
func (s *testServer) publish(t *testing.T, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		a := testAdvisory(i)
		held, err := s.store.ReserveAdvisoryID(a.ID, a.ReportID) // as the fix that claimed it did
		require.NoError(t, err)
		require.True(t, held)
		_, err = s.store.PutAdvisory(a)
		require.NoError(t, err)
	}
}

// sharedKey is made once: generating a key takes a good part of a second.
var sharedKey struct {
	once sync.Once
	key  string
}

func publicTestSettings(t *testing.T) PublicSettings {
	t.Helper()
	sharedKey.once.Do(func() { sharedKey.key = testPublicKey(t) })
	return PublicSettings{SiteURL: "https://chat.example.com", PluginPath: "/plugins/x", HallOfFame: true, SecurityUpdates: true,
		OSVEcosystem: "Go", OSVPackage: "example.com/server", PGPKey: sharedKey.key, ContactEmail: "security@example.com", Policy: "Our **policy**."}
}

func newCluster(t *testing.T) (*probeKV, *testClock, PublicSettings) {
	t.Helper()
	return newProbeKV(), &testClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}, publicTestSettings(t)
}

// publicPaths are every public page, with the revision key it checks (empty:
// it depends on the settings alone).
var publicPaths = []struct{ path, revisionKey string }{
	{routes.HallOfFame, "v1/hofrev"},
	{routes.HallOfFameJSON, "v1/hofrev"},
	{routes.SecurityUpdates, "v1/updrev"},
	{routes.SecurityUpdates + "?page=2", "v1/updrev"},
	{routes.SecurityUpdatesJSON, "v1/updrev"},
	{routes.AdvisoriesOSV, "v1/updrev"},
	{"/api/v1/advisories/MMSA-2026-3.osv.json", "v1/updrev"},
	{routes.SecurityTxt, ""},
	{routes.Policy, ""},
	{routes.PGPKey, ""},
}

// Within the interval a page costs no call to the server at all, for a full
// answer and for a 304 alike; after it, one read of the revision key.
func TestPublicPagesAreServedFromMemory(t *testing.T) {
	for _, tt := range publicPaths {
		t.Run(tt.path, func(t *testing.T) {
			kv, clock, settings := newCluster(t)
			srv := newTestServer(kv, clock, settings)
			srv.importHall(t, "Ada", "Grace")
			srv.publish(t, 0, 60)

			first := srv.get(tt.path)
			require.Equal(t, http.StatusOK, first.Code, first.Body.String())
			etag := first.Header().Get("ETag")
			require.NotEmpty(t, etag)
			assert.Equal(t, "no-cache", first.Header().Get("Cache-Control"))
			kv.reads()

			for step := 0; step < 5; step++ {
				w := srv.get(tt.path)
				require.Equal(t, http.StatusOK, w.Code)
				assert.Equal(t, first.Body.String(), w.Body.String())
				assert.Equal(t, etag, w.Header().Get("ETag"))
				notModified := srv.get(tt.path, "If-None-Match", etag)
				assert.Equal(t, http.StatusNotModified, notModified.Code)
				assert.Empty(t, notModified.Body.String())
				assert.Equal(t, etag, notModified.Header().Get("ETag"))
				assert.Equal(t, "no-cache", notModified.Header().Get("Cache-Control"))
				clock.advance(99 * time.Millisecond) // 495 ms in all: still within the interval
			}
			assert.Empty(t, kv.reads(), "no KV read within the interval")

			clock.advance(5 * time.Millisecond)
			for range 3 {
				assert.Equal(t, http.StatusNotModified, srv.get(tt.path, "If-None-Match", etag).Code)
			}
			want := map[string]int{}
			if tt.revisionKey != "" {
				want[tt.revisionKey] = 1
			}
			assert.Equal(t, want, kv.reads(), "once the interval passed: one revision read, then memory again")
		})
	}
}

// A change made through one server shows there at once; another server
// serves it once its check interval has passed, and not a request later.
func TestAChangeIsServedWithinTheInterval(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		change func(t *testing.T, s *testServer)
		shows  string
	}{
		{"Hall of Fame", routes.HallOfFameJSON, func(t *testing.T, s *testServer) { s.importHall(t, "Ada", "Grace", "Hedy") }, "Hedy"},
		{"Hall of Fame page", routes.HallOfFame, func(t *testing.T, s *testServer) { s.importHall(t, "Ada", "Grace", "Hedy") }, "Hedy"},
		{"Security Updates", routes.SecurityUpdates, func(t *testing.T, s *testServer) { s.publish(t, 60, 61) }, "MMSA-2026-60"},
		{"Security Updates JSON", routes.SecurityUpdatesJSON, func(t *testing.T, s *testServer) { s.publish(t, 60, 61) }, "MMSA-2026-60"},
		{"OSV listing", routes.AdvisoriesOSV, func(t *testing.T, s *testServer) { s.publish(t, 60, 61) }, "MMSA-2026-60"},
		{"a new advisory's OSV", "/api/v1/advisories/MMSA-2026-60.osv.json", func(t *testing.T, s *testServer) { s.publish(t, 60, 61) }, "MMSA-2026-60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv, clock, settings := newCluster(t)
			here, there := newTestServer(kv, clock, settings), newTestServer(kv, clock, settings)
			here.importHall(t, "Ada", "Grace")
			here.publish(t, 0, 60)
			before := there.get(tt.path)
			assert.NotContains(t, before.Body.String(), tt.shows)
			assert.NotContains(t, here.get(tt.path).Body.String(), tt.shows)

			tt.change(t, here)
			w := here.get(tt.path)
			require.Equal(t, http.StatusOK, w.Code)
			assert.Contains(t, w.Body.String(), tt.shows, "the server that made the change serves it at once")

			clock.advance(revisionCheckInterval - time.Millisecond)
			stale := there.get(tt.path)
			assert.Equal(t, before.Code, stale.Code)
			assert.Equal(t, before.Body.String(), stale.Body.String(), "another server serves from memory within the interval")
			clock.advance(time.Millisecond)
			w = there.get(tt.path, "If-None-Match", before.Header().Get("ETag"))
			require.Equal(t, http.StatusOK, w.Code, "the old ETag no longer matches")
			assert.Contains(t, w.Body.String(), tt.shows, "and serves the change once the interval has passed")
		})
	}
}

// While one request checks the revision, the others are served from memory
// and do not wait for it.
func TestConcurrentRequestsDoNotWaitForTheCheck(t *testing.T) {
	for _, tt := range []struct{ path, revisionKey string }{{routes.HallOfFameJSON, "v1/hofrev"}, {routes.SecurityUpdatesJSON, "v1/updrev"}} {
		t.Run(tt.path, func(t *testing.T) {
			kv, clock, settings := newCluster(t)
			srv := newTestServer(kv, clock, settings)
			srv.importHall(t, "Ada")
			srv.publish(t, 0, 3)
			want := srv.get(tt.path).Body.String()

			clock.advance(revisionCheckInterval)
			kv.reads()
			kv.holdReads(tt.revisionKey)
			checked := make(chan *httptest.ResponseRecorder)
			go func() { checked <- srv.get(tt.path) }()
			<-kv.entered // the check is reading the revision, and stays there

			for range 20 {
				w := srv.get(tt.path)
				require.Equal(t, http.StatusOK, w.Code)
				assert.Equal(t, want, w.Body.String())
			}
			close(kv.release)
			w := <-checked
			require.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, want, w.Body.String())
			assert.Equal(t, 1, kv.reads()[tt.revisionKey], "one request checked; the others were served meanwhile")
		})
	}
}

// A store that cannot be read when the interval has passed leaves the last
// rendering served, not an error page; a server with nothing rendered yet
// says it is unavailable.
func TestAnUnreadableStoreKeepsTheLastRendering(t *testing.T) {
	kv, clock, settings := newCluster(t)
	srv := newTestServer(kv, clock, settings)
	srv.importHall(t, "Ada")
	srv.publish(t, 0, 3)
	hall, updates := srv.get(routes.HallOfFameJSON).Body.String(), srv.get(routes.SecurityUpdatesJSON).Body.String()

	kv.failReads("v1/hofrev", "v1/hof", "v1/updrev", "v1/upd")
	clock.advance(revisionCheckInterval)
	for range 2 {
		w := srv.get(routes.HallOfFameJSON)
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, hall, w.Body.String())
		w = srv.get(routes.SecurityUpdatesJSON)
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, updates, w.Body.String())
	}

	fresh := newTestServer(kv, clock, settings)
	assert.Equal(t, http.StatusServiceUnavailable, fresh.get(routes.HallOfFameJSON).Code)
	assert.Equal(t, http.StatusServiceUnavailable, fresh.get(routes.SecurityUpdatesJSON).Code)

	kv.failReads()
	assert.Equal(t, hall, fresh.get(routes.HallOfFameJSON).Body.String(), "served again once the store answers")
}

// A settings change re-renders what depends on it; a configuration change
// that leaves the settings as they were renders nothing.
func TestASettingsChangeRerenders(t *testing.T) {
	otherKey := testPublicKey(t)
	tests := []struct {
		name   string
		change func(*PublicSettings)
		path   string
		shows  string
	}{
		{"site URL in the JSON's next link", func(s *PublicSettings) { s.SiteURL = "https://new.example.com" }, routes.SecurityUpdatesJSON, `"next":"https://new.example.com/plugins/x/api/v1/security-updates?page=2"`},
		{"site URL in the OSV references", func(s *PublicSettings) { s.SiteURL = "https://new.example.com" }, "/api/v1/advisories/MMSA-2026-3.osv.json", "https://new.example.com/plugins/x/security-updates/MMSA-2026-3"},
		{"OSV package of the listing", func(s *PublicSettings) { s.OSVPackage = "example.com/other" }, routes.AdvisoriesOSV, `"name":"example.com/other"`},
		{"OSV package of one advisory", func(s *PublicSettings) { s.OSVPackage = "example.com/other" }, "/api/v1/advisories/MMSA-2026-70.osv.json", `"name":"example.com/other"`},
		{"site URL in security.txt", func(s *PublicSettings) { s.SiteURL = "https://new.example.com" }, routes.SecurityTxt, "Contact: https://new.example.com/"},
		{"contact of security.txt", func(s *PublicSettings) { s.ContactEmail = "psirt@example.com" }, routes.SecurityTxt, "mailto:psirt@example.com"},
		{"policy", func(s *PublicSettings) { s.Policy = "A *new* policy." }, routes.Policy, "<em>new</em>"},
		{"PGP key", func(s *PublicSettings) { s.PGPKey = otherKey }, routes.PGPKey, strings.TrimSpace(otherKey)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv, clock, settings := newCluster(t)
			srv := newTestServer(kv, clock, settings)
			srv.publish(t, 0, 80)
			before := srv.get(tt.path)
			require.Equal(t, http.StatusOK, before.Code)
			require.NotContains(t, before.Body.String(), tt.shows)

			srv.router.SetPublicSettings(settings)
			kv.reads()
			assert.Equal(t, http.StatusNotModified, srv.get(tt.path, "If-None-Match", before.Header().Get("ETag")).Code)
			assert.Empty(t, kv.reads(), "the same settings again: nothing is rendered")

			tt.change(&settings)
			srv.router.SetPublicSettings(settings)
			w := srv.get(tt.path, "If-None-Match", before.Header().Get("ETag"))
			require.Equal(t, http.StatusOK, w.Code)
			assert.Contains(t, w.Body.String(), tt.shows, "the next request is rendered under the new settings")
		})
	}
}

// Turning a page off answers 404 at the next request, without a read.
func TestTurningPagesOffAnswers404(t *testing.T) {
	kv, clock, settings := newCluster(t)
	srv := newTestServer(kv, clock, settings)
	srv.importHall(t, "Ada")
	srv.publish(t, 0, 3)
	paths := []string{routes.HallOfFame, routes.HallOfFameJSON, routes.SecurityUpdates, routes.SecurityUpdatesJSON, routes.AdvisoriesOSV, "/api/v1/advisories/MMSA-2026-1.osv.json"}
	for _, path := range paths {
		require.Equal(t, http.StatusOK, srv.get(path).Code, path)
	}
	settings.HallOfFame, settings.SecurityUpdates = false, false
	srv.router.SetPublicSettings(settings)
	kv.reads()
	for _, path := range paths {
		w := srv.get(path)
		assert.Equal(t, http.StatusNotFound, w.Code, path)
		assert.NotContains(t, w.Body.String(), "Ada", path)
		assert.NotContains(t, w.Body.String(), "MMSA", path)
	}
	assert.Empty(t, kv.reads())
}

// Many requests on two servers while the lists change through one of them:
// every answer is a whole rendering, no server ever goes back to an older
// list, and both serve the last change once the interval has passed.
func TestConcurrentRequestsWhileTheRevisionChanges(t *testing.T) {
	kv, clock, settings := newCluster(t)
	here, there := newTestServer(kv, clock, settings), newTestServer(kv, clock, settings)
	here.publish(t, 0, 1)
	here.importHall(t, "Name 0")
	const changes = advisoriesPerPage - 1 // the lists fit on page 1

	count := func(t *testing.T, srv *testServer, path string) int {
		w := srv.get(path)
		if !assert.Equal(t, http.StatusOK, w.Code) {
			return -1
		}
		var body struct {
			Entries  []json.RawMessage `json:"entries"`
			Releases []json.RawMessage `json:"releases"`
		}
		if !assert.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), w.Body.String()) {
			return -1
		}
		return len(body.Entries) + len(body.Releases)
	}

	var wg sync.WaitGroup
	done := make(chan struct{})
	for g := range 8 {
		srv := []*testServer{here, there}[g%2]
		path := []string{routes.HallOfFameJSON, routes.SecurityUpdatesJSON}[g/2%2]
		wg.Go(func() {
			seen := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				n := count(t, srv, path)
				assert.GreaterOrEqual(t, n, seen, "%s never goes back to an older list", path)
				seen = max(seen, n)
			}
		})
	}
	names := []string{"Name 0"}
	for i := 1; i <= changes; i++ {
		here.publish(t, i, i+1)
		names = append(names, fmt.Sprintf("Name %d", i))
		here.importHall(t, names...)
		clock.advance(100 * time.Millisecond)
	}
	close(done)
	wg.Wait()

	clock.advance(revisionCheckInterval)
	for _, srv := range []*testServer{here, there} {
		assert.Equal(t, changes+1, count(t, srv, routes.HallOfFameJSON))
		assert.Equal(t, changes+1, count(t, srv, routes.SecurityUpdatesJSON))
	}
}
