// Command server is the plugin's server half: the Mattermost server starts it and
// talks to it over RPC.
package main

import (
	"runtime/debug"

	"github.com/mattermost/mattermost/server/public/plugin"
)

// The collector's pace. Every answer crosses the plugin RPC, which allocates
// tens of kilobytes a request (a connection, its buffers, the encoded body),
// so at the default pace, a cycle each time the heap doubles, collecting
// costs a public page about a tenth of its throughput (make bench). The live
// heap is small (about 15 MB at 100,000 reports), so it may grow to five
// times itself between cycles, but never past a soft limit that keeps the
// process inside its memory budget (64 MB resident, issue 16): near the
// limit the collector runs as often as it must.
const (
	gcPercent   = 400
	memoryLimit = 40 << 20
)

func main() {
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
	plugin.ClientMain(&Plugin{})
}
