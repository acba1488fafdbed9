// Command run starts PostgreSQL and Mattermost locally with the plugin bundle
// installed and configured, creates demo users, prints how to use it, and keeps
// running until Ctrl-C. Data stays in -dir, so the next run reuses it.
//
// `make run` builds the bundle and the server first, then runs this.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// demoUsers are the people of `make run`; `make demo` acts as them.
var demoUsers = []harness.UserSpec{
	{Username: "researcher", Role: "security researcher: files reports with /security"},
	{Username: "triager", Role: "security team: member of the private triage channel", Triage: true},
}

// publicPaths are the plugin's routes anyone may open without logging in.
var publicPaths = []string{"/policy"}

func main() {
	dir := flag.String("dir", "", "data folder (PostgreSQL cluster, server data, logs); kept between runs")
	port := flag.Int("port", 8065, "Mattermost port on 127.0.0.1")
	pgPort := flag.Int("pg-port", 5438, "PostgreSQL port on 127.0.0.1")
	flag.Parse()
	if err := run(*dir, *port, *pgPort); err != nil {
		fmt.Fprintln(os.Stderr, "\nmake run:", err)
		os.Exit(1)
	}
}

func run(dir string, port, pgPort int) error {
	if dir == "" {
		repo, err := harness.RepoRoot()
		if err != nil {
			return err
		}
		dir = filepath.Join(repo, ".run")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// The first Ctrl-C cancels startup or ends the wait below; stopping then runs
	// in order. A second Ctrl-C kills this process, and the parent-death signal
	// still stops the servers.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	build, err := harness.LocateServerBuild()
	if err != nil {
		return err
	}
	if err := build.Ensure(ctx, os.Stderr); err != nil {
		return err
	}
	repo, err := harness.RepoRoot()
	if err != nil {
		return err
	}
	bundle, err := harness.FindBundle(repo)
	if err != nil {
		return err
	}

	stack := harness.New(harness.Options{
		Build:           build,
		Bundle:          &bundle,
		Dir:             dir,
		Port:            port,
		PGPort:          pgPort,
		PortHint:        fmt.Sprintf("E2E_RUN_PORT=%d make run", port+1),
		PGPortHint:      fmt.Sprintf("E2E_RUN_PG_PORT=%d make run", pgPort+1),
		Durable:         true,
		InstallPostgres: true,
		Users:           demoUsers,
		Progress:        os.Stdout,
	})
	defer func() {
		fmt.Println("Stopping Mattermost and PostgreSQL...")
		harness.RemoveRunInfo(dir)
		if err := stack.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping:", err)
		}
		fmt.Printf("Stopped. Data kept in %s; `make run` reuses it.\n", dir)
	}()

	if err := stack.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return errors.New("interrupted while starting")
		}
		return err
	}
	info := stack.RunInfo()
	if err := harness.WriteRunInfo(dir, info); err != nil {
		return err
	}
	printInfo(info, dir)

	select {
	case <-ctx.Done():
		fmt.Println()
		return nil
	case <-stack.MM.Exited():
		return fmt.Errorf("the Mattermost server stopped on its own (%s); server log: %s", stack.MM.ExitDescription(), stack.MM.LogPath)
	}
}

func printInfo(info harness.RunInfo, dir string) {
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "\nResponsible Disclosure is running.\n\n")
	fmt.Fprintf(w, "Server\t%s\t(REST API; the web client is not part of the server module)\n", info.URL)
	fmt.Fprintf(w, "Team\t%s\t\n", info.Team)
	fmt.Fprintf(w, "Triage channel\t~%s\t(private)\n", info.TriageChannel)
	fmt.Fprintf(w, "\nUser\tPassword\tRole\n")
	for _, u := range info.Users {
		fmt.Fprintf(w, "%s\t%s\t%s\n", u.Username, u.Password, u.Role)
	}
	fmt.Fprintf(w, "\nPublic plugin pages (no login):\n")
	for _, p := range publicPaths {
		fmt.Fprintf(w, "  %s/plugins/%s%s\n", info.URL, info.PluginID, p)
	}
	fmt.Fprintf(w, "\nTry it:\n")
	fmt.Fprintf(w, "  make demo\tacts as the demo users through the REST API and shows what each sees\n")
	fmt.Fprintf(w, "  MMCTL_LOCAL_SOCKET_PATH=%s %s --local plugin list\n", info.SocketPath, info.Mmctl)
	fmt.Fprintf(w, "  TOKEN=$(curl -si -d '{\"login_id\":\"researcher\",\"password\":\"%s\"}' %s/api/v4/users/login | awk 'tolower($1)==\"token:\"{print $2}' | tr -d '\\r')\n", harness.Password("researcher"), info.URL)
	fmt.Fprintf(w, "  curl -s -H \"Authorization: Bearer $TOKEN\" -d '{\"channel_id\":\"%s\",\"command\":\"/security help\"}' %s/api/v4/commands/execute\n", info.TownSquareID, info.URL)
	fmt.Fprintf(w, "\nLogs\t%s\n\t%s\n\t%s (audit)\n", info.ServerLog, info.PostgresLog, info.AuditLog)
	fmt.Fprintf(w, "Data\t%s\n", dir)
	fmt.Fprintf(w, "\nPress Ctrl-C to stop.\n")
	w.Flush()
}
