package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ServerModule is the Mattermost server module; its version is pinned in the e2e
// module's go.mod and is the only source of truth for which server we run.
const ServerModule = "github.com/mattermost/mattermost/server/v8"

// serverAssets are the folders the server reads relative to its working directory.
var serverAssets = []string{"i18n", "templates", "fonts"}

const stampFile = ".complete"

// ServerBuild is a built Mattermost server: bin/mattermost, bin/mmctl and the
// asset folders, in a cache folder named after the pinned server version so that it
// is rebuilt only when the pin changes.
type ServerBuild struct {
	Version string // pseudo-version of ServerModule
	Dir     string // cache folder
	e2eDir  string
}

// Mattermost is the server binary.
func (b ServerBuild) Mattermost() string { return filepath.Join(b.Dir, "bin", "mattermost") }

// Mmctl is the admin CLI binary.
func (b ServerBuild) Mmctl() string { return filepath.Join(b.Dir, "bin", "mmctl") }

// LocateServerBuild reads the pinned server version from e2e/go.mod and returns
// where its build lives: $E2E_SERVER_DIR, or <user cache>/rd-e2e/<version>.
func LocateServerBuild() (ServerBuild, error) {
	e2eDir, err := E2EDir()
	if err != nil {
		return ServerBuild{}, err
	}
	version, err := requiredVersion(filepath.Join(e2eDir, "go.mod"), ServerModule)
	if err != nil {
		return ServerBuild{}, err
	}
	dir := os.Getenv("E2E_SERVER_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return ServerBuild{}, fmt.Errorf("no cache folder for the server build (set E2E_SERVER_DIR): %w", err)
		}
		dir = filepath.Join(cache, "rd-e2e", version)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return ServerBuild{}, err
	}
	return ServerBuild{Version: version, Dir: dir, e2eDir: e2eDir}, nil
}

// Ready reports whether a complete build of this version is in Dir.
func (b ServerBuild) Ready() bool {
	stamp, err := os.ReadFile(filepath.Join(b.Dir, stampFile))
	if err != nil || strings.TrimSpace(string(stamp)) != b.Version {
		return false
	}
	for _, p := range []string{b.Mattermost(), b.Mmctl()} {
		if info, err := os.Stat(p); err != nil || info.Mode()&0o111 == 0 {
			return false
		}
	}
	for _, a := range serverAssets {
		if info, err := os.Stat(filepath.Join(b.Dir, a)); err != nil || !info.IsDir() {
			return false
		}
	}
	return true
}

// Ensure builds the server and mmctl into Dir unless a complete build is there
// (then it does nothing). The build goes to a sibling folder first and is renamed
// into place, so an interrupted build never looks complete.
func (b ServerBuild) Ensure(ctx context.Context, progress io.Writer) error {
	if b.Ready() {
		return nil
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return errors.New("the go command is not on PATH; it is needed to build the Mattermost server")
	}
	if err := os.MkdirAll(filepath.Dir(b.Dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(b.Dir), filepath.Base(b.Dir)+".building-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}

	start := time.Now()
	fmt.Fprintf(progress, "Mattermost server %s: building mattermost and mmctl into %s (about 5 minutes cold on 2 cores, downloads included; seconds with a warm Go build cache)\n", b.Version, b.Dir)
	build := exec.CommandContext(ctx, goBin, "build", "-o", filepath.Join(tmp, "bin")+string(os.PathSeparator),
		ServerModule+"/cmd/mattermost", ServerModule+"/cmd/mmctl")
	build.Dir = b.e2eDir
	build.Env = goEnv()
	build.Stdout, build.Stderr = progress, progress
	// The bin folder must exist for `go build -o dir/` with several packages.
	if err := os.MkdirAll(filepath.Join(tmp, "bin"), 0o755); err != nil {
		return err
	}
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the Mattermost server %s failed (output above): %w", b.Version, err)
	}

	list := exec.CommandContext(ctx, goBin, "list", "-m", "-f", "{{.Dir}}", ServerModule)
	list.Dir = b.e2eDir
	list.Env = goEnv()
	out, err := list.Output()
	if err != nil {
		return fmt.Errorf("locating %s in the module cache: %w", ServerModule, err)
	}
	moduleDir := strings.TrimSpace(string(out))
	for _, a := range serverAssets {
		if err := copyTree(filepath.Join(moduleDir, a), filepath.Join(tmp, a)); err != nil {
			return fmt.Errorf("copying the server's %s folder: %w", a, err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, stampFile), []byte(b.Version+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(b.Dir); err != nil {
		return err
	}
	if err := os.Rename(tmp, b.Dir); err != nil {
		return err
	}
	fmt.Fprintf(progress, "Mattermost server %s: built in %s\n", b.Version, time.Since(start).Round(time.Second))
	return nil
}

// goEnv is the environment for go commands on the e2e module: the server module
// cannot be tidied (it sees enterprise-only imports), so builds use -mod=mod, and
// the checksum database does not know its pseudo-version.
func goEnv() []string {
	return append(os.Environ(),
		"GOFLAGS=-mod=mod -buildvcs=false",
		"GONOSUMDB=github.com/mattermost/mattermost",
		"GOWORK=off",
	)
}

// copyTree copies a folder; module cache files are read-only, the copies are not.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
