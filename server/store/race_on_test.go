//go:build race

package store

// raceEnabled: the race detector slows the store about tenfold, so scale tests
// seed fewer reports under it.
const raceEnabled = true
