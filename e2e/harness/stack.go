package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

const (
	// BotUsername is the bot the plugin ensures on activation.
	BotUsername = "securitybot"
	// DefaultChannelName is the plugin's default triage channel.
	DefaultChannelName = "security-reports"
	// DefaultTeam is the team the harness creates and configures the plugin for.
	DefaultTeam = "security"
)

// UserSpec is a user the harness ensures exists and belongs to the team.
type UserSpec struct {
	Username string
	// Triage: added to the plugin's triage channel once the plugin created it.
	Triage bool
	// Role is a human description, printed by `make run`.
	Role string
}

// Password is the password the harness gives a user it creates. Fixed so that
// `make run` can print it and reuse the data on the next run.
func Password(username string) string { return username + "-Passw0rd!" }

// Options configures a Stack.
type Options struct {
	Build ServerBuild
	// Bundle is installed and enabled when set.
	Bundle *Bundle
	// Dir holds the PostgreSQL cluster and the server's data. Empty: a temporary
	// folder, removed by Close. A given Dir is kept and reused by the next Start.
	Dir string
	// LogDir receives mattermost.log, postgres.log and audit.log. Empty: Dir/logs.
	LogDir string
	// Port and PGPort: 0 picks free ports.
	Port, PGPort int
	// PortHint and PGPortHint tell a user how to choose another port when one is
	// taken (e.g. "E2E_RUN_PORT=8066 make run").
	PortHint, PGPortHint string
	// Durable keeps PostgreSQL's fsync on (for data that is kept).
	Durable         bool
	InstallPostgres bool
	HealthTimeout   time.Duration

	Team  string // default DefaultTeam
	Admin string // default "admin"; the first user, hence system admin
	Users []UserSpec
	// PluginSettings are saved (as admin, through the API) before the plugin is
	// enabled. TeamName defaults to Team.
	PluginSettings map[string]any
	// Websockets connects every user's websocket once set up.
	Websockets bool
	// ConfigurableEmail: see ServerOptions.ConfigurableEmail.
	ConfigurableEmail bool
	// Progress receives one line per step; nil discards.
	Progress io.Writer
}

// Stack is a running PostgreSQL + Mattermost with users, a team and the plugin.
type Stack struct {
	Opts  Options
	PG    *Postgres
	MM    *Server
	Admin *User
	Team  *model.Team
	// DefaultChannel is the team's town-square, a neutral place to run slash
	// commands from.
	DefaultChannel *model.Channel
	Users          map[string]*User
	Bundle         *Bundle
	// Bot and TriageChannel are set once the plugin has set itself up.
	Bot           *model.User
	TriageChannel *model.Channel

	started time.Time
	tempDir string
	// mu guards Users against Close running from a signal handler while Start
	// is still adding users.
	mu        sync.Mutex
	closeOnce sync.Once
	closeErr  error
}

// New returns a Stack that Start brings up.
func New(opts Options) *Stack {
	if opts.Team == "" {
		opts.Team = DefaultTeam
	}
	if opts.Admin == "" {
		opts.Admin = "admin"
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	settings := map[string]any{"TeamName": opts.Team}
	for k, v := range opts.PluginSettings {
		settings[k] = v
	}
	opts.PluginSettings = settings
	return &Stack{Opts: opts, Users: map[string]*User{}, Bundle: opts.Bundle}
}

// ChannelName is the triage channel name the plugin is configured with.
func (s *Stack) ChannelName() string {
	for k, v := range s.Opts.PluginSettings {
		if strings.EqualFold(k, "ChannelName") {
			if name, ok := v.(string); ok && name != "" {
				return name
			}
		}
	}
	return DefaultChannelName
}

func (s *Stack) logf(format string, args ...any) {
	fmt.Fprintf(s.Opts.Progress, "[%5.1fs] %s\n", time.Since(s.started).Seconds(), fmt.Sprintf(format, args...))
}

// Start brings everything up. On error, what was started keeps running until
// Close; the error names the failing step and the log to read.
func (s *Stack) Start(ctx context.Context) error {
	s.started = time.Now()
	dir := s.Opts.Dir
	if dir == "" {
		removeStaleTempDirs()
		tmp, err := os.MkdirTemp("", tempPrefix)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			return err
		}
		// PostgreSQL runs as another user and must reach its folder inside.
		if err := os.Chmod(tmp, 0o755); err != nil {
			return err
		}
		s.tempDir, dir = tmp, tmp
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	logDir := s.Opts.LogDir
	if logDir == "" {
		logDir = filepath.Join(dir, "logs")
	}
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return err
	}
	if err := s.choosePorts(); err != nil {
		return err
	}

	pg, err := StartPostgres(ctx, PostgresOptions{
		Install:  s.Opts.InstallPostgres,
		DataDir:  filepath.Join(dir, "pg"),
		Port:     s.Opts.PGPort,
		LogPath:  filepath.Join(logDir, "postgres.log"),
		Durable:  s.Opts.Durable,
		Progress: s.Opts.Progress,
	})
	if err != nil {
		return fmt.Errorf("starting PostgreSQL: %w", err)
	}
	s.PG = pg
	s.logf("PostgreSQL ready on 127.0.0.1:%d", pg.Port)

	mm, err := StartServer(ctx, ServerOptions{
		Build:             s.Opts.Build,
		DataDir:           filepath.Join(dir, "mattermost"),
		LogPath:           filepath.Join(logDir, "mattermost.log"),
		AuditLogPath:      filepath.Join(logDir, "audit.log"),
		Port:              s.Opts.Port,
		DSN:               pg.DSN,
		HealthTimeout:     s.Opts.HealthTimeout,
		ConfigurableEmail: s.Opts.ConfigurableEmail,
		Progress:          s.Opts.Progress,
	})
	if err != nil {
		return fmt.Errorf("starting Mattermost: %w", err)
	}
	s.MM = mm
	s.logf("Mattermost answers at %s", mm.URL)

	if err := s.setUpPeople(ctx); err != nil {
		return fmt.Errorf("creating users and team (server log: %s): %w", mm.LogPath, err)
	}
	s.logf("admin, team %q and %d users ready", s.Team.Name, len(s.Users))

	if s.Bundle != nil {
		if err := s.InstallPlugin(ctx); err != nil {
			return err
		}
		s.logf("plugin %s %s running; triage channel ~%s", s.Bundle.ID, s.Bundle.Version, s.TriageChannel.Name)
	}
	if s.Opts.Websockets {
		for _, u := range s.userList() {
			if err := u.ConnectEvents(ctx); err != nil {
				return fmt.Errorf("server log: %s: %w", mm.LogPath, err)
			}
		}
	}
	return nil
}

