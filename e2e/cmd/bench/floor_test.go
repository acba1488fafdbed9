package main

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteBundleHasTheServersLayout(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "plugin-linux-amd64")
	require.NoError(t, os.WriteFile(bin, []byte("binary"), 0o755))
	path := filepath.Join(dir, "floor.tar.gz")
	require.NoError(t, writeBundle(path, "com.example.floor", []byte(`{"id":"com.example.floor"}`), bin, "server/dist/plugin-linux-amd64"))

	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	got := map[string]string{}
	modes := map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(tr)
		require.NoError(t, err)
		got[h.Name], modes[h.Name] = string(data), h.Mode
	}
	assert.Equal(t, map[string]string{
		"com.example.floor/plugin.json":                    `{"id":"com.example.floor"}`,
		"com.example.floor/server/dist/plugin-linux-amd64": "binary",
	}, got)
	assert.Equal(t, int64(0o755), modes["com.example.floor/server/dist/plugin-linux-amd64"], "the server runs the binary")
}
