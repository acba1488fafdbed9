package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
)

func tarGz(t *testing.T, files map[string]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	return &buf
}

func TestRequiredPathsCoverTheLayout(t *testing.T) {
	id := "com.mattermost.responsible-disclosure"
	assert.Equal(t, []string{
		id + "/assets/bot.png",
		id + "/assets/icon.svg",
		id + "/plugin.json",
		id + "/server/dist/plugin-darwin-amd64",
		id + "/server/dist/plugin-darwin-arm64",
		id + "/server/dist/plugin-linux-amd64",
		id + "/server/dist/plugin-linux-arm64",
		id + "/server/dist/plugin-windows-amd64.exe",
		id + "/webapp/dist/main.js",
	}, requiredPaths(&root.Manifest))
}

func TestMissingFromBundle(t *testing.T) {
	required := requiredPaths(&root.Manifest)
	complete := map[string]string{}
	for _, p := range required {
		complete[p] = "x"
	}

	tests := []struct {
		name    string
		mutate  func(map[string]string)
		missing []string
	}{
		{"complete", func(map[string]string) {}, nil},
		{"no webapp", func(f map[string]string) { delete(f, required[len(required)-1]) }, []string{required[len(required)-1]}},
		{"empty binary", func(f map[string]string) { f[required[3]] = "" }, []string{required[3]}},
		{"wrong top folder", func(f map[string]string) {
			for k := range f {
				delete(f, k)
			}
			f["plugin/plugin.json"] = "x"
		}, required},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range complete {
				files[k] = v
			}
			tt.mutate(files)
			missing, err := missingFromBundle(tarGz(t, files), required)
			require.NoError(t, err)
			assert.Equal(t, tt.missing, missing)
		})
	}
}
