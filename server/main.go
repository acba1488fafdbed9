// Command server is the plugin's server half: the Mattermost server starts it and
// talks to it over RPC.
package main

import "github.com/mattermost/mattermost/server/public/plugin"

func main() {
	plugin.ClientMain(&Plugin{})
}
