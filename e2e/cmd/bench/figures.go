package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// The measurements. Latencies are sequential calls as one user makes them;
// throughput is a load loop over keep-alive connections.

// plainPosts times POST /api/v4/posts of a one-line message.
func (b *bench) plainPosts() (samples, error) {
	var s samples
	channel := b.stack.DefaultChannel.Id
	for i := -3; i < b.cfg.posts; i++ { // three warm-up posts
		d, err := timed(func() error {
			_, _, err := b.researcher.Client.CreatePost(b.ctx, &model.Post{ChannelId: channel, Message: fmt.Sprintf("bench post %d", i)})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("a plain post: %w", err)
		}
		if i >= 0 {
			s = append(s, d)
		}
	}
	return s, nil
}

// floorCommands times the floor plugin's command (one KV write).
func (b *bench) floorCommands() (samples, error) {
	var s samples
	for i := -3; i < b.cfg.posts; i++ {
		d, err := timed(func() error {
			resp, _, err := b.researcher.Client.ExecuteCommandWithTeam(b.ctx, b.stack.DefaultChannel.Id, b.stack.Team.Id, "/"+floorTrigger)
			if err == nil && resp.Text != floorAnswer {
				err = fmt.Errorf("/%s answered %q", floorTrigger, resp.Text)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("the floor command: %w", err)
		}
		if i >= 0 {
			s = append(s, d)
		}
	}
	return s, nil
}

// pageFigure is one page's throughput against the floor route, per round.
type pageFigure struct {
	target target
	rates  []float64 // req/s, one per round
	floors []float64 // the floor route's req/s right before, one per round
	ratios []float64
	bad    int64
	badMsg string
	size   *bodySize // the answer's weight; nil when not measured
}

// throughputRounds measures ping, the floor route and every page, in rounds;
// within a round each page runs right after a floor run of its own, so each
// ratio compares two runs a few seconds apart.
func (b *bench) throughputRounds(pages []target) (ping, floor []float64, figures []*pageFigure, err error) {
	client := newKeepAliveClient(b.cfg.conns)
	defer client.CloseIdleConnections()
	pingTarget := target{name: "ping", url: b.stack.MM.URL + "/api/v4/system/ping", want: http.StatusOK}
	floorTarget := target{name: "floor route", url: b.pluginURL(floorPluginID, "/"), want: http.StatusOK}
	for _, t := range pages {
		size, err := probeSize(b.ctx, t)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", t.name, err)
		}
		figures = append(figures, &pageFigure{target: t, size: &size})
	}
	// A page that answers wrongly is shown as such in its row; the floors
	// must be right or no ratio means anything.
	run := func(t target, strict bool) (throughput, error) {
		// One request first, so no run pays for opening a connection or for
		// a first rendering.
		if _, err := once(b.ctx, client, t); err != nil {
			return throughput{}, err
		}
		tp, err := hammer(b.ctx, client, b.cfg.conns, b.cfg.roundDuration, t)
		if err == nil && strict && tp.bad > 0 {
			err = fmt.Errorf("%s: %d of %d answers were not %d (last: %s)", t.name, tp.bad, tp.requests, t.want, tp.lastBad)
		}
		return tp, err
	}
	for round := 1; round <= b.cfg.rounds; round++ {
		tp, err := run(pingTarget, true)
		if err != nil {
			return nil, nil, nil, err
		}
		ping = append(ping, tp.perSecond())
		for _, f := range figures {
			fl, err := run(floorTarget, true)
			if err != nil {
				return nil, nil, nil, err
			}
			pg, err := run(f.target, false)
			if err != nil {
				return nil, nil, nil, err
			}
			floor = append(floor, fl.perSecond())
			f.floors = append(f.floors, fl.perSecond())
			f.rates = append(f.rates, pg.perSecond())
			if fl.perSecond() > 0 {
				f.ratios = append(f.ratios, pg.perSecond()/fl.perSecond())
			}
			f.bad += pg.bad
			if pg.lastBad != "" {
				f.badMsg = pg.lastBad
			}
		}
		progress("round %d of %d done", round, b.cfg.rounds)
	}
	return ping, floor, figures, nil
}

// filing is one report filed through the dialog, from the submit until the
// dialog answered and both the card (in the triage channel) and the receipt
// (in the researcher's DM with the bot) were posted.
func (b *bench) filings() (samples, error) {
	var s samples
	botID := b.stack.Bot.Id
	triage := b.stack.TriageChannel.Id
	for i := -2; i < b.cfg.filings; i++ { // two warm-up filings
		d, err := b.fileOne(i, botID, triage)
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			s = append(s, d)
		}
	}
	return s, nil
}

func (b *bench) fileOne(i int, botID, triage string) (time.Duration, error) {
	ctx := b.ctx
	const wait = 30 * time.Second
	d, err := b.researcher.CommandDialog(ctx, b.stack.Team.Id, b.stack.DefaultChannel.Id, "/security report", wait)
	if err != nil {
		return 0, err
	}
	byBot := func(prefix string) func(*model.Post) bool {
		return func(p *model.Post) bool {
			return p.UserId == botID && p.RootId == "" && strings.HasPrefix(p.Message, prefix)
		}
	}
	// The waits start before the submit, so each one's clock stops when its
	// post arrives, not when the submit returns.
	type arrival struct {
		at  time.Time
		err error
	}
	card, receipt := make(chan arrival, 1), make(chan arrival, 1)
	cardMark, receiptMark := b.triager.Events.Mark(), b.researcher.Events.Mark()
	// What follows the answer: the full text in the card's thread, and the
	// dialog's confirmation. The next filing starts once both came, so that
	// each filing is measured on its own, not on the previous one's tail.
	tail := make(chan error, 2)
	go func() {
		_, err := b.triager.Events.WaitPosted(ctx, cardMark, wait, triage, func(p *model.Post) bool {
			return p.UserId == botID && p.RootId != "" && harness.EndsFullText(p)
		})
		tail <- err
	}()
	go func() {
		_, err := b.researcher.Events.WaitEphemeral(ctx, receiptMark, wait, b.stack.DefaultChannel.Id)
		tail <- err
	}()
	go func() {
		_, err := b.triager.Events.WaitPosted(ctx, cardMark, wait, triage, byBot("#### Security report "))
		card <- arrival{time.Now(), err}
	}()
	go func() {
		_, err := b.researcher.Events.WaitPosted(ctx, receiptMark, wait, b.dmID, byBot("#### Thank you: we received your report "))
		receipt <- arrival{time.Now(), err}
	}()
	start := time.Now()
	resp, err := b.researcher.SubmitDialog(ctx, d, b.stack.Team.Id, b.stack.DefaultChannel.Id, benchForm(i))
	answered := time.Now()
	if err == nil && (resp.Error != "" || len(resp.Errors) > 0) {
		err = fmt.Errorf("the report form was refused: %q %v", resp.Error, resp.Errors)
	}
	c, r := <-card, <-receipt
	for _, e := range []error{err, c.err, r.err, <-tail, <-tail} {
		if e != nil {
			return 0, fmt.Errorf("filing report %d: %w", i, e)
		}
	}
	end := answered
	for _, t := range []time.Time{c.at, r.at} {
		if t.After(end) {
			end = t
		}
	}
	return end.Sub(start), nil
}

// benchForm is a valid report form, different each time.
func benchForm(i int) map[string]any {
	return map[string]any{
		"title":             fmt.Sprintf("Stored XSS in the channel header, bench filing %d", i),
		"product":           "Server",
		"cvss":              "",
		"estimate":          "high",
		"affected_versions": "11.4.0 and earlier",
		"tested_on":         "own_installation",
		"description":       strings.Repeat("The channel header renders raw HTML from the API. ", 20),
		"steps":             "1. Set a channel header with a script tag.\n2. Open the channel.\n3. The script runs.",
		"impact":            "Any member's session can be taken over by whoever can set a header.",
		"credit":            true,
		"display_name":      "Ada Lovelace",
		"affiliation":       "from Example Labs",
		"policy":            true,
	}
}

// restFigure is a REST list's latency and what it returned.
type restFigure struct {
	mine, queue, floor samples
	mineCount          int
	queueCount         int
}

// restLists times the webapp's lists (a page of the researcher's reports; a
// page of the team's queue, as the triager) against the floor route asked
// with the same kind of token, interleaved call by call.
func (b *bench) restLists() (restFigure, error) {
	var f restFigure
	query := fmt.Sprintf("?limit=%d", b.cfg.pageSize)
	call := func(u userRequest) (time.Duration, int, error) {
		var n int
		d, err := timed(func() error {
			code, body, err := u.user.PluginRequest(b.ctx, http.MethodGet, u.pluginID, u.path, nil)
			if err != nil {
				return err
			}
			if code != http.StatusOK {
				return fmt.Errorf("GET %s as %s: HTTP %d: %.200s", u.path, u.user.Username, code, body)
			}
			n = countReports(body)
			return nil
		})
		return d, n, err
	}
	mine := userRequest{b.researcher, b.pluginID, "/api/v1/reports/mine" + query}
	queue := userRequest{b.triager, b.pluginID, "/api/v1/reports/queue" + query}
	floor := userRequest{b.researcher, floorPluginID, "/"}
	for i := -3; i < b.cfg.restCalls; i++ {
		fd, _, err := call(floor)
		if err != nil {
			return f, err
		}
		md, mn, err := call(mine)
		if err != nil {
			return f, err
		}
		qd, qn, err := call(queue)
		if err != nil {
			return f, err
		}
		if i >= 0 {
			f.floor, f.mine, f.queue = append(f.floor, fd), append(f.mine, md), append(f.queue, qd)
		}
		f.mineCount, f.queueCount = mn, qn
	}
	return f, nil
}

// userRequest is a plugin route asked with a user's token.
type userRequest struct {
	user     *harness.User
	pluginID string
	path     string
}

// countReports counts the reports of a REST page (-1 when it is not one).
func countReports(body []byte) int {
	var page struct {
		Reports []json.RawMessage `json:"reports"`
	}
	if json.Unmarshal(body, &page) != nil {
		return -1
	}
	return len(page.Reports)
}
