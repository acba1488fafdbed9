package main

import (
	"context"
	"os"
	"sync"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// catchUpWorkers bounds the threads the catch-up reads at once: enough to
// hide the round trips, few enough to leave the server's database to the
// users coming back after a restart.
const catchUpWorkers = 4

// hostName names this server in the store's intent entries: the plugin
// process restarts on the same host, so a restarted plugin recognises the
// intents its dead process left (store.WithHost). Without a host name the
// store waits store.IntentGrace before finishing those, which is only slower.
func hostName() string {
	name, err := os.Hostname()
	if err != nil {
		return ""
	}
	return name
}

// replayIntents finishes, at activation, the multi-key writes and filings that
// a crash cut short: store.Replay(ReplayAll) reads the 16 intent slots and the
// reports they name, and the service completes what the writers did after
// their store writes (public lists, a filing's card and receipt). A failure is
// logged: the entries stay, and the job replays them.
func (p *Plugin) replayIntents() {
	res, err := p.service.Recovery.Replay(store.ReplayAll)
	if err != nil {
		p.client.Log.Warn("Could not finish every write a crash cut short; the job retries", "error", err.Error())
	}
	if res.Replayed > 0 {
		p.client.Log.Warn("Finished writes a crash cut short", "entries", res.Replayed, "reports", len(res.Reports), "cleared", res.Cleared)
	}
}

// background is the work activation starts and deactivation stops: the
// catch-up of replies missed while the plugin was down, the migration from
// wave 1's layout carried through to the end (a freshly upgraded server need
// not wait for job runs), then a first run of the job's recovery steps.
type background struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   sync.WaitGroup
}

func (p *Plugin) startBackground() {
	ctx, cancel := context.WithCancel(context.Background())
	b := &background{ctx: ctx, cancel: cancel}
	b.done.Go(func() {
		n, err := p.service.Conversation.CatchUp(ctx, catchUpWorkers)
		switch {
		case err != nil && ctx.Err() == nil:
			p.client.Log.Warn("Could not catch up on missed replies", "error", err.Error())
		case n > 0:
			p.client.Log.Info("Relayed replies posted while the plugin was not running", "count", n)
		}
	})
	b.done.Go(func() {
		if m := p.service.Recovery.Migrate(ctx); m.Repairs > 0 {
			p.client.Log.Info("Migrated reports to summaries", "entries", m.Repairs, "next", m.Next, "done", m.Done)
		}
		p.service.Recovery.RunSteps(ctx)
	})
	p.jobLock.Lock()
	p.background = b
	p.jobLock.Unlock()
}

// stopBackground stops the catch-up from taking more threads and waits for
// the work in progress.
func (p *Plugin) stopBackground() {
	p.jobLock.Lock()
	b := p.background
	p.background = nil
	p.jobLock.Unlock()
	if b != nil {
		b.cancel()
		b.done.Wait()
	}
}

// rehomeCards moves the cards of the open and fixed reports to the triage
// channel after the setting changed, in the background (service.Recovery.
// Rehome: one server at a time; the others find it busy). Before activation
// has started the background work there is nothing to do: its first run of
// the job's steps moves them.
func (p *Plugin) rehomeCards() {
	p.jobLock.Lock()
	defer p.jobLock.Unlock()
	if b := p.background; b != nil {
		b.done.Go(func() { p.service.Recovery.Rehome(b.ctx) })
	}
}
