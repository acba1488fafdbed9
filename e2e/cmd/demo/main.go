// Command demo acts through the REST API as the users of a running `make run`
// server and prints what each of them sees, for a newcomer without the Mattermost
// web client. The steps it plays are in steps.go.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

func main() {
	dir := flag.String("dir", "", "data folder of `make run` (holds run.json)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := run(ctx, *dir, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "\nmake demo:", err)
		os.Exit(1)
	}
}

// demo is the state the steps share.
type demo struct {
	info  harness.RunInfo
	users map[string]*harness.User
	bot   *model.User
	out   io.Writer
	names map[string]string // user id -> username, for printing posts
	// report is the one the steps file and work on.
	report struct {
		key  string
		card *model.Post
	}
	// shown holds the ids of thread replies already printed, so a thread printed
	// again shows only what is new.
	shown map[string]bool
}

func run(ctx context.Context, dir string, out io.Writer) error {
	if dir == "" {
		repo, err := harness.RepoRoot()
		if err != nil {
			return err
		}
		dir = filepath.Join(repo, ".run")
	}
	info, err := harness.ReadRunInfo(dir)
	if err != nil {
		return err
	}
	if err := ping(ctx, info.URL); err != nil {
		return fmt.Errorf("no server answers at %s (%v): start it with `make run` in another terminal", info.URL, err)
	}
	d := &demo{info: info, users: map[string]*harness.User{}, out: out, names: map[string]string{}, shown: map[string]bool{}}
	for _, u := range info.Users {
		user, err := harness.LoginUser(ctx, info.URL, u.Username, u.Password)
		if err != nil {
			return err
		}
		if err := user.ConnectEvents(ctx); err != nil {
			return err
		}
		defer user.Close()
		d.users[u.Username] = user
		d.names[user.Id] = user.Username
	}
	if d.bot, _, err = d.user("admin").Client.GetUserByUsername(ctx, harness.BotUsername, ""); err != nil {
		return fmt.Errorf("the plugin's bot @%s: %w (server log: %s)", harness.BotUsername, err, info.ServerLog)
	}
	d.names[d.bot.Id] = d.bot.Username

	fmt.Fprintf(out, "Demo against %s (team %s). Each step acts through the REST API as one user.\n", info.URL, info.Team)
	for i, s := range steps {
		fmt.Fprintf(out, "\n== %d. %s ==\n", i+1, s.title)
		if err := s.run(ctx, d); err != nil {
			return fmt.Errorf("step %d (%s): %w; server log: %s", i+1, s.title, err, info.ServerLog)
		}
	}
	fmt.Fprintf(out, "\n== What each user sees now ==\n")
	for _, v := range views {
		fmt.Fprintf(out, "\n-- %s --\n", v.title)
		if err := v.show(ctx, d); err != nil {
			return fmt.Errorf("showing %s: %w; server log: %s", v.title, err, info.ServerLog)
		}
	}
	return nil
}

func ping(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/api/v4/system/ping", nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping answered %s", resp.Status)
	}
	return nil
}

func (d *demo) user(name string) *harness.User {
	u, ok := d.users[name]
	if !ok {
		panic("demo: no user " + name + " in run.json")
	}
	return u
}

// command runs a slash command as a user in town-square and prints the reply only
// that user sees.
func (d *demo) command(ctx context.Context, username, command string) (string, error) {
	fmt.Fprintf(d.out, "%s types in ~town-square: %s\n", username, command)
	reply, err := d.user(username).CommandReply(ctx, d.info.TeamID, d.info.TownSquareID, command, 15*time.Second)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(d.out, "%s sees (only they do):\n%s", username, indent(reply))
	return reply, nil
}

// showPosts prints the newest posts of a channel as username sees them.
func (d *demo) showPosts(ctx context.Context, username, channelID, title string, limit int) error {
	posts, err := d.user(username).ChannelPosts(ctx, channelID, limit)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "%s:\n", title)
	if len(posts) == 0 {
		fmt.Fprintf(d.out, "  (no messages)\n")
	}
	for _, p := range posts {
		d.printPost(ctx, p)
	}
	return nil
}

func (d *demo) printPost(ctx context.Context, p *model.Post) {
	when := time.UnixMilli(p.CreateAt).Format("15:04:05")
	if p.IsSystemMessage() {
		fmt.Fprintf(d.out, "  [%s] (system) %s\n", when, p.Message)
		return
	}
	fmt.Fprintf(d.out, "  [%s] @%s:\n", when, d.username(ctx, p.UserId))
	if p.Message != "" {
		fmt.Fprint(d.out, indent(p.Message))
	}
	for _, a := range p.Attachments() {
		var b strings.Builder
		for _, s := range []string{a.Pretext, a.Title, a.Text} {
			if s != "" {
				b.WriteString(s + "\n")
			}
		}
		for _, f := range a.Fields {
			fmt.Fprintf(&b, "%s: %v\n", f.Title, f.Value)
		}
		for _, action := range a.Actions {
			fmt.Fprintf(&b, "[%s]\n", action.Name)
		}
		fmt.Fprint(d.out, indent(b.String()))
	}
}

func (d *demo) username(ctx context.Context, id string) string {
	if name, ok := d.names[id]; ok {
		return name
	}
	u, _, err := d.user("admin").Client.GetUser(ctx, id, "")
	if err != nil {
		return id
	}
	d.names[id] = u.Username
	return u.Username
}

func indent(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("    | " + line + "\n")
	}
	return b.String()
}
