package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// What the web client does with interactive dialogs and message buttons, done
// through the same REST endpoints.

// CommandDialog runs a slash command that answers by opening an interactive
// dialog, and returns the dialog the server pushed to the user's websocket. An
// ephemeral reply instead of a dialog is returned as the error.
func (u *User) CommandDialog(ctx context.Context, teamID, channelID, command string, timeout time.Duration) (*model.OpenDialogRequest, error) {
	if u.Events == nil {
		return nil, fmt.Errorf("%s has no websocket to receive the dialog of %q", u.Username, command)
	}
	mark, sent := u.Events.Mark(), model.GetMillis()
	resp, err := u.Command(ctx, teamID, channelID, command)
	if err != nil {
		return nil, err
	}
	if resp.Text != "" {
		return nil, fmt.Errorf("%q answered instead of opening a dialog: %s", command, resp.Text)
	}
	return u.waitDialog(ctx, mark, sent, timeout, channelID, command)
}

// waitDialog waits for an open_dialog event, or an ephemeral message in
// channelID created at or after sent (ms), which it returns as an error. An
// ephemeral answer to an earlier command can arrive after the mark; its
// creation time tells it apart.
func (u *User) waitDialog(ctx context.Context, mark int, sent int64, timeout time.Duration, channelID, what string) (*model.OpenDialogRequest, error) {
	ev, err := u.Events.WaitFor(ctx, mark, timeout, "open_dialog (or an ephemeral answer) after "+what, func(ev *model.WebSocketEvent) bool {
		if ev.EventType() == model.WebsocketEventOpenDialog {
			return true
		}
		p, err := EventPost(ev)
		return ev.EventType() == model.WebsocketEventEphemeralMessage && err == nil && p.ChannelId == channelID && p.CreateAt >= sent
	})
	if err != nil {
		return nil, err
	}
	if ev.EventType() == model.WebsocketEventEphemeralMessage {
		p, _ := EventPost(ev)
		return nil, fmt.Errorf("%s got an answer instead of a dialog after %s: %s", u.Username, what, p.Message)
	}
	raw, _ := ev.GetData()["dialog"].(string)
	var req model.OpenDialogRequest
	if err := json.Unmarshal([]byte(raw), &req); err != nil {
		return nil, fmt.Errorf("decoding open_dialog for %s: %w", u.Username, err)
	}
	return &req, nil
}

// SubmitDialog submits a dialog the server opened for the user, the way the web
// client does (POST /api/v4/actions/dialogs/submit), with the channel and team
// the dialog was opened in. The plugin's field errors are in Errors, a general
// one in Error.
func (u *User) SubmitDialog(ctx context.Context, d *model.OpenDialogRequest, teamID, channelID string, submission map[string]any) (*model.SubmitDialogResponse, error) {
	return u.SubmitDialogRaw(ctx, model.SubmitDialogRequest{
		URL:        d.URL,
		CallbackId: d.Dialog.CallbackId,
		State:      d.Dialog.State,
		ChannelId:  channelID,
		TeamId:     teamID,
		Submission: submission,
	})
}

// SubmitDialogRaw submits any dialog request, for tests that forge one.
func (u *User) SubmitDialogRaw(ctx context.Context, req model.SubmitDialogRequest) (*model.SubmitDialogResponse, error) {
	resp, _, err := u.Client.SubmitInteractiveDialog(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%s submitting dialog %q to %s: %w", u.Username, req.CallbackId, req.URL, err)
	}
	return resp, nil
}

// PressButton presses a message attachment button as the web client does
// (POST /api/v4/posts/<id>/actions/<action>). The server checks that the user
// can read the post and calls the integration with the button's stored context.
func (u *User) PressButton(ctx context.Context, postID, actionID string) (*model.Response, error) {
	resp, err := u.Client.DoPostActionWithCookie(ctx, postID, actionID, "", "")
	if err != nil {
		return resp, fmt.Errorf("%s pressing %q on post %s: %w", u.Username, actionID, postID, err)
	}
	return resp, nil
}

// PressButtonForDialog presses a button whose integration answers by opening a
// dialog, and returns that dialog. An ephemeral answer in the post's channel
// (a refusal) is returned as the error.
func (u *User) PressButtonForDialog(ctx context.Context, post *model.Post, actionID string, timeout time.Duration) (*model.OpenDialogRequest, error) {
	if u.Events == nil {
		return nil, fmt.Errorf("%s has no websocket to receive a dialog", u.Username)
	}
	mark, sent := u.Events.Mark(), model.GetMillis()
	if _, err := u.PressButton(ctx, post.Id, actionID); err != nil {
		return nil, err
	}
	return u.waitDialog(ctx, mark, sent, timeout, post.ChannelId, "pressing "+actionID)
}

// PluginRequest sends a request straight to a plugin's route, as any client
// holding the user's token can: no web client, no button, no dialog in between.
// The server authenticates the token and tells the plugin who asks. body is sent
// as JSON unless it is nil.
func (u *User) PluginRequest(ctx context.Context, method, pluginID, path string, body any) (int, []byte, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		reader = bytes.NewReader(data)
	}
	url := strings.TrimRight(u.Client.URL, "/") + "/plugins/" + pluginID + path
	req, err := http.NewRequestWithContext(ctx, method, url, reader)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+u.Client.AuthToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s %s: %w", u.Username, method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, data, err
}

// MentionCount sums the user's mention counts over every channel of the team
// they belong to and their direct and group messages (thread replies included).
func (u *User) MentionCount(ctx context.Context, teamID string) (int64, error) {
	members, _, err := u.Client.GetChannelMembersForUser(ctx, u.Id, teamID, "")
	if err != nil {
		return 0, fmt.Errorf("%s reading their channel memberships: %w", u.Username, err)
	}
	var total int64
	for _, m := range members {
		total += m.MentionCount
	}
	return total, nil
}

// SetStatus sets the user's status by hand (online, away, dnd, offline); a
// status set by hand is not overridden by activity.
func (u *User) SetStatus(ctx context.Context, status string) error {
	if _, _, err := u.Client.UpdateUserStatus(ctx, u.Id, &model.Status{UserId: u.Id, Status: status}); err != nil {
		return fmt.Errorf("setting %s's status to %s: %w", u.Username, status, err)
	}
	return nil
}
