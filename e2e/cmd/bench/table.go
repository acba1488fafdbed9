package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// results are the figures of one run, printed as one Markdown table.
type results struct {
	cfg           config
	serverVersion string
	plugin        string
	revision      string

	seed         *seedResult
	activation   activation
	settle       settling
	migration    *migration // a wave-1 seed's migration; nil otherwise
	posts        samples
	floorCommand samples
	ping         []float64
	floorRoute   []float64
	pages        []*pageFigure
	filing       samples
	rest         restFigure
	rssEnd       int64
	failure      string
}

type row struct{ figure, value, floor, ratio string }

func (r *results) print(w io.Writer) {
	fmt.Fprintf(w, "\n## make bench: %s", r.plugin)
	if r.revision != "" {
		fmt.Fprintf(w, " at %s", r.revision)
	}
	fmt.Fprintf(w, ", Mattermost %s, %s\n\n", r.serverVersion, time.Now().UTC().Format("2006-01-02 15:04 MST"))
	if r.seed != nil {
		rev := ""
		if r.cfg.seedRev != "" {
			rev = ", store of " + r.cfg.seedRev
		}
		if r.cfg.seedLayout == 1 {
			rev += ", in wave 1's layout (the plugin migrates it)"
		}
		fmt.Fprintf(w, "SEED=%d%s: %d rows loaded in %s\n", r.cfg.seed, rev, r.seed.rows, r.seed.duration.Round(time.Second))
		for _, line := range r.seed.summary {
			fmt.Fprintf(w, "  %s\n", line)
		}
	} else {
		fmt.Fprintf(w, "SEED=0: no history; the plugin starts with an empty store\n")
	}
	fmt.Fprintf(w, "Throughput: %d keep-alive connections on 127.0.0.1; %d rounds, each page run (%s) right after a floor route run; value and floor are medians of the rounds, ratio the median of the rounds' ratios (min–max).\n\n",
		r.cfg.conns, r.cfg.rounds, r.cfg.roundDuration)
	printTable(w, r.rows())
	if r.failure != "" {
		fmt.Fprintf(w, "\nStopped early: %s\n", r.failure)
	}
}

func (r *results) rows() []row {
	var rows []row
	a := r.activation
	switch {
	case a.answered:
		rows = append(rows, row{"activation (enable call → /security help answers)", seconds(a.elapsed), "—", "—"})
	case a.elapsed > 0:
		rows = append(rows, row{"activation (enable call → /security help answers)", fmt.Sprintf("did not finish in %s (%s)", a.elapsed.Round(time.Second), a.state), "—", "—"})
	}
	if a.elapsed > 0 {
		rows = append(rows, row{"plugin RSS during activation: peak / when it answered", megabytes(a.peakRSS) + " / " + megabytes(a.rssAtAnswer), "—", "—"})
	}
	if s := r.settle; a.answered {
		busy := seconds(s.busy)
		if !s.settled {
			busy = "still busy after " + busy
		}
		rows = append(rows, row{"background work after activation (until idle): time, CPU, RSS after", fmt.Sprintf("%s, %s CPU, %s", busy, seconds(s.cpu), megabytes(s.rss)), "—", "—"})
		if m := r.migration; m != nil {
			value := fmt.Sprintf("done %s after the enable call; RSS peak %s", m.elapsed.Round(time.Second), megabytes(m.peakRSS))
			if !m.done {
				value = fmt.Sprintf("not done %s after the enable call: next report %d of %d; RSS peak %s", m.elapsed.Round(time.Second), m.next, m.migrated, megabytes(m.peakRSS))
			}
			rows = append(rows, row{"migration of wave 1's layout (in the background, while serving)", value, "—", "—"})
		}
	}
	if len(r.posts) > 0 {
		rows = append(rows, row{fmt.Sprintf("plain post p50 / p99 (%d posts)", len(r.posts)), millis(r.posts.quantile(0.5)) + " / " + millis(r.posts.quantile(0.99)), "—", "—"})
	}
	if len(r.floorCommand) > 0 {
		rows = append(rows, row{"floor command p50 / p99 (one KV write)", millis(r.floorCommand.quantile(0.5)) + " / " + millis(r.floorCommand.quantile(0.99)), "—", "—"})
	}
	if len(r.ping) > 0 {
		rows = append(rows,
			row{"ping (GET /api/v4/system/ping)", rate(median(r.ping)), "—", "—"},
			row{"floor route (constant answer)", rate(median(r.floorRoute)), "—", "—"})
	}
	for _, p := range r.pages {
		name := p.target.name
		if p.size != nil {
			name += " (" + p.size.String() + ")"
		}
		if p.bad > 0 {
			name += fmt.Sprintf(" — %d wrong answers (last: %s)", p.bad, p.badMsg)
		}
		rows = append(rows, row{name, rate(median(p.rates)), "floor route " + rate(median(p.floors)), ratioRange(p.ratios)})
	}
	if len(r.filing) > 0 {
		post := r.posts.quantile(0.5)
		rows = append(rows, row{fmt.Sprintf("filing p50 / p99 (%d, submit → answered, card and receipt posted)", len(r.filing)),
			millis(r.filing.quantile(0.5)) + " / " + millis(r.filing.quantile(0.99)),
			"plain post p50 " + millis(post), ratio(r.filing.quantile(0.5), post)})
	}
	if f := r.rest; len(f.mine) > 0 {
		floor := f.floor.quantile(0.5)
		floorText := "floor route p50 " + millis(floor) + " (same token, sequential)"
		rows = append(rows,
			row{fmt.Sprintf("REST mine p50, as the researcher (%d reports on the page)", f.mineCount), millis(f.mine.quantile(0.5)), floorText, ratio(f.mine.quantile(0.5), floor)},
			row{fmt.Sprintf("REST queue p50, as the triager (%d reports on the page)", f.queueCount), millis(f.queue.quantile(0.5)), floorText, ratio(f.queue.quantile(0.5), floor)})
	}
	if r.rssEnd > 0 {
		rows = append(rows, row{"plugin RSS at the end of the run", megabytes(r.rssEnd), "—", "—"})
	}
	return rows
}

func printTable(w io.Writer, rows []row) {
	header := row{"figure", "value", "floor", "ratio"}
	widths := [4]int{}
	for _, r := range append([]row{header}, rows...) {
		for i, cell := range []string{r.figure, r.value, r.floor, r.ratio} {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	line := func(cells ...string) {
		for i, c := range cells {
			cells[i] = c + strings.Repeat(" ", widths[i]-len([]rune(c)))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	line(header.figure, header.value, header.floor, header.ratio)
	line(strings.Repeat("-", widths[0]), strings.Repeat("-", widths[1]), strings.Repeat("-", widths[2]), strings.Repeat("-", widths[3]))
	for _, r := range rows {
		line(r.figure, r.value, r.floor, r.ratio)
	}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func millis(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func megabytes(b int64) string {
	if b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

// rate reads "2,713 req/s".
func rate(perSecond float64) string {
	n := int64(perSecond + 0.5)
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + " req/s"
}

func ratio(value, floor time.Duration) string {
	if floor <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", float64(value)/float64(floor))
}

// ratioRange reads "0.33× (0.30–0.36)".
func ratioRange(ratios []float64) string {
	if len(ratios) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", median(ratios), slices.Min(ratios), slices.Max(ratios))
}
