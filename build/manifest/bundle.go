package main

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// requiredPaths lists what the server reads from a bundle: the manifest, every
// executable it names, the webapp bundle, the icon and the bot avatar.
func requiredPaths(m *model.Manifest) []string {
	paths := []string{"plugin.json", "assets/bot.png"}
	if m.IconPath != "" {
		paths = append(paths, m.IconPath)
	}
	if m.Server != nil {
		for _, exe := range m.Server.Executables {
			paths = append(paths, exe)
		}
	}
	if m.Webapp != nil && m.Webapp.BundlePath != "" {
		paths = append(paths, m.Webapp.BundlePath)
	}
	for i, p := range paths {
		paths[i] = path.Join(m.Id, p)
	}
	sort.Strings(paths)
	return paths
}

// missingFromBundle reads a .tar.gz and returns the required paths it lacks. Empty
// files count as missing: a zero-byte binary is a broken build.
func missingFromBundle(r io.Reader, required []string) ([]string, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer func() { _ = gz.Close() }()

	present := map[string]bool{}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag == tar.TypeReg && hdr.Size > 0 {
			present[strings.TrimPrefix(path.Clean(hdr.Name), "./")] = true
		}
	}

	var missing []string
	for _, p := range required {
		if !present[p] {
			missing = append(missing, p)
		}
	}
	return missing, nil
}
