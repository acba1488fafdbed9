package setup

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/pluginapi"
	"github.com/pkg/errors"
)

// TriageChannel is where report cards go. The record is stored in KV and is
// authoritative: a channel renamed in Mattermost keeps receiving cards, because
// the plugin follows the stored id, not the name. Only a change of the team or
// channel *setting* re-points it.
type TriageChannel struct {
	TeamSetting    string `json:"team_setting"`
	ChannelSetting string `json:"channel_setting"`
	TeamID         string `json:"team_id"`
	ChannelID      string `json:"channel_id"`
}

// EnsureTriageChannel returns the channel cards go to for the given settings,
// creating it (private) when missing. It stores the result under key.
func EnsureTriageChannel(client *pluginapi.Client, key, botID, teamName, channelName string) (*TriageChannel, error) {
	var stored TriageChannel
	if err := client.KV.Get(key, &stored); err != nil {
		return nil, errors.Wrap(err, "could not read the stored triage channel")
	}
	if stored.ChannelID != "" && stored.TeamSetting == teamName && stored.ChannelSetting == channelName {
		channel, err := client.Channel.Get(stored.ChannelID)
		if err != nil {
			return nil, errors.Wrapf(err, "could not find the stored triage channel %s", stored.ChannelID)
		}
		if channel.DeleteAt != 0 {
			return nil, errors.Errorf("the triage channel %q is archived: unarchive it, or change the triage channel setting", channel.Name)
		}
		if err := joinTeamAndChannel(client, stored.TeamID, stored.ChannelID, botID); err != nil {
			return nil, err
		}
		return &stored, nil
	}

	team, err := client.Team.GetByName(teamName)
	if err != nil {
		return nil, errors.Wrapf(err, "could not find the triage team %q", teamName)
	}
	// The bot must be in the team before it can be in one of its channels.
	if _, err := client.Team.CreateMember(team.Id, botID); err != nil {
		return nil, errors.Wrapf(err, "could not add the bot to team %q", teamName)
	}
	channel, err := findOrCreatePrivateChannel(client, team.Id, channelName, botID)
	if err != nil {
		return nil, err
	}
	if _, err := client.Channel.AddMember(channel.Id, botID); err != nil {
		return nil, errors.Wrapf(err, "could not add the bot to channel %q", channelName)
	}

	next := &TriageChannel{TeamSetting: teamName, ChannelSetting: channelName, TeamID: team.Id, ChannelID: channel.Id}
	if _, err := client.KV.Set(key, next); err != nil {
		return nil, errors.Wrap(err, "could not store the triage channel")
	}
	if stored.ChannelID != "" && stored.ChannelID != next.ChannelID {
		announceMove(client, botID, &stored, next, channelName)
	}
	return next, nil
}

func joinTeamAndChannel(client *pluginapi.Client, teamID, channelID, botID string) error {
	if _, err := client.Team.CreateMember(teamID, botID); err != nil {
		return errors.Wrap(err, "could not add the bot to the triage team")
	}
	if _, err := client.Channel.AddMember(channelID, botID); err != nil {
		return errors.Wrap(err, "could not add the bot to the triage channel")
	}
	return nil
}

func findOrCreatePrivateChannel(client *pluginapi.Client, teamID, name, botID string) (*model.Channel, error) {
	channel, err := client.Channel.GetByName(teamID, name, false)
	switch {
	case err == nil:
		if channel.Type != model.ChannelTypePrivate {
			// Reports are undisclosed vulnerabilities: never post them where anyone can read.
			return nil, errors.Errorf("channel %q exists and is not private: make it private, or choose another triage channel name", name)
		}
		return channel, nil
	case errors.Is(err, pluginapi.ErrNotFound):
		channel = &model.Channel{
			TeamId:      teamID,
			Name:        name,
			DisplayName: "Security Reports",
			Purpose:     "Private triage of security vulnerability reports.",
			Type:        model.ChannelTypePrivate,
			CreatorId:   botID,
		}
		if err := client.Channel.Create(channel); err != nil {
			return nil, errors.Wrapf(err, "could not create the private triage channel %q", name)
		}
		return channel, nil
	default:
		return nil, errors.Wrapf(err, "could not look up channel %q", name)
	}
}

// announceMove tells both channels where cards go from now on. A failed notice is
// logged, not returned: the move itself has happened.
func announceMove(client *pluginapi.Client, botID string, from, to *TriageChannel, toName string) {
	notices := []*model.Post{{
		UserId:    botID,
		ChannelId: from.ChannelID,
		Message:   fmt.Sprintf("The triage channel setting changed: new security report cards now go to ~%s. Cards already here stay here.", toName),
	}, {
		UserId:    botID,
		ChannelId: to.ChannelID,
		Message:   "This channel now receives new security report cards (the triage channel setting changed). Earlier cards stay in the previous channel.",
	}}
	for _, notice := range notices {
		if err := client.Post.CreatePost(notice); err != nil {
			client.Log.Warn("Could not announce the triage channel move", "channel_id", notice.ChannelId, "error", err.Error())
		}
	}
}
