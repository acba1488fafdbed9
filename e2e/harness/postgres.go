package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultPostgresSearch is where Debian and Ubuntu put the PostgreSQL server binaries.
var DefaultPostgresSearch = []string{"/usr/lib/postgresql/*/bin"}

const (
	pgSuperuser = "mmuser"
	pgDatabase  = "mattermost"
	// pgSystemUser is created when the harness runs as root on a machine without
	// a postgres user: initdb and postgres refuse to run as root.
	pgSystemUser = "rd-e2e-pg"
)

// PostgresOptions configures a throwaway PostgreSQL cluster.
type PostgresOptions struct {
	// BinDir holds initdb, postgres, pg_isready, psql and createdb. Empty: search
	// Search (default DefaultPostgresSearch, or $E2E_PG_BIN when set).
	BinDir string
	Search []string
	// Install lets the harness run `apt-get install postgresql` when no binaries
	// are found and it runs as root.
	Install bool
	// DataDir is the cluster folder; an existing cluster in it is reused.
	DataDir string
	Port    int
	LogPath string
	// Durable keeps fsync on (for `make run`, whose data is kept). Tests turn it
	// off: their cluster is thrown away.
	Durable      bool
	StartTimeout time.Duration // default 60s
	Progress     io.Writer
}

// Postgres is a running cluster with a database for Mattermost.
type Postgres struct {
	DSN     string
	LogPath string
	Port    int
	binDir  string
	proc    *process
}

// StartPostgres creates the cluster if needed, starts it on 127.0.0.1:Port and
// creates the Mattermost database.
func StartPostgres(ctx context.Context, opts PostgresOptions) (*Postgres, error) {
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 60 * time.Second
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	binDir, err := findPostgres(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := checkPortFree(opts.Port, "PostgreSQL", ""); err != nil {
		return nil, err
	}
	cred, err := postgresCredential(ctx)
	if err != nil {
		return nil, err
	}
	if err := prepareDataDir(opts.DataDir, cred); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(opts.DataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(opts.Progress, "PostgreSQL: creating a cluster in %s\n", opts.DataDir)
		initdb := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
			"-D", opts.DataDir, "-U", pgSuperuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		initdb.Env = minimalEnv()
		if out, err := initdb.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("initdb in %s failed: %w\n%s", opts.DataDir, err, out)
		}
	}

	args := []string{
		"-D", opts.DataDir,
		"-p", strconv.Itoa(opts.Port),
		"-c", "listen_addresses=127.0.0.1",
		// No Unix socket: its default folder may not exist or be writable here.
		"-c", "unix_socket_directories=",
		"-c", "max_connections=200",
	}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(binDir, "postgres"), args...)
	cmd.Env = minimalEnv()
	fmt.Fprintf(opts.Progress, "PostgreSQL: starting on 127.0.0.1:%d (log: %s)\n", opts.Port, opts.LogPath)
	// SIGINT is PostgreSQL's "fast shutdown".
	proc, err := startProcess("PostgreSQL", cmd, opts.LogPath, cred, syscall.SIGINT)
	if err != nil {
		return nil, err
	}
	pg := &Postgres{
		DSN:     fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable&connect_timeout=10", pgSuperuser, opts.Port, pgDatabase),
		LogPath: opts.LogPath,
		Port:    opts.Port,
		binDir:  binDir,
		proc:    proc,
	}
	if err := pg.waitReady(ctx, binDir, opts.StartTimeout); err != nil {
		_ = pg.Stop()
		return nil, err
	}
	if err := pg.ensureDatabase(ctx, binDir); err != nil {
		_ = pg.Stop()
		return nil, err
	}
	return pg, nil
}

// Query runs one SQL statement with psql on the Mattermost database and returns
// its unaligned, tuples-only output. For tests that read what the server stored
// but no API shows; never build the statement from untrusted input.
func (p *Postgres) Query(ctx context.Context, sql string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(p.binDir, "psql"), "-X", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port),
		"-U", pgSuperuser, "-d", pgDatabase, "-v", "ON_ERROR_STOP=1", "-tAc", sql)
	cmd.Env = minimalEnv()
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", fmt.Errorf("psql %q: %w: %s", sql, err, exitErr.Stderr)
		}
		return "", fmt.Errorf("psql %q: %w", sql, err)
	}
	return strings.TrimRight(string(out), "\n"), nil
}

// Stop shuts the cluster down (fast shutdown, then kill after 30 seconds).
func (p *Postgres) Stop() error {
	if p == nil || p.proc == nil {
		return nil
	}
	return p.proc.stop(30 * time.Second)
}

