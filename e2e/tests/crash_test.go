package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// crashResearchers file at the same time, crashFilingsBeforeKill filings are
// acknowledged before the plugin process is killed.
const (
	crashResearchers       = 3
	crashFilingsBeforeKill = 6
	// The server checks its plugins' health every 30 seconds and restarts a
	// crashed one; activation comes after that.
	crashRestartTimeout = 2 * time.Minute
)

// The plugin process is SIGKILLed in the middle of a burst of filings by
// several researchers through the dialog. After the server restarted it, every
// acknowledged filing is listed by `/security mine` of its reporter and in the
// team's queue, every report of the burst has exactly one card, ids are dense,
// and the full consistency check (`/security admin check`) has nothing to
// repair: the replay at activation finished what the kill cut short.
func TestCrashDuringAFilingBurstLosesNothing(t *testing.T) {
	ctx := ctxFor(t)
	id := env.Bundle.ID
	researchers := make([]*harness.User, crashResearchers)
	for i := range researchers {
		researchers[i] = newResearcher(t)
	}
	tag := uniqueTag("Crash")

	var (
		mu    sync.Mutex
		acked = map[string]*harness.User{} // report key → reporter
		tried int
	)
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for i, u := range researchers {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-killed:
					return
				default:
				}
				form := reportForm(fmt.Sprintf("%s r%d n%d", tag, i, n))
				// A refusal or an error (the plugin died under the request) is
				// no acknowledgement; the filing may or may not exist.
				key, err := harness.FileReport(ctx, u, env.Team.Id, env.DefaultChannel.Id, form, 10*time.Second)
				mu.Lock()
				tried++
				if err == nil {
					acked[key] = u
				}
				mu.Unlock()
			}
		})
	}
	require.NoError(t, harness.Eventually(ctx, 2*time.Minute, 50*time.Millisecond, "filings before the kill", func(context.Context) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= crashFilingsBeforeKill, nil
	}))
	pid, err := env.MM.PluginPID(id)
	require.NoError(t, err)
	require.NotZero(t, pid, "the plugin's process")
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	close(killed)
	wg.Wait()
	mu.Lock()
	t.Logf("%d filings tried, %d acknowledged before the kill of process %d", tried, len(acked), pid)
	mu.Unlock()

	waitRestarted(t, pid)

	keys := make([]int, 0, len(acked))
	for key := range acked {
		n, err := strconv.Atoi(strings.TrimPrefix(key, "SEC-"))
		require.NoError(t, err)
		keys = append(keys, n)
	}
	lo, hi := keys[0], keys[0]
	for _, n := range keys {
		lo, hi = min(lo, n), max(hi, n)
	}

	triager := env.User("triager")
	queued := queueIDs(t, triager)
	cards := cardCounts(t, triager)
	for key, u := range acked {
		n, _ := strconv.Atoi(strings.TrimPrefix(key, "SEC-"))
		mine, err := u.CommandReply(ctx, env.Team.Id, env.DefaultChannel.Id, "/security mine", wait)
		require.NoError(t, err)
		assert.Contains(t, mine, "**"+key+"**", "%s in /security mine of %s", key, u.Username)
		assert.True(t, queued[n], "%s in the team's queue", key)
		assert.Equal(t, 1, cards[n], "%s has exactly one card", key)
	}
	// Dense ids: every id between the burst's lowest and highest acknowledged
	// ones has a record (the killed filings among them too), and every record
	// of the burst has exactly one card, the killed ones included.
	for n := lo; n <= hi; n++ {
		_, err := harness.GetReportView(ctx, triager, id, n)
		assert.NoError(t, err, "SEC-%d between acknowledged filings", n)
		assert.Equal(t, 1, cards[n], "SEC-%d has exactly one card", n)
	}
	// A filing killed after the last acknowledged one may exist too: the
	// replay announced it.
	last := hi
	for n := hi + 1; ; n++ {
		if _, err := harness.GetReportView(ctx, triager, id, n); err != nil {
			break
		}
		assert.Equal(t, 1, cards[n], "SEC-%d, filed as the plugin died, has exactly one card", n)
		last = n
	}
	t.Logf("SEC-%d to SEC-%d: %d acknowledged, %d stored by filings the kill cut short", lo, last, len(acked), last-lo+1-len(acked))

	// The check covers every report, and the restarted plugin's catch-up may
	// still be relaying (or refusing) missed replies to earlier scenarios'
	// reports, whose updates the check sees in flight. So: none of the
	// burst's reports needs a repair, and nothing does once that settled.
	check, err := env.Admin.CommandReply(ctx, env.Team.Id, env.DefaultChannel.Id, "/security admin check", 2*time.Minute)
	require.NoError(t, err)
	for _, m := range regexp.MustCompile(`\((\d+)\)`).FindAllStringSubmatch(check, -1) {
		n, _ := strconv.Atoi(m[1])
		assert.False(t, n >= lo && n <= last, "SEC-%d of the burst needed a repair:\n%s", n, check)
	}
	err = harness.Eventually(ctx, time.Minute, time.Second, "indexes and summaries agree", func(ctx context.Context) (bool, error) {
		check, err = env.Admin.CommandReply(ctx, env.Team.Id, env.DefaultChannel.Id, "/security admin check", 2*time.Minute)
		return strings.Contains(check, " 0 repairs, 0 missing records, 0 Hall of Fame and Security Updates corrections"), err
	})
	assert.NoError(t, err, "indexes and summaries agree:\n%s", check)
}

