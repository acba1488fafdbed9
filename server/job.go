package main

import (
	"context"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"
	"github.com/pkg/errors"
)

// jobKey names the follow-up job; the cluster package keeps its schedule and
// lock under this key, so only one server of a cluster runs it at a time.
const jobKey = "rd_followups"

// scheduleJob (re)starts the follow-up job at the given interval. Changing the
// interval setting reschedules it without a restart.
func (p *Plugin) scheduleJob(interval time.Duration) error {
	p.jobLock.Lock()
	defer p.jobLock.Unlock()
	if p.job != nil && p.jobInterval == interval {
		return nil
	}
	if p.job != nil {
		_ = p.job.Close()
		p.job = nil
	}
	job, err := cluster.Schedule(p.API, jobKey, cluster.MakeWaitForInterval(interval), p.runJob)
	if err != nil {
		return errors.Wrap(err, "could not schedule the follow-up job")
	}
	p.job, p.jobInterval = job, interval
	return nil
}

// runJob runs the recovery steps (replay, migration, a slice of the
// consistency check; each bounded per run), then the replies kept for later
// and the follow-ups.
func (p *Plugin) runJob() {
	// The store's upkeep needs no triage channel: a server not set up yet
	// migrates too.
	p.service.Recovery.RunSteps(context.Background())
	if p.triageChannel() == nil {
		return // not set up: nothing to follow up
	}
	if n := p.service.Conversation.RetryPendingRelays(); n > 0 {
		p.client.Log.Info("Posted replies that could not be posted for the team before", "replies", n)
	}
	p.service.Clocks.RunJob()
}

func (p *Plugin) stopJob() {
	p.jobLock.Lock()
	defer p.jobLock.Unlock()
	if p.job != nil {
		_ = p.job.Close()
		p.job = nil
	}
}