func (s *Stack) choosePorts() error {
	for _, p := range []*int{&s.Opts.Port, &s.Opts.PGPort} {
		if *p == 0 {
			free, err := FreePort()
			if err != nil {
				return err
			}
			*p = free
		}
	}
	// Both are checked before anything starts, so a taken port fails fast.
	if err := checkPortFree(s.Opts.Port, "Mattermost", s.Opts.PortHint); err != nil {
		return err
	}
	return checkPortFree(s.Opts.PGPort, "PostgreSQL", s.Opts.PGPortHint)
}

// setUpPeople ensures the admin, the team and the users; existing ones (a reused
// data folder) are logged into instead.
func (s *Stack) setUpPeople(ctx context.Context) error {
	admin, err := s.ensureUser(ctx, nil, s.Opts.Admin)
	if err != nil {
		return err
	}
	if !admin.IsSystemAdmin() {
		return fmt.Errorf("user %s exists but is not a system admin (the first user created becomes one)", admin.Username)
	}
	s.mu.Lock()
	s.Admin = admin
	s.mu.Unlock()

	team, resp, err := admin.Client.GetTeamByName(ctx, s.Opts.Team, "")
	if IsNotFound(resp, err) {
		team, _, err = admin.Client.CreateTeam(ctx, &model.Team{
			Name:        s.Opts.Team,
			DisplayName: strings.ToUpper(s.Opts.Team[:1]) + s.Opts.Team[1:],
			Type:        model.TeamOpen,
		})
	}
	if err != nil {
		return fmt.Errorf("team %s: %w", s.Opts.Team, err)
	}
	s.Team = team
	if s.DefaultChannel, _, err = admin.Client.GetChannelByName(ctx, model.DefaultChannelName, team.Id, ""); err != nil {
		return fmt.Errorf("channel %s of team %s: %w", model.DefaultChannelName, team.Name, err)
	}

	for _, spec := range append([]UserSpec{{Username: s.Opts.Admin}}, s.Opts.Users...) {
		u := admin
		if spec.Username != s.Opts.Admin {
			if u, err = s.ensureUser(ctx, admin.Client, spec.Username); err != nil {
				return err
			}
			s.mu.Lock()
			s.Users[spec.Username] = u
			s.mu.Unlock()
		}
		if _, _, err := admin.Client.AddTeamMember(ctx, team.Id, u.Id); err != nil {
			return fmt.Errorf("adding %s to team %s: %w", spec.Username, team.Name, err)
		}
	}
	return nil
}

// ensureUser logs in as username, creating the user first if needed: through
// the admin's client, or anonymously for the first user (who becomes admin).
func (s *Stack) ensureUser(ctx context.Context, creator *model.Client4, username string) (*User, error) {
	if u, err := LoginUser(ctx, s.MM.URL, username, Password(username)); err == nil {
		return u, nil
	}
	if creator == nil {
		creator = model.NewAPIv4Client(s.MM.URL)
	}
	_, _, err := creator.CreateUser(ctx, &model.User{
		Username: username,
		Email:    username + "@example.com",
		Password: Password(username),
	})
	if err != nil {
		return nil, fmt.Errorf("creating user %s (or logging in with password %q): %w", username, Password(username), err)
	}
	return LoginUser(ctx, s.MM.URL, username, Password(username))
}

