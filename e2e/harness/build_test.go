package harness

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The cache folder of a server build changes with each thing the build is
// made from, and only with those.
func TestBuildKeyNamesWhatTheBuildIsMadeFrom(t *testing.T) {
	const server = "v8.0.0-20260113162330-9e1d4c2072c0"
	mod := []byte("module x\n\ngo 1.26.8\n\ntoolchain go1.27.3\n\nrequire golang.org/x/net v0.60.0\n")
	base := buildKey(server, "go1.27.3", mod)
	if !regexp.MustCompile(`^v8\.0\.0-20260113162330-9e1d4c2072c0-go1\.27\.3-[0-9a-f]{12}$`).MatchString(base) {
		t.Fatalf("key %q: want <server>-<go>-<12 hex>", base)
	}
	tests := []struct {
		name          string
		server, goVer string
		mod           []byte
		same          bool
	}{
		{"the same inputs", server, "go1.27.3", mod, true},
		{"another Go", server, "go1.26.8", mod, false},
		{"another server", "v8.0.0-20260201000000-aaaaaaaaaaaa", "go1.27.3", mod, false},
		{"another dependency", server, "go1.27.3", []byte("module x\n\ngo 1.26.8\n\ntoolchain go1.27.3\n\nrequire golang.org/x/net v0.58.0\n"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildKey(tt.server, tt.goVer, tt.mod) == base; got != tt.same {
				t.Errorf("same key = %v, want %v", got, tt.same)
			}
		})
	}
}

// A build in the folder counts only if its stamp names this key: a folder
// left by a build with another Go (an E2E_SERVER_DIR reused, say) is rebuilt.
func TestReadyNeedsTheStampOfThisKey(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"bin/mattermost", "bin/mmctl"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte("#!/bin/true\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range serverAssets {
		if err := os.MkdirAll(filepath.Join(dir, a), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b := ServerBuild{Version: "v8", Key: "v8-go1.27.3-000000000000", Dir: dir}
	tests := []struct {
		stamp string
		ready bool
	}{
		{"", false},
		{"v8\n", false},
		{"v8-go1.26.8-000000000000\n", false},
		{"v8-go1.27.3-000000000000\n", true},
	}
	for _, tt := range tests {
		if tt.stamp != "" {
			if err := os.WriteFile(filepath.Join(dir, stampFile), []byte(tt.stamp), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := b.Ready(); got != tt.ready {
			t.Errorf("stamp %q: Ready = %v, want %v", tt.stamp, got, tt.ready)
		}
	}
}

// The Go version comes from the go command itself, in the e2e folder, so a
// toolchain line that GOTOOLCHAIN lets take effect is the one named.
func TestBuildGoVersionAsksTheGoCommand(t *testing.T) {
	dir, err := E2EDir()
	if err != nil {
		t.Fatal(err)
	}
	v, err := buildGoVersion(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^go1\.\d+(\.\d+)?`).MatchString(v) {
		t.Errorf("GOVERSION %q", v)
	}
}
