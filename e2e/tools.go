//go:build tools

// This file records that the e2e module depends on the Mattermost server module
// for its commands (mattermost, mmctl), which the harness builds into a cache
// folder. It is never compiled.
package tools

import (
	_ "github.com/mattermost/mattermost/server/v8/cmd/mattermost"
	_ "github.com/mattermost/mattermost/server/v8/cmd/mmctl"
)
