package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{rate(2713.4), "2,713 req/s"},
		{rate(15999.6), "16,000 req/s"},
		{rate(999), "999 req/s"},
		{rate(1234567), "1,234,567 req/s"},
		{millis(3600 * time.Microsecond), "3.6 ms"},
		{seconds(30700 * time.Millisecond), "30.7 s"},
		{megabytes(127 << 20), "127 MB"},
		{megabytes(0), "—"},
		{ratio(42*time.Millisecond, 4*time.Millisecond), "10.50×"},
		{ratio(time.Millisecond, 0), "—"},
		{ratioRange([]float64{0.36, 0.28, 0.33}), "0.33× (0.28–0.36)"},
		{ratioRange(nil), "—"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got)
	}
}

func TestRowsOfARunThatDidNotActivate(t *testing.T) {
	r := &results{activation: activation{elapsed: 15 * time.Minute, state: "still activating", peakRSS: 127 << 20, rssAtAnswer: 120 << 20},
		failure: "the plugin did not answer /security help within 15m0s of enabling it"}
	rows := r.rows()
	assert.Len(t, rows, 2, "only what was measured: activation and its memory")
	assert.Equal(t, "did not finish in 15m0s (still activating)", rows[0].value)
	assert.Equal(t, "127 MB / 120 MB", rows[1].value)

	var out bytes.Buffer
	r.print(&out)
	assert.Contains(t, out.String(), "Stopped early: the plugin did not answer")
}

func TestRowsOfAFullRun(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	r := &results{
		cfg:          config{conns: 16, rounds: 3, roundDuration: 2 * time.Second},
		activation:   activation{elapsed: 1200 * time.Millisecond, answered: true, peakRSS: 40 << 20, rssAtAnswer: 38 << 20},
		settle:       settling{busy: 2 * time.Second, settled: true, cpu: time.Second, rss: 39 << 20},
		posts:        samples{ms(4), ms(4), ms(5)},
		floorCommand: samples{ms(3)},
		ping:         []float64{15000, 14000, 16000},
		floorRoute:   []float64{2700},
		pages: []*pageFigure{{target: target{name: "Hall of Fame HTML", want: http.StatusOK},
			rates: []float64{900, 1000, 800}, floors: []float64{2700, 2800, 2600}, ratios: []float64{0.33, 0.36, 0.31}}},
		filing: samples{ms(40), ms(44), ms(60)},
		rest:   restFigure{mine: samples{ms(14)}, queue: samples{ms(15)}, floor: samples{ms(2)}, mineCount: 50, queueCount: 50},
		rssEnd: 45 << 20,
	}
	byFigure := map[string]row{}
	for _, row := range r.rows() {
		byFigure[strings.SplitN(row.figure, " (", 2)[0]] = row
	}
	assert.Equal(t, "1.2 s", byFigure["activation"].value)
	assert.Equal(t, "15,000 req/s", byFigure["ping"].value, "the median of the rounds")
	assert.Equal(t, row{"Hall of Fame HTML", "900 req/s", "floor route 2,700 req/s", "0.33× (0.31–0.36)"}, byFigure["Hall of Fame HTML"])
	assert.Equal(t, "44.0 ms / 60.0 ms", byFigure["filing p50 / p99"].value)
	assert.Equal(t, "11.00×", byFigure["filing p50 / p99"].ratio, "p50 of filing over p50 of a plain post")
	assert.Equal(t, "7.00×", byFigure["REST mine p50, as the researcher"].ratio)

	var out bytes.Buffer
	r.print(&out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var table []string
	for _, l := range lines {
		if strings.HasPrefix(l, "| ") {
			table = append(table, l)
		}
	}
	for _, l := range table {
		assert.Equal(t, len([]rune(table[0])), len([]rune(l)), "columns line up: %q", l)
	}
	assert.NotContains(t, out.String(), "Stopped early")
}

func TestPageWithWrongAnswersSaysSo(t *testing.T) {
	r := &results{pages: []*pageFigure{{target: target{name: "PGP key"}, rates: []float64{10}, floors: []float64{100}, ratios: []float64{0.1},
		bad: 3, badMsg: "HTTP 404 <nil>"}}}
	rows := r.rows()
	assert.Len(t, rows, 1)
	assert.Equal(t, "PGP key — 3 wrong answers (last: HTTP 404 <nil>)", rows[0].figure)
}

func TestAPageRowSaysWhatTheAnswerWeighs(t *testing.T) {
	tests := []struct {
		size bodySize
		want string
	}{
		{bodySize{wire: 2200, decoded: 9200, encoding: "gzip"}, "Security Updates HTML (9.2 KB, 2.2 KB gzip)"},
		{bodySize{wire: 700, decoded: 700}, "Security Updates HTML (0.7 KB)"},
		{bodySize{}, "Security Updates HTML (no body)"},
	}
	for _, tt := range tests {
		r := &results{pages: []*pageFigure{{target: target{name: "Security Updates HTML"}, size: &tt.size, rates: []float64{1}, floors: []float64{1}, ratios: []float64{1}}}}
		assert.Equal(t, tt.want, r.rows()[0].figure)
	}
}
