package tests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// Issue 10: the plugin keeps the clock. With targets of about a minute and a
// 10-second job, an untouched report gets each reminder once, the reporter one
// progress message, and the program metrics measure the report.

// slaSettings are short targets; every key is restored after the scenario.
var slaSettings = map[string]any{
	"FirstResponseTarget":      "60s",
	"TriageTarget":             "90s",
	"ResolutionTargetCritical": "120s",
	"ResolutionTargetHigh":     "120s",
	"ResolutionTargetMedium":   "120s",
	"ResolutionTargetLow":      "120s",
	"ProgressInterval":         "2m",
	"JobInterval":              "10s",
	"Responders":               "triager",
}

// slaWindow is how long the report stays untouched: the "first 3 minutes".
const slaWindow = 3 * time.Minute

// setPluginSettings saves settings and restores the previous values (the
// default, for a key that was not saved) when the test ends.
func setPluginSettings(t *testing.T, settings map[string]any) {
	t.Helper()
	ctx := ctxFor(t)
	before, err := harness.PluginSettings(ctx, env.Admin.Client, env.Bundle.ID)
	require.NoError(t, err)
	restore := map[string]any{}
	for k := range settings {
		prev, ok := before[strings.ToLower(k)]
		if !ok {
			prev = "" // empty: the plugin's default applies
		}
		restore[k] = prev
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		assert.NoError(t, harness.SetPluginSettings(ctx, env.Admin.Client, env.Bundle.ID, restore), "restoring the settings")
	})
	require.NoError(t, harness.SetPluginSettings(ctx, env.Admin.Client, env.Bundle.ID, settings))
}

// sinceFiling is how long after filing a post was created.
func sinceFiling(created time.Time, p *model.Post) time.Duration {
	return time.UnixMilli(p.CreateAt).Sub(created)
}