// InstallPlugin installs the bundle with mmctl, saves the plugin settings
// through the API, enables the plugin with mmctl, waits until it runs and has
// created its bot and triage channel, and adds the triage users to the channel.
func (s *Stack) InstallPlugin(ctx context.Context) error {
	b := s.Bundle
	if err := s.MM.InstallBundle(ctx, b.Path); err != nil {
		return fmt.Errorf("installing the bundle %s: %w", b.Path, err)
	}
	// Saved before enabling, as an admin does in the System Console, so the
	// plugin activates with its team set.
	if err := SetPluginSettings(ctx, s.Admin.Client, b.ID, s.Opts.PluginSettings); err != nil {
		return fmt.Errorf("saving the plugin settings (server log: %s): %w", s.MM.LogPath, err)
	}
	if err := s.MM.EnablePlugin(ctx, b.ID); err != nil {
		return fmt.Errorf("enabling the plugin: %w", err)
	}
	if err := s.MM.WaitPluginState(ctx, s.Admin.Client, b.ID, model.PluginStateRunning, 2*time.Minute); err != nil {
		return err
	}
	if err := s.findPluginSetup(ctx); err != nil {
		return err
	}
	for _, spec := range s.Opts.Users {
		if !spec.Triage {
			continue
		}
		if _, _, err := s.Admin.Client.AddChannelMember(ctx, s.TriageChannel.Id, s.Users[spec.Username].Id); err != nil {
			return fmt.Errorf("adding %s to the triage channel: %w", spec.Username, err)
		}
	}
	return nil
}

// findPluginSetup waits, at most a minute, for the bot and the triage channel the
// plugin ensures on activation.
func (s *Stack) findPluginSetup(ctx context.Context) error {
	name := s.ChannelName()
	err := Eventually(ctx, time.Minute, 300*time.Millisecond, fmt.Sprintf("bot @%s and channel ~%s in team %s", BotUsername, name, s.Team.Name), func(ctx context.Context) (bool, error) {
		bot, _, err := s.Admin.Client.GetUserByUsername(ctx, BotUsername, "")
		if err != nil {
			return false, fmt.Errorf("bot: %w", err)
		}
		ch, _, err := s.Admin.Client.GetChannelByName(ctx, name, s.Team.Id, "")
		if err != nil {
			return false, fmt.Errorf("channel: %w", err)
		}
		s.Bot, s.TriageChannel = bot, ch
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("the plugin is running but did not set itself up: %w; server log: %s", err, s.MM.LogPath)
	}
	return nil
}

// User returns a user set up by the harness; it panics on a name not in Options.Users.
func (s *Stack) User(username string) *User {
	u, ok := s.Users[username]
	if !ok {
		panic(fmt.Sprintf("harness: no user %q (set up: %v)", username, s.usernames()))
	}
	return u
}

// userList returns the admin (once known) and the users.
func (s *Stack) userList() []*User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*User
	if s.Admin != nil {
		list = append(list, s.Admin)
	}
	for _, u := range s.Users {
		list = append(list, u)
	}
	return list
}

func (s *Stack) usernames() []string {
	var names []string
	for n := range s.Users {
		names = append(names, n)
	}
	return names
}

// BotDM returns the posts of a user's direct-message channel with the plugin's bot.
func (s *Stack) BotDM(ctx context.Context, u *User, limit int) ([]*model.Post, error) {
	if s.Bot == nil {
		return nil, errors.New("the plugin's bot is not known: the plugin is not set up")
	}
	return u.DirectPosts(ctx, s.Bot.Id, limit)
}

const (
	tempPrefix = "rd-e2e-"
	ownerFile  = "owner.pid"
)

// removeStaleTempDirs deletes temporary stacks whose owning process is gone: a
// harness killed outright (SIGKILL, a test binary past its -timeout) cannot
// clean up, though its servers stop with it.
func removeStaleTempDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			_ = os.RemoveAll(dir)
		}
	}
}

// Close stops Mattermost and PostgreSQL and removes a temporary data folder.
// Logs stay in LogDir. Safe to call more than once and after a failed Start.
func (s *Stack) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		for _, u := range s.userList() {
			u.Close()
		}
		if err := s.MM.Stop(); err != nil {
			errs = append(errs, err)
		}
		if err := s.PG.Stop(); err != nil {
			errs = append(errs, err)
		}
		if s.tempDir != "" {
			if err := os.RemoveAll(s.tempDir); err != nil {
				errs = append(errs, err)
			}
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}
