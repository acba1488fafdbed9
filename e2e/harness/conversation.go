package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The conversation between a reporter and the security team, as both sides see
// it: replies in the reporter's DM thread with the bot, what the plugin relays
// into the card's thread, the tagged follow-ups of the scheduled job, and the
// plugin's JSON views of a report and of the program metrics.

// RelayHeading is how the plugin's copy of a reporter's reply in the card
// thread of report key starts.
func RelayHeading(key string) string { return "**Reply from the reporter** on " + key }

// RelayEditHeading is how the plugin's copy of a reporter's edit starts.
func RelayEditHeading(key string) string { return "**The reporter edited a reply** on " + key }

// FollowupTagProp is the post prop carrying the key of a scheduled follow-up
// ("first_response:due_soon", "progress:<unix>", ...).
const FollowupTagProp = "rd_key"

// PostToBot posts message in the user's DM channel with the bot, as a reply to
// rootID ("" for a top-level message), with files uploaded beforehand.
func (u *User) PostToBot(ctx context.Context, botID, rootID, message string, fileIDs ...string) (*model.Post, error) {
	ch, err := u.DirectChannel(ctx, botID)
	if err != nil {
		return nil, err
	}
	p, _, err := u.Client.CreatePost(ctx, &model.Post{ChannelId: ch.Id, RootId: rootID, Message: message, FileIds: fileIDs})
	if err != nil {
		return nil, fmt.Errorf("%s posting to the bot (root %q): %w", u.Username, rootID, err)
	}
	return p, nil
}

// UploadToBotDM uploads a file into the user's DM channel with the bot, as the
// web client does before it posts a message with an attachment.
func (u *User) UploadToBotDM(ctx context.Context, botID, name string, data []byte) (*model.FileInfo, error) {
	ch, err := u.DirectChannel(ctx, botID)
	if err != nil {
		return nil, err
	}
	resp, _, err := u.Client.UploadFile(ctx, data, ch.Id, name)
	if err != nil {
		return nil, fmt.Errorf("%s uploading %s: %w", u.Username, name, err)
	}
	if len(resp.FileInfos) != 1 {
		return nil, fmt.Errorf("%s uploading %s: the server answered %d file infos", u.Username, name, len(resp.FileInfos))
	}
	return resp.FileInfos[0], nil
}

// EditPost changes the message of one of the user's posts.
func (u *User) EditPost(ctx context.Context, postID, message string) (*model.Post, error) {
	p, _, err := u.Client.PatchPost(ctx, postID, &model.PostPatch{Message: &message})
	if err != nil {
		return nil, fmt.Errorf("%s editing post %s: %w", u.Username, postID, err)
	}
	return p, nil
}

// FollowupTag returns the follow-up key a post carries, or "".
func FollowupTag(p *model.Post) string {
	tag, _ := p.GetProp(FollowupTagProp).(string)
	return tag
}

// CountTags counts the posts by authorID carrying each follow-up key.
func CountTags(posts []*model.Post, authorID string) map[string]int {
	counts := map[string]int{}
	for _, p := range posts {
		if tag := FollowupTag(p); tag != "" && p.UserId == authorID {
			counts[tag]++
		}
	}
	return counts
}

// WithPrefix returns the posts whose message starts with prefix.
func WithPrefix(posts []*model.Post, prefix string) []*model.Post {
	var out []*model.Post
	for _, p := range posts {
		if strings.HasPrefix(p.Message, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// WaitThread polls a thread until cond holds for its replies, and returns them.
func WaitThread(ctx context.Context, u *User, rootID string, timeout time.Duration, what string, cond func([]*model.Post) bool) ([]*model.Post, error) {
	var replies []*model.Post
	err := Eventually(ctx, timeout, 200*time.Millisecond, what, func(ctx context.Context) (bool, error) {
		var err error
		replies, err = Thread(ctx, u, rootID)
		return err == nil && cond(replies), err
	})
	return replies, err
}

// TimelineEvent is one line of a report's history in the plugin's JSON view.
type TimelineEvent struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Actor  string    `json:"actor_id"`
}

// ReportView is the part of the plugin's JSON view of a report the tests read
// (GET /plugins/<id>/api/v1/reports/<n>).
type ReportView struct {
	ID         int             `json:"id"`
	Key        string          `json:"key"`
	Status     string          `json:"status"`
	Rating     string          `json:"rating"`
	Created    time.Time       `json:"created"`
	ReporterID string          `json:"reporter_id"`
	Timeline   []TimelineEvent `json:"timeline"`
}

// GetReportView reads report n as u may see it; a refusal is an error with the
// HTTP status.
func GetReportView(ctx context.Context, u *User, pluginID string, n int) (*ReportView, error) {
	code, body, err := u.PluginRequest(ctx, http.MethodGet, pluginID, fmt.Sprintf("/api/v1/reports/%d", n), nil)
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("report %d for %s: HTTP %d: %s", n, u.Username, code, body)
	}
	var v ReportView
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("report %d: %w: %s", n, err, body)
	}
	return &v, nil
}

// Summary is one measured time of the program metrics.
type Summary struct {
	Count  int
	Median time.Duration
	P90    time.Duration
}

// Compliance counts reports whose first response and triage met their targets.
type Compliance struct {
	Met   int
	Total int
}

// Stats are the program metrics as GET /plugins/<id>/api/v1/stats answers them.
type Stats struct {
	From          time.Time  `json:"from"`
	To            time.Time  `json:"to"`
	Reports       int        `json:"reports"`
	FirstResponse Summary    `json:"first_response"`
	Triage        Summary    `json:"triage"`
	Fix           Summary    `json:"fix"`
	Compliance    Compliance `json:"sla_compliance"`
}

// GetStats asks the plugin's metrics route as u. It returns the HTTP status,
// and the metrics when the status is 200.
func GetStats(ctx context.Context, u *User, pluginID string) (int, *Stats, error) {
	code, body, err := u.PluginRequest(ctx, http.MethodGet, pluginID, "/api/v1/stats", nil)
	if err != nil || code != http.StatusOK {
		return code, nil, err
	}
	var st Stats
	if err := json.Unmarshal(body, &st); err != nil {
		return code, nil, fmt.Errorf("decoding the metrics: %w: %s", err, body)
	}
	return code, &st, nil
}