func TestSLARemindersProgressAndMetrics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), slaWindow+2*time.Minute)
	defer cancel()
	researcher, triager := env.User("researcher"), env.User("triager")
	setPluginSettings(t, slaSettings)

	tag := uniqueTag("Clock")
	r := fileReport(t, researcher, reportForm(tag)) // estimated high: the 120s resolution target
	n := keyNumber(t, r.key)
	view, err := harness.GetReportView(ctx, env.Admin, env.Bundle.ID, n)
	require.NoError(t, err)
	created := view.Created
	deadline := created.Add(slaWindow)
	receipt, err := harness.FindReceipt(ctx, researcher, env.Bot.Id, r.key, wait)
	require.NoError(t, err)
	assert.Contains(t, receipt.Message, "within 60 seconds", "the receipt states the first-response target")

	// Nothing to nudge about while every target is on track.
	assert.Contains(t, reply(t, researcher, "/security nudge "+r.key), "within the team's targets")

	// Every reminder of every target, and the progress note, within the window.
	wantCard := []string{
		"first_response:due_soon", "first_response:breached",
		"triage:due_soon", "triage:breached",
		"resolution:due_soon", "resolution:breached",
	}
	targets := map[string]time.Duration{"first_response": 60 * time.Second, "triage": 90 * time.Second, "resolution": 120 * time.Second}
	nudged := false
	var thread, dms []*model.Post
	err = harness.Eventually(ctx, time.Until(deadline), 2*time.Second, "every reminder and the progress message", func(ctx context.Context) (bool, error) {
		var err error
		if thread, err = harness.Thread(ctx, triager, r.card.Id); err != nil {
			return false, err
		}
		if dms, err = harness.Thread(ctx, researcher, receipt.Id); err != nil {
			return false, err
		}
		tags := harness.CountTags(thread, env.Bot.Id)
		if tags["first_response:breached"] > 0 && !nudged {
			nudged = true
			nudge(t, r)
		}
		for _, k := range wantCard {
			if tags[k] == 0 {
				return false, fmt.Errorf("no %s yet", k)
			}
		}
		if len(progressPosts(dms)) == 0 || len(progressNotes(thread)) == 0 {
			return false, fmt.Errorf("no progress message yet")
		}
		return true, nil
	})
	require.NoError(t, err, "%s after %s; card thread:\n%s\nreporter's thread:\n%s", r.key, time.Since(created).Round(time.Second), dumpPosts(thread), dumpPosts(dms))
	require.True(t, nudged, "the reporter could nudge once the first response was overdue")

	// At the end of the window, still exactly one of each.
	time.Sleep(time.Until(deadline))
	thread, err = harness.Thread(ctx, triager, r.card.Id)
	require.NoError(t, err)
	dms, err = harness.Thread(ctx, researcher, receipt.Id)
	require.NoError(t, err)
	tags := harness.CountTags(thread, env.Bot.Id)
	for _, k := range wantCard {
		assert.Equal(t, 1, tags[k], "%s in the card thread of %s within %s:\n%s", k, r.key, slaWindow, dumpPosts(thread))
	}
	for _, p := range append(slices.Clone(thread), dms...) {
		if k := harness.FollowupTag(p); k != "" {
			t.Logf("%s +%s %s", r.key, sinceFiling(created, p).Round(100*time.Millisecond), k)
		}
	}
	for _, p := range thread {
		k := harness.FollowupTag(p)
		clockName, level, ok := strings.Cut(k, ":")
		target, isClock := targets[clockName]
		if !ok || !isClock {
			continue
		}
		// Never early; and each names the report and pings the responders (nobody
		// took the report).
		earliest := target
		if level == "due_soon" {
			earliest = target * 8 / 10
		}
		assert.GreaterOrEqual(t, sinceFiling(created, p), earliest-time.Second, "%s was posted too early", k)
		assert.True(t, strings.HasPrefix(p.Message, "@triager "), "%s mentions the responders: %q", k, p.Message)
		assert.Contains(t, p.Message, "**"+r.key+"**")
		icon := map[string]string{"due_soon": "⏰", "breached": "🚨"}[level]
		assert.Contains(t, p.Message, icon, k)
	}
	progress := progressPosts(dms)
	require.Len(t, progress, 1, "exactly one progress message to the reporter within %s:\n%s", slaWindow, dumpPosts(dms))
	assert.Len(t, dms, 1, "the reporter heard nothing else about the untouched report:\n%s", dumpPosts(dms))
	assert.Equal(t, env.Bot.Id, progress[0].UserId)
	assert.True(t, strings.HasPrefix(progress[0].Message, "**"+r.key+"** · Submitted"), "%q", progress[0].Message)
	assert.GreaterOrEqual(t, sinceFiling(created, progress[0]), 2*time.Minute-time.Second, "the progress message came before the interval")
	notes := progressNotes(thread)
	require.Len(t, notes, 1, "one note of the progress message in the card thread:\n%s", dumpPosts(thread))
	assert.Equal(t, harness.FollowupTag(progress[0])+":note", harness.FollowupTag(notes[0]))
	assert.Len(t, nudgePosts(thread), 1, "one nudge in the card thread:\n%s", dumpPosts(thread))
	c := card(t, r.card.Id)
	for _, line := range []string{"🔴 First response breached", "🔴 Triage breached", "🔴 Resolution breached"} {
		assert.Contains(t, c.Fields["Targets"], line, "the card shows the clocks")
	}

	// Taking it now ends the first-response clock; the metrics measure it.
	code, before, err := harness.GetStats(ctx, env.Admin, env.Bundle.ID)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	press(t, triager, r, "take", "Triaging")
	view, err = harness.GetReportView(ctx, env.Admin, env.Bundle.ID, n)
	require.NoError(t, err)
	idx := slices.IndexFunc(view.Timeline, func(e harness.TimelineEvent) bool { return e.Action == "take" })
	require.GreaterOrEqual(t, idx, 0, "the timeline records the take")
	measured := view.Timeline[idx].At.Sub(created)
	assert.GreaterOrEqual(t, measured, slaWindow, "time to first response")

	after := statsAgree(t)
	assert.Equal(t, before.Reports, after.Reports, "no report was filed meanwhile")
	assert.Equal(t, before.FirstResponse.Count+1, after.FirstResponse.Count, "the report's first response is counted")
	want, durations := expectedFirstResponse(t, after.Reports)
	assert.Contains(t, durations, measured, "the report's time to first response is among the measured ones")
	assert.Equal(t, want, after.FirstResponse, "median and 90th percentile over every report's time to first response")

	// Only system admins get the JSON; for anyone else the route does not exist.
	for _, u := range []*harness.User{triager, researcher} {
		code, _, err := harness.GetStats(ctx, u, env.Bundle.ID)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, code, "metrics for %s", u.Username)
	}
	assert.NotContains(t, reply(t, researcher, "/security stats"), "Program metrics", "a researcher reads the metrics")

	// Once taken, the card drops the first-response clock, and the job's next
	// run repeats nothing.
	time.Sleep(10*time.Second + 2*time.Second)
	thread, err = harness.Thread(ctx, triager, r.card.Id)
	require.NoError(t, err)
	tags = harness.CountTags(thread, env.Bot.Id)
	for _, k := range wantCard {
		assert.Equal(t, 1, tags[k], "%s after the take:\n%s", k, dumpPosts(thread))
	}
	assert.Len(t, progressNotes(thread), 1)
	assert.NotContains(t, card(t, r.card.Id).Fields["Targets"], "First response")
}

