package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func seconds(ns ...int) []time.Duration {
	ds := make([]time.Duration, len(ns))
	for i, n := range ns {
		ds[i] = time.Duration(n) * time.Second
	}
	return ds
}

func TestPercentileNearestRank(t *testing.T) {
	oneToTen := seconds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	oneToTwenty := seconds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
	tests := []struct {
		name string
		ds   []time.Duration
		p    int
		want time.Duration
		ok   bool
	}{
		{name: "empty", ds: nil, p: 50},
		{name: "empty, not nil", ds: []time.Duration{}, p: 90},
		{name: "one value is every percentile", ds: seconds(7), p: 90, want: 7 * time.Second, ok: true},
		{name: "one value, median", ds: seconds(7), p: 50, want: 7 * time.Second, ok: true},
		{name: "p50 of 1..10 is rank 5", ds: oneToTen, p: 50, want: 5 * time.Second, ok: true},
		{name: "p90 of 1..10 is rank 9", ds: oneToTen, p: 90, want: 9 * time.Second, ok: true},
		{name: "p91 of 1..10 is rank 10", ds: oneToTen, p: 91, want: 10 * time.Second, ok: true},
		{name: "p100 is the largest", ds: oneToTen, p: 100, want: 10 * time.Second, ok: true},
		{name: "p0 is the smallest", ds: oneToTen, p: 0, want: 1 * time.Second, ok: true},
		{name: "p1 of 1..10 is rank 1", ds: oneToTen, p: 1, want: 1 * time.Second, ok: true},
		{name: "p90 of 1..20 is rank 18", ds: oneToTwenty, p: 90, want: 18 * time.Second, ok: true},
		{name: "p90 of 11 values is rank 10", ds: seconds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), p: 90, want: 10 * time.Second, ok: true},
		{name: "p90 of 3 values is the largest", ds: seconds(1, 2, 3), p: 90, want: 3 * time.Second, ok: true},
		{name: "unsorted input", ds: seconds(30, 10, 20), p: 50, want: 20 * time.Second, ok: true},
		{name: "even count: the lower middle", ds: seconds(4, 1, 3, 2), p: 50, want: 2 * time.Second, ok: true},
		{name: "duplicates", ds: seconds(5, 5, 5, 1), p: 50, want: 5 * time.Second, ok: true},
		{name: "p below 0 is clamped", ds: oneToTen, p: -5, want: 1 * time.Second, ok: true},
		{name: "p above 100 is clamped", ds: oneToTen, p: 150, want: 10 * time.Second, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Percentile(tt.ds, tt.p)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
			if tt.p == 50 {
				median, ok := Median(tt.ds)
				assert.Equal(t, tt.ok, ok)
				assert.Equal(t, tt.want, median)
			}
		})
	}
}

func TestPercentileLeavesInputAlone(t *testing.T) {
	ds := seconds(30, 10, 20)
	_, _ = Percentile(ds, 90)
	assert.Equal(t, seconds(30, 10, 20), ds)
}

func TestSummarize(t *testing.T) {
	assert.Equal(t, Summary{}, Summarize(nil))
	assert.Equal(t, Summary{Count: 4, Median: 2 * time.Hour, P90: 40 * time.Hour},
		Summarize([]time.Duration{40 * time.Hour, time.Hour, 2 * time.Hour, 3 * time.Hour}))
}

func TestCompliance(t *testing.T) {
	tests := []struct {
		name     string
		outcomes []bool
		text     string
	}{
		{name: "nothing counted", text: "none yet"},
		{name: "all met", outcomes: []bool{true, true}, text: "100% (2 of 2)"},
		{name: "none met", outcomes: []bool{false, false, false}, text: "0% (0 of 3)"},
		{name: "five of six", outcomes: []bool{true, true, false, true, true, true}, text: "83% (5 of 6)"},
		{name: "one of three", outcomes: []bool{true, false, false}, text: "33% (1 of 3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Compliance
			for _, met := range tt.outcomes {
				c.Add(met)
			}
			assert.Equal(t, len(tt.outcomes), c.Total)
			assert.Equal(t, tt.text, c.String())
		})
	}

	almost := Compliance{Met: 199, Total: 200}
	assert.Equal(t, "99% (199 of 200)", almost.String(), "rounded down: 100% means every one")
}
