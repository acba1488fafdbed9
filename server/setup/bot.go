// Package setup prepares what the plugin needs on the server before it can take
// reports: the bot account and the private triage channel.
package setup

import (
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"
)

// BotUsername is the account that posts cards and writes to researchers.
const BotUsername = "securitybot"

// BotAvatarPath is relative to the plugin bundle.
const BotAvatarPath = "assets/bot.png"

// EnsureBot creates the bot on first activation and returns its user id.
func EnsureBot(client *pluginapi.Client) (string, error) {
	botID, err := client.Bot.EnsureBot(&model.Bot{
		Username:    BotUsername,
		DisplayName: "Security",
		Description: "Receives security vulnerability reports and keeps researchers informed.",
	}, pluginapi.ProfileImagePath(BotAvatarPath))
	if err != nil {
		return "", errors.Wrap(err, "could not ensure the security bot account")
	}
	return botID, nil
}