// nudge asks for an update on r as its reporter (and, refused, as someone else).
func nudge(t *testing.T, r filed) {
	t.Helper()
	other := reply(t, env.User("researcher2"), "/security nudge "+r.key)
	assert.Equal(t, reply(t, env.User("researcher2"), "/security nudge SEC-99999"), other, "researcher2's nudge reads like an unknown id")
	assert.Contains(t, reply(t, env.User("researcher"), "/security nudge "+r.key), "asked for an update on **"+r.key+"**")
	assert.Contains(t, reply(t, env.User("researcher"), "/security nudge "+r.key), "recently", "a second nudge within a week")
	posts, err := harness.WaitThread(ctxFor(t), env.User("triager"), r.card.Id, wait, "the nudge in the card thread", func(ps []*model.Post) bool {
		return len(nudgePosts(ps)) > 0
	})
	require.NoError(t, err)
	assert.Len(t, nudgePosts(posts), 1, "one nudge:\n%s", dumpPosts(posts))
}

func nudgePosts(posts []*model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range posts {
		if strings.Contains(p.Message, "📣 The reporter of **") {
			out = append(out, p)
		}
	}
	return out
}

// progressPosts are the tagged progress messages to the reporter.
func progressPosts(posts []*model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range posts {
		if k := harness.FollowupTag(p); strings.HasPrefix(k, "progress:") && !strings.HasSuffix(k, ":note") {
			out = append(out, p)
		}
	}
	return out
}

// progressNotes are the card-thread notes that the reporter was updated.
func progressNotes(posts []*model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range posts {
		if k := harness.FollowupTag(p); strings.HasPrefix(k, "progress:") && strings.HasSuffix(k, ":note") {
			out = append(out, p)
		}
	}
	return out
}

// statsAgree reads the metrics as the admin's JSON and as a triager's
// `/security stats`, until both say the same, and returns them.
func statsAgree(t *testing.T) *harness.Stats {
	t.Helper()
	var st *harness.Stats
	var text string
	err := harness.Eventually(ctxFor(t), wait, 500*time.Millisecond, "/security stats to match the JSON metrics", func(ctx context.Context) (bool, error) {
		code, s, err := harness.GetStats(ctx, env.Admin, env.Bundle.ID)
		if err != nil || code != http.StatusOK {
			return false, fmt.Errorf("HTTP %d: %v", code, err)
		}
		st = s
		text = reply(t, env.User("triager"), "/security stats")
		for _, want := range statsLines(s) {
			if !strings.Contains(text, want) {
				return false, fmt.Errorf("no %q", want)
			}
		}
		return true, nil
	})
	require.NoError(t, err, "/security stats:\n%s\nJSON: %+v", text, st)
	return st
}

// statsLines are the lines `/security stats` shows for st.
func statsLines(st *harness.Stats) []string {
	lines := []string{fmt.Sprintf("%d reports filed.", st.Reports)}
	for _, row := range []struct {
		name string
		s    harness.Summary
	}{{"first response", st.FirstResponse}, {"triage", st.Triage}, {"fix", st.Fix}} {
		lines = append(lines, fmt.Sprintf("| %s | %d | %s | %s |", row.name, row.s.Count, statDuration(row.s.Median, row.s.Count), statDuration(row.s.P90, row.s.Count)))
	}
	compliance := "none yet"
	if c := st.Compliance; c.Total > 0 {
		compliance = fmt.Sprintf("%d%% (%d of %d)", c.Met*100/c.Total, c.Met, c.Total)
	}
	return append(lines, "Targets met (first response and triage): "+compliance)
}

// statDuration is how the metrics table writes a duration.
func statDuration(d time.Duration, n int) string {
	switch {
	case n == 0:
		return "—"
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

// expectedFirstResponse measures every report's time to first response from
// its timeline (filing to the first take, question, message or close by the
// team) and summarizes them by nearest rank, as the metrics must. It checks
// that it found the number of reports the metrics counted.
func expectedFirstResponse(t *testing.T, reports int) (harness.Summary, []time.Duration) {
	t.Helper()
	ctx := ctxFor(t)
	var durations []time.Duration
	found := 0
	for id, misses := 1, 0; misses < 5; id++ {
		v, err := harness.GetReportView(ctx, env.Admin, env.Bundle.ID, id)
		if err != nil {
			misses++
			continue
		}
		misses = 0
		found++
		for _, e := range v.Timeline {
			if e.Actor == "" || e.Actor == v.ReporterID {
				continue
			}
			if slices.Contains([]string{"take", "ask", "message", "close"}, e.Action) {
				durations = append(durations, e.At.Sub(v.Created))
				break
			}
		}
	}
	require.Equal(t, reports, found, "reports counted by the metrics and reports readable by id")
	sorted := slices.Clone(durations)
	slices.Sort(sorted)
	rank := func(p int) time.Duration {
		if len(sorted) == 0 {
			return 0
		}
		r := (p*len(sorted) + 99) / 100
		return sorted[max(r, 1)-1]
	}
	return harness.Summary{Count: len(sorted), Median: rank(50), P90: rank(90)}, durations
}
