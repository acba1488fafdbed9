package main

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// activation is how the plugin came back after being enabled.
type activation struct {
	// elapsed runs from the enable call until /security help answered, or
	// until the bound when it never did.
	elapsed  time.Duration
	answered bool
	// peakRSS is the highest resident memory of the plugin's process
	// sampled while it activated; rssAtAnswer the sample when it answered.
	peakRSS, rssAtAnswer int64
	state                string // the server's last word when it did not answer
}

// rssSampler records the plugin process's resident memory every interval,
// following the process as it appears (it is started by the enable call).
type rssSampler struct {
	mu   sync.Mutex
	peak int64
	last int64
	stop chan struct{}
	done chan struct{}
}

func (b *bench) sampleRSS(interval time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			if rss := b.pluginRSS(); rss > 0 {
				s.mu.Lock()
				s.last, s.peak = rss, max(s.peak, rss)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) finish() (peak, last int64) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.last
}

// activate enables the plugin through the REST API, as an admin does in the
// System Console, and waits until /security help answers, sampling the
// plugin's memory meanwhile.
func (b *bench) activate() (activation, error) {
	ctx, cancel := context.WithTimeout(b.ctx, b.cfg.activationTimeout)
	defer cancel()
	sampler := b.sampleRSS(100 * time.Millisecond)
	start := time.Now()
	enabled := make(chan error, 1)
	go func() {
		// The call may return before or after activation ends; the clock
		// runs until the command answers either way.
		_, err := b.stack.Admin.Client.EnablePlugin(ctx, b.pluginID)
		enabled <- err
	}()
	var act activation
	lastStateCheck := start
wait:
	for ctx.Err() == nil {
		select {
		case err := <-enabled:
			if err != nil {
				sampler.finish()
				return act, err
			}
			enabled = nil
		default:
		}
		resp, _, err := b.researcher.Client.ExecuteCommandWithTeam(ctx, b.stack.DefaultChannel.Id, b.stack.Team.Id, "/security help")
		if err == nil && strings.Contains(resp.Text, "/security help") {
			act.elapsed, act.answered = time.Since(start), true
			act.peakRSS, act.rssAtAnswer = sampler.finish()
			return act, nil
		}
		if time.Since(lastStateCheck) >= time.Second {
			lastStateCheck = time.Now()
			if state, _ := harness.PluginState(ctx, b.stack.Admin.Client, b.pluginID); state == model.PluginStateFailedToStart || state == model.PluginStateFailedToStayRunning {
				act.state = "failed to start"
				break wait
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
	act.elapsed = time.Since(start)
	act.peakRSS, act.rssAtAnswer = sampler.finish()
	if act.state == "" {
		act.state = "still activating"
	}
	return act, b.ctx.Err()
}

// settling is the background work the plugin did after it answered.
type settling struct {
	busy    time.Duration // until its CPU use fell to idle
	settled bool
	cpu     time.Duration // CPU time it used meanwhile
	rss     int64         // resident memory once settled (or at the bound)
}

// settle waits until the plugin's process is idle: three consecutive seconds
// under 5% of a core. Work an activation leaves in the background (catching
// up on replies, say) would otherwise be measured as the cost of requests.
func (b *bench) settle() settling {
	start := time.Now()
	var st settling
	pid, _ := b.stack.MM.PluginPID(b.pluginID)
	if pid == 0 {
		return st
	}
	first, err := harness.ReadProcStat(pid)
	if err != nil {
		return st
	}
	prev, quiet := first.CPUTicks, 0
	for time.Since(start) < b.cfg.settleTimeout && b.ctx.Err() == nil {
		time.Sleep(time.Second)
		cur, err := harness.ReadProcStat(pid)
		if err != nil {
			break
		}
		if cur.CPUTicks-prev <= harness.ClockTicksPerSecond/20 {
			quiet++
		} else {
			quiet = 0
		}
		prev = cur.CPUTicks
		st.cpu = time.Duration(cur.CPUTicks-first.CPUTicks) * time.Second / harness.ClockTicksPerSecond
		if quiet == 3 {
			st.settled = true
			break
		}
	}
	st.busy = time.Since(start)
	if st.settled {
		st.busy -= 3 * time.Second
	}
	st.rss = b.pluginRSS()
	return st
}
