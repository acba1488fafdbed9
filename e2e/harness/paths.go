package harness

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ModulePath is the module path of the e2e module. The harness finds its own
// directory (and through it the plugin repository) by looking for this go.mod.
const ModulePath = "github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e"

// E2EDir returns the directory of the e2e module: $E2E_DIR when set, otherwise the
// first directory, walking up from the working directory, that is the e2e module or
// contains it as e2e/.
func E2EDir() (string, error) {
	if dir := os.Getenv("E2E_DIR"); dir != "" {
		return filepath.Abs(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		for _, candidate := range []string{dir, filepath.Join(dir, "e2e")} {
			if modulePathOf(filepath.Join(candidate, "go.mod")) == ModulePath {
				return candidate, nil
			}
		}
		if dir == filepath.Dir(dir) {
			return "", fmt.Errorf("cannot find the e2e module (go.mod of %s) above %s; run from the repository or set E2E_DIR", ModulePath, wd)
		}
	}
}

// RepoRoot returns the plugin repository: the parent of the e2e module.
func RepoRoot() (string, error) {
	dir, err := E2EDir()
	if err != nil {
		return "", err
	}
	return filepath.Dir(dir), nil
}

func modulePathOf(goMod string) string {
	f, err := os.Open(goMod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// requiredVersion returns the version of module required in goMod, looking at
// both single-line and block require directives.
func requiredVersion(goMod, module string) (string, error) {
	data, err := os.ReadFile(goMod)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(strings.TrimSpace(line))
		if len(fields) > 0 && fields[0] == "require" {
			fields = fields[1:]
		}
		if len(fields) >= 2 && fields[0] == module {
			return fields[1], nil
		}
	}
	return "", fmt.Errorf("%s does not require %s", goMod, module)
}
