package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultHealthTimeout bounds the wait for a starting server. A fresh database
// answers after about 20 seconds on a 2-core machine.
const DefaultHealthTimeout = 3 * time.Minute

// ServerOptions configures one Mattermost server process.
type ServerOptions struct {
	Build ServerBuild
	// Binary replaces Build.Mattermost(); the failure tests use it to run a
	// server stand-in that never becomes healthy.
	Binary string
	// DataDir holds config.json, files, plugins, the local-mode socket and the
	// server's working directory.
	DataDir       string
	LogPath       string
	AuditLogPath  string
	Port          int
	DSN           string
	HealthTimeout time.Duration
	// Env is appended to the server's environment (MM_* overrides).
	Env []string
	// ConfigurableEmail leaves email notifications to config.json instead of
	// forcing them off through the environment (which no API call can change),
	// so a test can turn them on against a local SMTP sink. A new server starts
	// with them off either way.
	ConfigurableEmail bool
	Progress          io.Writer
}

// Server is a running Mattermost server.
type Server struct {
	URL          string
	SocketPath   string
	LogPath      string
	AuditLogPath string
	Build        ServerBuild
	proc         *process
}

// StartServer starts Mattermost and waits, at most HealthTimeout, until it answers
// GET /api/v4/system/ping and its local-mode socket exists.
func StartServer(ctx context.Context, opts ServerOptions) (*Server, error) {
	if opts.HealthTimeout == 0 {
		opts.HealthTimeout = DefaultHealthTimeout
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	if err := checkPortFree(opts.Port, "Mattermost", ""); err != nil {
		return nil, err
	}
	binary := opts.Binary
	if binary == "" {
		binary = opts.Build.Mattermost()
	}
	workDir := filepath.Join(opts.DataDir, "work")
	if err := prepareWorkDir(workDir, opts.Build.Dir); err != nil {
		return nil, err
	}
	// The server creates only the last folder of these paths; without them it
	// starts with plugins disabled.
	for _, d := range []string{"plugins", filepath.Join("client", "plugins"), "files"} {
		if err := os.MkdirAll(filepath.Join(opts.DataDir, d), 0o755); err != nil {
			return nil, err
		}
	}
	s := &Server{
		URL: fmt.Sprintf("http://127.0.0.1:%d", opts.Port),
		// The socket path must stay under the 108-byte limit of Unix sockets.
		SocketPath:   filepath.Join(opts.DataDir, "mm.sock"),
		LogPath:      opts.LogPath,
		AuditLogPath: opts.AuditLogPath,
		Build:        opts.Build,
	}
	if len(s.SocketPath) > 100 {
		return nil, fmt.Errorf("the local-mode socket path %s is too long for a Unix socket; use a shorter data folder", s.SocketPath)
	}
	if err := preseedConfig(filepath.Join(opts.DataDir, "config.json")); err != nil {
		return nil, err
	}
	env := append(os.Environ(), serverEnv(opts, s)...)
	env = append(env, opts.Env...)

	cmd := exec.Command(binary, "server", "--config", filepath.Join(opts.DataDir, "config.json"))
	cmd.Dir = workDir
	cmd.Env = env
	fmt.Fprintf(opts.Progress, "Mattermost: starting %s (log: %s)\n", s.URL, s.LogPath)
	// SIGTERM lets the server shut its plugins down before it exits.
	proc, err := startProcess("Mattermost", cmd, s.LogPath, nil, syscall.SIGTERM)
	if err != nil {
		return nil, err
	}
	s.proc = proc
	if err := s.waitHealthy(ctx, opts.HealthTimeout); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// serverEnv is the configuration: environment variables override config.json,
// and values set this way cannot be changed through the API.
func serverEnv(opts ServerOptions, s *Server) []string {
	dir := opts.DataDir
	env := []string{
		"MM_SQLSETTINGS_DRIVERNAME=postgres",
		"MM_SQLSETTINGS_DATASOURCE=" + opts.DSN,
		"MM_SQLSETTINGS_MAXOPENCONNS=50",
		"MM_SERVICESETTINGS_SITEURL=" + s.URL,
		"MM_SERVICESETTINGS_LISTENADDRESS=127.0.0.1:" + strconv.Itoa(opts.Port),
		"MM_SERVICESETTINGS_ENABLELOCALMODE=true",
		"MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION=" + s.SocketPath,
		"MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true",
		"MM_SERVICESETTINGS_ENABLESECURITYFIXALERT=false",
		"MM_SERVICESETTINGS_ENABLELINKPREVIEWS=false",
		"MM_PLUGINSETTINGS_ENABLE=true",
		"MM_PLUGINSETTINGS_ENABLEUPLOADS=true",
		"MM_PLUGINSETTINGS_ENABLEMARKETPLACE=false",
		"MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE=false",
		"MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS=false",
		"MM_PLUGINSETTINGS_DIRECTORY=" + filepath.Join(dir, "plugins"),
		"MM_PLUGINSETTINGS_CLIENTDIRECTORY=" + filepath.Join(dir, "client", "plugins"),
		"MM_FILESETTINGS_DIRECTORY=" + filepath.Join(dir, "files"),
		"MM_TEAMSETTINGS_ENABLEOPENSERVER=true",
		"MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION=false",
		"MM_LOGSETTINGS_ENABLECONSOLE=true",
		"MM_LOGSETTINGS_CONSOLELEVEL=DEBUG",
		"MM_LOGSETTINGS_CONSOLEJSON=false",
		"MM_LOGSETTINGS_ENABLEFILE=false",
		"MM_LOGSETTINGS_FILELOCATION=" + filepath.Join(dir, "logs"),
		"MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false",
		"MM_NOTIFICATIONLOGSETTINGS_ENABLEFILE=false",
		"MM_NOTIFICATIONLOGSETTINGS_FILELOCATION=" + filepath.Join(dir, "logs"),
		"MM_EXPERIMENTALAUDITSETTINGS_FILEENABLED=true",
		"MM_EXPERIMENTALAUDITSETTINGS_FILENAME=" + opts.AuditLogPath,
		"MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED=false",
		"MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED=false",
	}
	if !opts.ConfigurableEmail {
		env = append(env, "MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false")
	}
	return env
}

// preseedConfig writes the settings a new server must start with but that stay
// changeable through the API (unlike environment overrides): email notifications
// off, since no mail server is configured. An existing config.json is kept.
func preseedConfig(path string) error {
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(`{"EmailSettings": {"SendEmailNotifications": false}}`+"\n"), 0o600)
}

// prepareWorkDir gives the server a working directory of its own that links to the
// build's read-only assets, so anything it writes relative to it stays in DataDir.
func prepareWorkDir(workDir, buildDir string) error {
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return err
	}
	for _, a := range serverAssets {
		link := filepath.Join(workDir, a)
		target := filepath.Join(buildDir, a)
		if current, err := os.Readlink(link); err == nil && current == target {
			continue
		}
		_ = os.RemoveAll(link)
		if err := os.Symlink(target, link); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) waitHealthy(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		if s.proc.exited() {
			return fmt.Errorf("Mattermost %s before answering %s/api/v4/system/ping; server log: %s\n%s",
				s.proc.exitDescription(), s.URL, s.LogPath, tailFile(s.LogPath, 25))
		}
		if s.ping(ctx, client) == nil {
			if _, err := os.Stat(s.SocketPath); err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("Mattermost did not become healthy within %s: no OK from %s/api/v4/system/ping (or no local-mode socket at %s); server log: %s\n%s",
				timeout, s.URL, s.SocketPath, s.LogPath, tailFile(s.LogPath, 25))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for Mattermost (server log: %s): %w", s.LogPath, ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func (s *Server) ping(ctx context.Context, client *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/api/v4/system/ping", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&body) != nil || body.Status != "OK" {
		return fmt.Errorf("ping answered %s", resp.Status)
	}
	return nil
}

// Exited is closed when the server process ends.
func (s *Server) Exited() <-chan struct{} { return s.proc.done }

// ExitDescription says how the server ended, once Exited is closed.
func (s *Server) ExitDescription() string { return s.proc.exitDescription() }

// Stop shuts the server down: SIGTERM, then after 30 seconds SIGKILL to its
// process group (plugin processes included).
func (s *Server) Stop() error {
	if s == nil || s.proc == nil {
		return nil
	}
	return s.proc.stop(30 * time.Second)
}

// Mmctl runs `mmctl --local` against the server, bounded by two minutes, and
// returns its output.
func (s *Server) Mmctl(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.Build.Mmctl(), append([]string{"--local"}, args...)...)
	cmd.Env = append(os.Environ(), "MMCTL_LOCAL_SOCKET_PATH="+s.SocketPath)
	out, err := cmd.CombinedOutput()
	text := strings.TrimSpace(string(out))
	if ctx.Err() == context.DeadlineExceeded {
		return text, fmt.Errorf("mmctl %s did not finish within 2m; server log: %s", strings.Join(args, " "), s.LogPath)
	}
	if err != nil {
		return text, fmt.Errorf("mmctl %s failed (%v): %s; server log: %s", strings.Join(args, " "), err, text, s.LogPath)
	}
	return text, nil
}
