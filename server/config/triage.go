package config

import (
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/pkg/errors"
)

// parseTeam reads the triage team's URL name. Whether the team exists is judged
// when the setting is saved (see Validate), since only the server knows.
func parseTeam(text string) (string, error) {
	return strings.ToLower(strings.TrimSpace(text)), nil
}

// parseChannel reads the triage channel's URL name. Capitals are refused rather
// than lowered, so the admin sees the name the channel will really have.
func parseChannel(text string) (string, error) {
	name := strings.TrimSpace(text)
	if len(name) > model.ChannelNameMaxLength || !model.IsValidChannelIdentifier(name) || name != strings.ToLower(name) {
		return "", errors.Errorf("%q is not a valid channel name: use 1 to %d lowercase letters, digits, '-' or '_'", name, model.ChannelNameMaxLength)
	}
	return name, nil
}
