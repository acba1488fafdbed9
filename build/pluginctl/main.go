// Command pluginctl installs and enables a plugin bundle on a Mattermost server,
// the way an admin would.
//
//	pluginctl deploy PLUGIN_ID BUNDLE
//
// It talks to the server named by MM_SERVICESETTINGS_SITEURL with the personal
// access token MM_ADMIN_TOKEN, or, when those are not set, over the local-mode
// socket MM_LOCALSOCKETPATH (the server must run with local mode enabled).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pluginctl:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 || args[0] != "deploy" {
		return errors.New("usage: pluginctl deploy PLUGIN_ID BUNDLE")
	}
	client, where, err := newClient(os.Getenv)
	if err != nil {
		return err
	}
	return deploy(client, where, args[1], args[2])
}

// newClient picks the connection from the environment.
func newClient(getenv func(string) string) (*model.Client4, string, error) {
	siteURL, token := getenv("MM_SERVICESETTINGS_SITEURL"), getenv("MM_ADMIN_TOKEN")
	socket := getenv("MM_LOCALSOCKETPATH")
	switch {
	case siteURL != "" && token != "":
		client := model.NewAPIv4Client(siteURL)
		client.SetToken(token)
		return client, siteURL, nil
	case siteURL != "" && token == "" && socket == "":
		return nil, "", errors.New("MM_SERVICESETTINGS_SITEURL is set but MM_ADMIN_TOKEN is not: create a personal access token for a system admin and export MM_ADMIN_TOKEN")
	case socket != "":
		if _, err := os.Stat(socket); err != nil {
			return nil, "", fmt.Errorf("local-mode socket %s not found: is the server running with ServiceSettings.EnableLocalMode=true?", socket)
		}
		return model.NewAPIv4SocketClient(socket), "local socket " + socket, nil
	default:
		return nil, "", errors.New("no server to deploy to: export MM_SERVICESETTINGS_SITEURL and MM_ADMIN_TOKEN (a system admin's personal access token), or MM_LOCALSOCKETPATH for a server in local mode")
	}
}

func deploy(client *model.Client4, where, pluginID, bundle string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	f, err := os.Open(bundle) //nolint:gosec // the path is the operator's own argument
	if err != nil {
		return fmt.Errorf("cannot open the bundle (run make dist first): %w", err)
	}
	defer func() { _ = f.Close() }()

	if _, _, err := client.UploadPluginForced(ctx, f); err != nil {
		return fmt.Errorf("uploading %s to %s failed (plugin uploads must be enabled: PluginSettings.EnableUploads): %w", bundle, where, err)
	}
	if _, err := client.EnablePlugin(ctx, pluginID); err != nil {
		return fmt.Errorf("enabling %s on %s failed (see the server log for the activation error): %w", pluginID, where, err)
	}
	fmt.Printf("deployed %s to %s and enabled it\n", bundle, where)
	return nil
}