func (p *Postgres) waitReady(ctx context.Context, binDir string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if p.proc.exited() {
			return fmt.Errorf("PostgreSQL %s before accepting connections; log: %s\n%s", p.proc.exitDescription(), p.LogPath, tailFile(p.LogPath, 15))
		}
		check := exec.CommandContext(ctx, filepath.Join(binDir, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-t", "2")
		if check.Run() == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("PostgreSQL did not accept connections on 127.0.0.1:%d within %s; log: %s\n%s", p.Port, timeout, p.LogPath, tailFile(p.LogPath, 15))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for PostgreSQL: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (p *Postgres) ensureDatabase(ctx context.Context, binDir string) error {
	port := strconv.Itoa(p.Port)
	query := exec.CommandContext(ctx, filepath.Join(binDir, "psql"), "-X", "-h", "127.0.0.1", "-p", port, "-U", pgSuperuser,
		"-d", "postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname = '"+pgDatabase+"'")
	out, err := query.CombinedOutput()
	if err != nil {
		return fmt.Errorf("querying PostgreSQL for the %s database: %w\n%s", pgDatabase, err, out)
	}
	if strings.TrimSpace(string(out)) == "1" {
		return nil
	}
	create := exec.CommandContext(ctx, filepath.Join(binDir, "createdb"), "-h", "127.0.0.1", "-p", port, "-U", pgSuperuser, pgDatabase)
	if out, err := create.CombinedOutput(); err != nil {
		return fmt.Errorf("creating the %s database: %w\n%s", pgDatabase, err, out)
	}
	return nil
}

// findPostgres locates the server binaries, installing them with apt-get when
// allowed and possible.
func findPostgres(ctx context.Context, opts PostgresOptions) (string, error) {
	if opts.BinDir != "" {
		if hasPostgresBinaries(opts.BinDir) {
			return opts.BinDir, nil
		}
		return "", fmt.Errorf("PostgreSQL server binaries (initdb, postgres, pg_isready, psql, createdb) not found in %s", opts.BinDir)
	}
	search := opts.Search
	if len(search) == 0 {
		search = DefaultPostgresSearch
		if env := os.Getenv("E2E_PG_BIN"); env != "" {
			search = []string{env}
		}
	}
	if dir := searchPostgres(search); dir != "" {
		return dir, nil
	}
	where := strings.Join(search, ", ")
	if !opts.Install {
		return "", fmt.Errorf("PostgreSQL server binaries (initdb, postgres) not found in %s; install them (Debian/Ubuntu: apt-get install postgresql) or point E2E_PG_BIN at their folder", where)
	}
	if os.Geteuid() != 0 {
		return "", fmt.Errorf("PostgreSQL server binaries (initdb, postgres) not found in %s, and installing them needs root; run `sudo apt-get install postgresql` or point E2E_PG_BIN at their folder", where)
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "", fmt.Errorf("PostgreSQL server binaries not found in %s and apt-get is not available to install them; install PostgreSQL and point E2E_PG_BIN at its bin folder", where)
	}
	fmt.Fprintf(opts.Progress, "PostgreSQL: not found in %s; installing it with apt-get\n", where)
	installCtx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
		cmd := exec.CommandContext(installCtx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = opts.Progress, opts.Progress
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("apt-get %s failed (output above): %w", args[0], err)
		}
	}
	if dir := searchPostgres(search); dir != "" {
		return dir, nil
	}
	return "", fmt.Errorf("apt-get installed postgresql but no server binaries appeared in %s", where)
}

func searchPostgres(globs []string) string {
	var found []string
	for _, g := range globs {
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if hasPostgresBinaries(m) {
				found = append(found, m)
			}
		}
	}
	// Prefer the newest major version: /usr/lib/postgresql/16/bin over .../15/bin.
	sort.Slice(found, func(i, j int) bool { return majorOf(found[i]) > majorOf(found[j]) })
	if len(found) == 0 {
		return ""
	}
	return found[0]
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasPostgresBinaries(dir string) bool {
	for _, name := range []string{"initdb", "postgres", "pg_isready", "psql", "createdb"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// postgresCredential returns the unprivileged user PostgreSQL runs as when the
// harness is root (nil otherwise), creating a system user if none exists.
func postgresCredential(ctx context.Context) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		u, err = user.Lookup(pgSystemUser)
	}
	if err != nil {
		add := exec.CommandContext(ctx, "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", pgSystemUser)
		if out, aerr := add.CombinedOutput(); aerr != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user: no postgres user, and useradd %s failed: %w\n%s", pgSystemUser, aerr, out)
		}
		if u, err = user.Lookup(pgSystemUser); err != nil {
			return nil, err
		}
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// prepareDataDir creates the cluster folder, owned by the PostgreSQL user, and
// checks that this user can reach it through every parent folder.
func prepareDataDir(dir string, cred *syscall.Credential) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if cred == nil {
		return nil
	}
	if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
		return err
	}
	for parent := filepath.Dir(dir); ; parent = filepath.Dir(parent) {
		info, err := os.Stat(parent)
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		mode := info.Mode().Perm()
		reachable := mode&0o001 != 0 ||
			(st.Uid == cred.Uid && mode&0o100 != 0) ||
			(st.Gid == cred.Gid && mode&0o010 != 0)
		if !reachable {
			return fmt.Errorf("PostgreSQL runs as uid %d, which cannot enter %s (mode %v); choose a data folder it can reach", cred.Uid, parent, mode)
		}
		if parent == filepath.Dir(parent) {
			return nil
		}
	}
}

func minimalEnv() []string {
	return []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TZ=UTC"}
}
