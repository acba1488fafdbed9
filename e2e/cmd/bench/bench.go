package main

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// bench holds the running server and the people who act on it.
type bench struct {
	cfg        config
	ctx        context.Context
	stack      *harness.Stack
	pluginID   string
	researcher *harness.User
	triager    *harness.User
	// dmID is the researcher's DM channel with the plugin's bot, where
	// receipts arrive.
	dmID string
}

func (b *bench) prepare() error {
	b.researcher, b.triager = b.stack.User("researcher"), b.stack.User("triager")
	dm, err := b.researcher.DirectChannel(b.ctx, b.stack.Bot.Id)
	if err != nil {
		return err
	}
	b.dmID = dm.Id
	return nil
}

func (b *bench) pluginURL(id, path string) string {
	return b.stack.MM.URL + "/plugins/" + id + path
}

// measure takes every figure, in an order that keeps each one clean:
// activation first (it needs the plugin disabled and the history in place),
// then the background work activation may leave, then requests.
func (b *bench) measure(seeder string, res *results) error {
	ctx := b.ctx
	admin := b.stack.Admin.Client
	progress("disabling %s", b.pluginID)
	if err := b.stack.MM.DisablePlugin(ctx, b.pluginID); err != nil {
		return err
	}
	if err := b.stack.MM.WaitPluginState(ctx, admin, b.pluginID, model.PluginStateNotRunning, 2*time.Minute); err != nil {
		return err
	}
	if seeder != "" {
		progress("seeding %d reports into the KV table", b.cfg.seed)
		sr, err := seed(ctx, b.stack.PG, seeder, seedRequest{
			reports:         b.cfg.seed,
			pluginID:        b.pluginID,
			reporters:       []string{b.researcher.Id},
			triagers:        []string{b.triager.Id},
			triageChannelID: b.stack.TriageChannel.Id,
			pageSize:        b.cfg.pageSize,
			layout:          b.cfg.seedLayout,
		})
		if err != nil {
			return err
		}
		res.seed = &sr
		progress("seeded %d rows in %s", sr.rows, sr.duration.Round(time.Second))
	}

	progress("enabling %s and waiting for /security help (at most %s)", b.pluginID, b.cfg.activationTimeout)
	enabled := time.Now()
	act, err := b.activate()
	res.activation = act
	if err != nil {
		return err
	}
	if !act.answered {
		return fmt.Errorf("the plugin did not answer /security help within %s of enabling it", b.cfg.activationTimeout)
	}
	progress("activated in %s; waiting for its background work (at most %s)", act.elapsed.Round(time.Millisecond), b.cfg.settleTimeout)
	res.settle = b.settle()
	if b.cfg.seed > 0 && b.cfg.seedLayout == 1 {
		progress("waiting for the migration of wave 1's layout (at most %s)", b.cfg.settleTimeout)
		m, err := b.awaitMigration(enabled, b.cfg.settleTimeout)
		if err != nil {
			return err
		}
		res.migration = &m
	}

	progress("timing %d plain posts and %d floor commands", b.cfg.posts, b.cfg.posts)
	if res.posts, err = b.plainPosts(); err != nil {
		return err
	}
	if res.floorCommand, err = b.floorCommands(); err != nil {
		return err
	}
	targets, err := b.pageTargets()
	if err != nil {
		return err
	}
	progress("throughput: %d rounds of %s runs, %d connections, %d pages", b.cfg.rounds, b.cfg.roundDuration, b.cfg.conns, len(targets))
	if res.ping, res.floorRoute, res.pages, err = b.throughputRounds(targets); err != nil {
		return err
	}
	progress("filing %d reports through the dialog", b.cfg.filings)
	if res.filing, err = b.filings(); err != nil {
		return err
	}
	progress("timing the REST lists")
	if res.rest, err = b.restLists(); err != nil {
		return err
	}
	res.rssEnd = b.pluginRSS()
	return nil
}

// pageTargets are the public pages, as anyone on the internet asks for them.
func (b *bench) pageTargets() ([]target, error) {
	page := func(name, path string) target {
		return target{name: name, url: b.pluginURL(b.pluginID, path), want: http.StatusOK}
	}
	hall := page("Hall of Fame HTML", "/hall-of-fame")
	etag, err := b.etag(hall.url)
	if err != nil {
		return nil, err
	}
	targets := []target{
		hall,
		page("Hall of Fame JSON", "/api/v1/hall-of-fame"),
		{name: "Hall of Fame 304 (If-None-Match)", url: hall.url, header: http.Header{"If-None-Match": {etag}}, want: http.StatusNotModified},
		page("Security Updates HTML", "/security-updates"),
		page("Security Updates JSON", "/api/v1/security-updates"),
	}
	advisory, err := b.firstAdvisoryID()
	if err != nil {
		return nil, err
	}
	if advisory != "" {
		targets = append(targets, page("Security Updates OSV ("+advisory+")", "/api/v1/advisories/"+advisory+".osv.json"))
	}
	return append(targets,
		page("security.txt", "/security.txt"),
		page("policy", "/policy"),
		page("PGP key", "/pgp-key.txt"),
	), nil
}

func (b *bench) etag(url string) (string, error) {
	resp, err := http.Get(url) //nolint:gosec // the bench's own loopback server
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || etag == "" {
		return "", fmt.Errorf("GET %s answered %s with ETag %q; the 304 figure needs an ETag", url, resp.Status, etag)
	}
	return etag, nil
}

var advisoryIDPattern = regexp.MustCompile(`"id"\s*:\s*"([A-Z][A-Z0-9]{1,15}-[0-9]{4}-[0-9]{1,9})"`)

// firstAdvisoryID is an advisory of the public listing ("" when there is none).
func (b *bench) firstAdvisoryID() (string, error) {
	_, body, err := b.researcher.PluginRequest(b.ctx, http.MethodGet, b.pluginID, "/api/v1/security-updates", nil)
	if err != nil {
		return "", err
	}
	if m := advisoryIDPattern.FindSubmatch(body); m != nil {
		return string(m[1]), nil
	}
	return "", nil
}

// pluginRSS is the resident memory of the plugin's process now (0: none).
func (b *bench) pluginRSS() int64 {
	pid, err := b.stack.MM.PluginPID(b.pluginID)
	if err != nil || pid == 0 {
		return 0
	}
	rss, _ := harness.ReadVmRSS(pid)
	return rss
}

func execOutput(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