// waitRestarted waits until the server runs the plugin again in a new process
// and it answers commands.
func waitRestarted(t *testing.T, killed int) {
	t.Helper()
	ctx := ctxFor(t)
	require.NoError(t, harness.Eventually(ctx, crashRestartTimeout, 500*time.Millisecond, "the plugin to be restarted", func(ctx context.Context) (bool, error) {
		pid, err := env.MM.PluginPID(env.Bundle.ID)
		if err != nil || pid == 0 || pid == killed {
			return false, err
		}
		state, err := harness.PluginState(ctx, env.Admin.Client, env.Bundle.ID)
		if err != nil || state != model.PluginStateRunning {
			return false, nil //nolint:nilerr // not yet
		}
		reply, err := env.User("triager").CommandReply(ctx, env.Team.Id, env.DefaultChannel.Id, "/security help", 5*time.Second)
		return err == nil && strings.Contains(reply, "/security help"), nil
	}))
}

// queueIDs lists the ids of the team's queue, every page.
func queueIDs(t *testing.T, u *harness.User) map[int]bool {
	t.Helper()
	ctx := ctxFor(t)
	ids := map[int]bool{}
	cursor := 0
	for pages := 0; pages < 1000; pages++ {
		code, body, err := u.PluginRequest(ctx, http.MethodGet, env.Bundle.ID, fmt.Sprintf("/api/v1/reports/queue?cursor=%d", cursor), nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, code, "%s", body)
		var page struct {
			Reports []struct {
				ID int `json:"id"`
			} `json:"reports"`
			Next int `json:"next_cursor"`
		}
		require.NoError(t, json.Unmarshal(body, &page), "%s", body)
		for _, r := range page.Reports {
			ids[r.ID] = true
		}
		if page.Next == 0 {
			return ids
		}
		cursor = page.Next
	}
	t.Fatal("the queue's pages do not end")
	return nil
}

// cardCounts counts the cards of each report in the triage channel: the
// bot's top-level posts carrying the report id prop with the card's heading.
func cardCounts(t *testing.T, u *harness.User) map[int]int {
	t.Helper()
	ctx := ctxFor(t)
	counts := map[int]int{}
	const perPage = 200
	for page := 0; page < 100; page++ {
		list, _, err := u.Client.GetPostsForChannel(ctx, env.TriageChannel.Id, page, perPage, "", false, false)
		require.NoError(t, err)
		for _, p := range list.Posts {
			if p.RootId != "" || p.UserId != env.Bot.Id || !strings.HasPrefix(p.Message, "#### Security report ") {
				continue
			}
			if n, ok := p.GetProp("report_id").(float64); ok {
				counts[int(n)]++
			}
		}
		if len(list.Order) < perPage {
			break
		}
	}
	return counts
}
