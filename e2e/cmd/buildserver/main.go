// Command buildserver builds the pinned Mattermost server and mmctl into the
// e2e cache folder unless a complete build of that version is already there, and
// prints the folder. `make e2e`, `make run` and `make demo` call it first.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A cold build with downloads takes about 5 minutes on 2 cores; 30 is a
	// bound, not an estimate.
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()

	build, err := harness.LocateServerBuild()
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildserver:", err)
		os.Exit(1)
	}
	if err := build.Ensure(ctx, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "buildserver:", err)
		os.Exit(1)
	}
	fmt.Printf("Mattermost server %s: %s\n", build.Version, build.Dir)
}
