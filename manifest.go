// Package root embeds plugin.json so that the server and the build tools read the
// manifest from the one file that ships in the bundle.
package root

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
)

//go:embed plugin.json
var manifestJSON []byte

// Manifest is the parsed plugin.json.
var Manifest model.Manifest

func init() {
	if err := json.Unmarshal(manifestJSON, &Manifest); err != nil {
		panic(fmt.Sprintf("plugin.json is not valid: %v", err))
	}
}
