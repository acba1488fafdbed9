package harness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// User is one person acting on the server through the REST API and, when
// connected, a websocket.
type User struct {
	Username string
	Password string
	*model.User
	Client *model.Client4
	Events *Events // nil until ConnectEvents
}

// LoginUser logs in with a password and returns the user with a ready client.
func LoginUser(ctx context.Context, serverURL, username, password string) (*User, error) {
	client := model.NewAPIv4Client(serverURL)
	u, _, err := client.Login(ctx, username, password)
	if err != nil {
		return nil, fmt.Errorf("logging in as %s: %w", username, err)
	}
	return &User{Username: username, Password: password, User: u, Client: client}, nil
}

// ConnectEvents opens the user's websocket; events are collected from now on.
func (u *User) ConnectEvents(ctx context.Context) error {
	if u.Events != nil {
		return nil
	}
	ev, err := ConnectEvents(ctx, u.Client.URL, u.Username, u.Client.AuthToken)
	if err != nil {
		return err
	}
	u.Events = ev
	return nil
}

// Close closes the user's websocket.
func (u *User) Close() {
	if u.Events != nil {
		u.Events.Close()
	}
}

// Command runs a slash command as the user (POST /api/v4/commands/execute) in a
// channel of a team and returns the server's response.
func (u *User) Command(ctx context.Context, teamID, channelID, command string) (*model.CommandResponse, error) {
	resp, _, err := u.Client.ExecuteCommandWithTeam(ctx, channelID, teamID, command)
	if err != nil {
		return nil, fmt.Errorf("%s running %q: %w", u.Username, command, err)
	}
	return resp, nil
}

// CommandReply runs a slash command and returns the ephemeral reply the user sees:
// the response text when the command answered directly, otherwise the ephemeral
// post the server pushes over the websocket (needs ConnectEvents).
func (u *User) CommandReply(ctx context.Context, teamID, channelID, command string, timeout time.Duration) (string, error) {
	mark := 0
	if u.Events != nil {
		mark = u.Events.Mark()
	}
	resp, err := u.Command(ctx, teamID, channelID, command)
	if err != nil {
		return "", err
	}
	if resp.Text != "" {
		return resp.Text, nil
	}
	if u.Events == nil {
		return "", fmt.Errorf("%q answered no text and %s has no websocket to receive an ephemeral reply", command, u.Username)
	}
	post, err := u.Events.WaitEphemeral(ctx, mark, timeout, channelID)
	if err != nil {
		return "", err
	}
	return post.Message, nil
}

// ChannelPosts returns up to limit of the newest posts of a channel the user can
// read, oldest first.
func (u *User) ChannelPosts(ctx context.Context, channelID string, limit int) ([]*model.Post, error) {
	const perPage = 200
	var posts []*model.Post
	for page := 0; len(posts) < limit; page++ {
		list, _, err := u.Client.GetPostsForChannel(ctx, channelID, page, perPage, "", false, false)
		if err != nil {
			return nil, fmt.Errorf("%s reading posts of channel %s: %w", u.Username, channelID, err)
		}
		for _, id := range list.Order {
			posts = append(posts, list.Posts[id])
		}
		if len(list.Order) < perPage {
			break
		}
	}
	if len(posts) > limit {
		posts = posts[:limit]
	}
	sort.SliceStable(posts, func(i, j int) bool { return posts[i].CreateAt < posts[j].CreateAt })
	return posts, nil
}

// DirectChannel returns the user's direct-message channel with another user,
// creating it if needed (the server makes this idempotent).
func (u *User) DirectChannel(ctx context.Context, otherUserID string) (*model.Channel, error) {
	ch, _, err := u.Client.CreateDirectChannel(ctx, u.Id, otherUserID)
	if err != nil {
		return nil, fmt.Errorf("%s opening a DM with %s: %w", u.Username, otherUserID, err)
	}
	return ch, nil
}

// DirectPosts returns the posts of the user's DM channel with another user, oldest first.
func (u *User) DirectPosts(ctx context.Context, otherUserID string, limit int) ([]*model.Post, error) {
	ch, err := u.DirectChannel(ctx, otherUserID)
	if err != nil {
		return nil, err
	}
	return u.ChannelPosts(ctx, ch.Id, limit)
}

// StatusCode extracts the HTTP status of a failed Client4 call (0 when unknown).
func StatusCode(resp *model.Response, err error) int {
	var appErr *model.AppError
	if errors.As(err, &appErr) && appErr.StatusCode != 0 {
		return appErr.StatusCode
	}
	if resp != nil {
		return resp.StatusCode
	}
	return 0
}

// IsNotFound reports whether a Client4 call failed with 404.
func IsNotFound(resp *model.Response, err error) bool {
	return err != nil && StatusCode(resp, err) == http.StatusNotFound
}
