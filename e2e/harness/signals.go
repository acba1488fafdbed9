package harness

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// ExitOnInterrupt makes SIGINT, SIGTERM and SIGHUP stop everything the harness
// started (via cancel and then StopAll plus cleanup) and exit with 130. It returns a
// function that restores the default signal handling.
func ExitOnInterrupt(cancel func(), cleanup func()) (restore func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "\ne2e harness: %s: stopping Mattermost and PostgreSQL\n", sig)
			cancel()
			StopAll()
			if cleanup != nil {
				cleanup()
			}
			os.Exit(130)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
