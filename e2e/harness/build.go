package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
// asset folders, in a cache folder named by its Key, so that it is rebuilt
// when anything it is built from changes and only then.
type ServerBuild struct {
	Version string // pseudo-version of ServerModule
	// Key names what the build is made from: the server version, the Go
	// toolchain that compiles it and the e2e go.mod, whose requirements
	// (golang.org/x/net, grpc, ...) choose the versions of the server's
	// dependencies. A build made with another of these is another build: a
	// cache keyed by the server version alone would keep serving a server
	// compiled with an old Go or a dependency with a known fault.
	Key    string
	Dir    string // cache folder
	e2eDir string
}

// Mattermost is the server binary.
func (b ServerBuild) Mattermost() string { return filepath.Join(b.Dir, "bin", "mattermost") }

// Mmctl is the admin CLI binary.
func (b ServerBuild) Mmctl() string { return filepath.Join(b.Dir, "bin", "mmctl") }

// LocateServerBuild reads the pinned server version from e2e/go.mod, asks the
// go command which Go it builds with, and returns where that build lives:
// $E2E_SERVER_DIR, or <cache>/<key> with <cache> $E2E_CACHE_DIR or
// <user cache>/rd-e2e.
func LocateServerBuild() (ServerBuild, error) {
	e2eDir, err := E2EDir()
	if err != nil {
		return ServerBuild{}, err
	}
	goMod := filepath.Join(e2eDir, "go.mod")
	version, err := requiredVersion(goMod, ServerModule)
	if err != nil {
		return ServerBuild{}, err
	}
	goVersion, err := buildGoVersion(e2eDir)
	if err != nil {
		return ServerBuild{}, err
	}
	mod, err := os.ReadFile(goMod)
	if err != nil {
		return ServerBuild{}, err
	}
	key := buildKey(version, goVersion, mod)
	dir := os.Getenv("E2E_SERVER_DIR")
	if dir == "" {
		cache := os.Getenv("E2E_CACHE_DIR")
		if cache == "" {
			user, err := os.UserCacheDir()
			if err != nil {
				return ServerBuild{}, fmt.Errorf("no cache folder for the server build (set E2E_CACHE_DIR or E2E_SERVER_DIR): %w", err)
			}
			cache = filepath.Join(user, "rd-e2e")
		}
		dir = filepath.Join(cache, key)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return ServerBuild{}, err
	}
	return ServerBuild{Version: version, Key: key, Dir: dir, e2eDir: e2eDir}, nil
}

// buildKey is "<server version>-<go version>-<12 hex digits of go.mod's
// SHA-256>": readable in a folder listing, and different whenever one of them is.
func buildKey(serverVersion, goVersion string, goMod []byte) string {
	sum := sha256.Sum256(goMod)
	return serverVersion + "-" + goVersion + "-" + hex.EncodeToString(sum[:6])
}

// buildGoVersion is the Go version the go command builds the e2e module
// with, as `go env GOVERSION` says in that folder and environment: the
// toolchain line of go.mod when GOTOOLCHAIN lets it take effect, the local Go
// otherwise.
func buildGoVersion(e2eDir string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("the go command is not on PATH; it is needed to build the Mattermost server")
	}
	cmd := exec.Command(goBin, "env", "GOVERSION")
	cmd.Dir = e2eDir
	cmd.Env = goEnv()
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("asking the go command for its version: %w", err)
	}
	v := strings.TrimSpace(string(out))
	if !strings.HasPrefix(v, "go") || strings.ContainsAny(v, " /\\") {
		return "", fmt.Errorf("the go command names its version %q", v)
	}
	return v, nil
}

// Ready reports whether a complete build for this key is in Dir.
func (b ServerBuild) Ready() bool {
	stamp, err := os.ReadFile(filepath.Join(b.Dir, stampFile))
	if err != nil || strings.TrimSpace(string(stamp)) != b.Key {
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
	fmt.Fprintf(progress, "Mattermost server %s (build %s): building mattermost and mmctl into %s (about 5 minutes cold on 2 cores, downloads included; seconds with a warm Go build cache)\n", b.Version, b.Key, b.Dir)
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
	if err := os.WriteFile(filepath.Join(tmp, stampFile), []byte(b.Key+"\n"), 0o644); err != nil {
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
