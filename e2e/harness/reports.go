package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// What the plugin shows, as its users see it: the report form, the triage card.
// These helpers know the plugin only through what it puts on the wire.

// ReportCommand opens the report form.
const ReportCommand = "/security report"

// ReportKeyPattern matches a report id such as SEC-12.
var ReportKeyPattern = regexp.MustCompile(`\bSEC-[1-9][0-9]*\b`)

// FileReport files a report as u the way a researcher does: `/security report` in
// channelID, the dialog from the websocket, submitted with the channel and team
// ids. It returns the report id from the plugin's confirmation, which only u
// sees. A refused submission is an error naming the plugin's field errors.
func FileReport(ctx context.Context, u *User, teamID, channelID string, submission map[string]any, timeout time.Duration) (string, error) {
	d, err := u.CommandDialog(ctx, teamID, channelID, ReportCommand, timeout)
	if err != nil {
		return "", err
	}
	mark := u.Events.Mark()
	resp, err := u.SubmitDialog(ctx, d, teamID, channelID, submission)
	if err != nil {
		return "", err
	}
	if resp.Error != "" || len(resp.Errors) > 0 {
		return "", fmt.Errorf("the report form was refused: error %q, field errors %v", resp.Error, resp.Errors)
	}
	ev, err := u.Events.WaitFor(ctx, mark, timeout, "the confirmation of a filed report", func(ev *model.WebSocketEvent) bool {
		p, err := EventPost(ev)
		return ev.EventType() == model.WebsocketEventEphemeralMessage && err == nil &&
			p.ChannelId == channelID && ReportKeyPattern.MatchString(p.Message)
	})
	if err != nil {
		return "", err
	}
	p, err := EventPost(ev)
	if err != nil {
		return "", err
	}
	return ReportKeyPattern.FindString(p.Message), nil
}

// CardMessage is the message line of a report's triage card.
func CardMessage(key string) string { return "#### Security report " + key }

// FindCard returns the triage card of report key as u sees it, waiting at most
// timeout for it to appear in channelID.
func FindCard(ctx context.Context, u *User, channelID, key string, timeout time.Duration) (*model.Post, error) {
	var card *model.Post
	err := Eventually(ctx, timeout, 200*time.Millisecond, "the card of "+key, func(ctx context.Context) (bool, error) {
		const perPage, maxPages = 200, 20
		for page := 0; page < maxPages; page++ {
			list, _, err := u.Client.GetPostsForChannel(ctx, channelID, page, perPage, "", false, false)
			if err != nil {
				return false, err
			}
			for _, id := range list.Order {
				if p := list.Posts[id]; p.RootId == "" && p.Message == CardMessage(key) {
					card = p
					return true, nil
				}
			}
			if len(list.Order) < perPage {
				break
			}
		}
		return false, nil
	})
	return card, err
}

// Card is a triage card as people read it.
type Card struct {
	Post *model.Post
	// Title is the attachment's title, "SEC-n · <status label>".
	Title string
	// Status is the status label of the title ("Needs information").
	Status string
	// Text is the attachment's text.
	Text string
	// Fields maps a field's title to its value.
	Fields map[string]string
	// Actions are the ids of the buttons, in order.
	Actions []string
}

// ParseCard reads a card post.
func ParseCard(p *model.Post) (*Card, error) {
	attachments := p.Attachments()
	if len(attachments) == 0 {
		return nil, fmt.Errorf("post %s (%q) has no attachment", p.Id, p.Message)
	}
	a := attachments[0]
	c := &Card{Post: p, Title: a.Title, Text: a.Text, Fields: map[string]string{}}
	if _, status, ok := strings.Cut(a.Title, " · "); ok {
		c.Status = status
	}
	for _, f := range a.Fields {
		c.Fields[f.Title] = fmt.Sprint(f.Value)
	}
	for _, action := range a.Actions {
		c.Actions = append(c.Actions, action.Id)
	}
	return c, nil
}

// GetCard reads a card's current version.
func GetCard(ctx context.Context, u *User, postID string) (*Card, error) {
	p, _, err := u.Client.GetPost(ctx, postID, "")
	if err != nil {
		return nil, fmt.Errorf("%s reading card %s: %w", u.Username, postID, err)
	}
	return ParseCard(p)
}

