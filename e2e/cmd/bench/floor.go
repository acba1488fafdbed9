package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/e2e/harness"
)

// The floor plugin (e2e/floorplugin), built and bundled for this run only.
const (
	floorPluginID = "com.mattermost.rd-bench-floor"
	floorTrigger  = "floor" // floorplugin.Trigger
	floorAnswer   = "floor" // floorplugin.Answer
)

// buildFloorBundle compiles the floor plugin for this machine and packs it as
// a plugin bundle (plugin.json and the server binary) in dir.
func buildFloorBundle(ctx context.Context, e2eDir, dir string, progress io.Writer) (harness.Bundle, error) {
	platform := runtime.GOOS + "-" + runtime.GOARCH
	binName := "plugin-" + platform
	binPath := filepath.Join(dir, binName)
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", binPath, "./floorplugin")
	build.Dir = e2eDir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-mod=mod -buildvcs=false", "GONOSUMDB=github.com/mattermost/mattermost")
	build.Stdout, build.Stderr = progress, progress
	if err := build.Run(); err != nil {
		return harness.Bundle{}, fmt.Errorf("building the floor plugin (output above): %w", err)
	}
	manifest, err := json.MarshalIndent(map[string]any{
		"id":          floorPluginID,
		"name":        "Bench floor",
		"description": "The cheapest plugin route and command, for make bench. Never shipped.",
		"version":     "1.0.0",
		"server":      map[string]any{"executables": map[string]string{platform: "server/dist/" + binName}},
	}, "", "  ")
	if err != nil {
		return harness.Bundle{}, err
	}
	bundle := harness.Bundle{Path: filepath.Join(dir, floorPluginID+".tar.gz"), ID: floorPluginID, Version: "1.0.0"}
	return bundle, writeBundle(bundle.Path, floorPluginID, manifest, binPath, "server/dist/"+binName)
}

// writeBundle writes the tar.gz layout the server installs: <id>/plugin.json
// and <id>/<binary path>.
func writeBundle(path, id string, manifest []byte, binPath, binInBundle string) error {
	bin, err := os.ReadFile(binPath)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, e := range []struct {
		name string
		mode int64
		data []byte
	}{
		{id + "/plugin.json", 0o644, manifest},
		{id + "/" + binInBundle, 0o755, bin},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Mode: e.mode, Size: int64(len(e.data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := tw.Write(e.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}
