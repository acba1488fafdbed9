package sla

import (
	"fmt"
	"slices"
	"time"
)

// Percentile is the p-th percentile of ds by the nearest-rank method: sorted
// ascending, the value at rank ⌈p/100 × n⌉, at least rank 1. It is always one of
// the values given. p is clamped to [0, 100]; ok is false when ds is empty. ds is
// not modified.
func Percentile(ds []time.Duration, p int) (time.Duration, bool) {
	if len(ds) == 0 {
		return 0, false
	}
	p = min(max(p, 0), 100)
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	rank := (p*len(sorted) + 99) / 100 // ⌈p·n/100⌉ in integers
	return sorted[max(rank, 1)-1], true
}

// Median is the 50th percentile by nearest rank: the lower middle value when
// there is an even number of values.
func Median(ds []time.Duration) (time.Duration, bool) { return Percentile(ds, 50) }

// Summary is what program metrics show for one measured time.
type Summary struct {
	Count  int
	Median time.Duration // zero when Count is 0
	P90    time.Duration // zero when Count is 0
}

// Summarize computes the median and 90th percentile of ds.
func Summarize(ds []time.Duration) Summary {
	median, _ := Median(ds)
	p90, _ := Percentile(ds, 90)
	return Summary{Count: len(ds), Median: median, P90: p90}
}

// Compliance tallies intervals that met or missed their targets.
type Compliance struct {
	Met   int
	Total int
}

// Add counts one decided interval.
func (c *Compliance) Add(met bool) {
	c.Total++
	if met {
		c.Met++
	}
}

// String is "83% (5 of 6)", or "none yet" when nothing was counted. The
// percentage is rounded down, so 100% always means every one.
func (c Compliance) String() string {
	if c.Total <= 0 {
		return "none yet"
	}
	return fmt.Sprintf("%d%% (%d of %d)", c.Met*100/c.Total, c.Met, c.Total)
}