// WaitCardStatus waits until the card shows status (its label, e.g. "Triaging").
func WaitCardStatus(ctx context.Context, u *User, postID, status string, timeout time.Duration) (*Card, error) {
	var card *Card
	var last string
	err := Eventually(ctx, timeout, 100*time.Millisecond, fmt.Sprintf("card %s to show %q", postID, status), func(ctx context.Context) (bool, error) {
		c, err := GetCard(ctx, u, postID)
		if err != nil {
			return false, err
		}
		card, last = c, c.Title
		return c.Status == status, nil
	})
	if err != nil {
		return card, fmt.Errorf("%w (the card's title is %q)", err, last)
	}
	return card, nil
}

// Thread returns the replies to a post, oldest first, as u sees them.
func Thread(ctx context.Context, u *User, rootID string) ([]*model.Post, error) {
	list, _, err := u.Client.GetPostThread(ctx, rootID, "", false)
	if err != nil {
		return nil, fmt.Errorf("%s reading the thread of %s: %w", u.Username, rootID, err)
	}
	var replies []*model.Post
	for _, p := range list.Posts {
		if p.Id != rootID {
			replies = append(replies, p)
		}
	}
	sort.SliceStable(replies, func(i, j int) bool { return replies[i].CreateAt < replies[j].CreateAt })
	return replies, nil
}

// ErrNoReceipt is returned by FindReceipt when the bot sent no receipt.
var ErrNoReceipt = errors.New("no receipt")

// ReceiptMessage is how the receipt DM of report key starts.
func ReceiptMessage(key string) string { return "#### Thank you: we received your report " + key }

// FindReceipt returns the receipt DM the bot sent u for report key, waiting at
// most timeout.
func FindReceipt(ctx context.Context, u *User, botID, key string, timeout time.Duration) (*model.Post, error) {
	var receipt *model.Post
	err := Eventually(ctx, timeout, 200*time.Millisecond, "the receipt of "+key, func(ctx context.Context) (bool, error) {
		posts, err := u.DirectPosts(ctx, botID, 200)
		if err != nil {
			return false, err
		}
		for _, p := range posts {
			if p.RootId == "" && p.UserId == botID && strings.HasPrefix(p.Message, ReceiptMessage(key)) {
				receipt = p
				return true, nil
			}
		}
		return false, ErrNoReceipt
	})
	return receipt, err
}

// StoredButtonContext returns the context a card button sends to the plugin
// (report id, version, action), read from the post as the server stored it: the
// server strips button integrations from every post it serves to clients.
func StoredButtonContext(ctx context.Context, pg *Postgres, postID, action string) (map[string]any, error) {
	if !model.IsValidId(postID) {
		return nil, fmt.Errorf("%q is not a post id", postID)
	}
	out, err := pg.Query(ctx, "SELECT props FROM posts WHERE id = '"+postID+"'")
	if err != nil {
		return nil, err
	}
	if out == "" {
		return nil, fmt.Errorf("post %s is not in the database", postID)
	}
	post := &model.Post{}
	if err := json.Unmarshal([]byte(out), &post.Props); err != nil {
		return nil, fmt.Errorf("the props of post %s: %w", postID, err)
	}
	a := post.GetAction(action)
	if a == nil || a.Integration == nil {
		return nil, fmt.Errorf("post %s has no %q button with an integration", postID, action)
	}
	return a.Integration.Context, nil
}

// lastFullTextHeading matches the heading that ends a report's full text in
// its card thread: the impact, alone or as the last of its parts.
var lastFullTextHeading = regexp.MustCompile(`\*\*Impact\*\*(?: \(part (\d+) of (\d+)\))?\n`)

// WaitFullText waits until the card thread of cardID holds the whole full text
// of its report, which the plugin posts just after answering the filing, and
// returns the thread.
func WaitFullText(ctx context.Context, u *User, cardID string, timeout time.Duration) ([]*model.Post, error) {
	return WaitThread(ctx, u, cardID, timeout, "the full text in the card's thread", holdsFullText)
}

// holdsFullText reports whether a card thread holds the end of the full text.
func holdsFullText(ps []*model.Post) bool {
	return slices.ContainsFunc(ps, EndsFullText)
}

// EndsFullText reports whether p, in a card thread, ends the report's full text.
func EndsFullText(p *model.Post) bool {
	for _, m := range lastFullTextHeading.FindAllStringSubmatch(p.Message, -1) {
		if m[1] == m[2] {
			return true
		}
	}
	return false
}
