package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Events is one user's websocket connection; it records every event the server
// pushes so a test can wait for the one it expects. Positions (see Mark) let a test
// ignore what happened before the action it is checking.
type Events struct {
	user    string
	ws      *model.WebSocketClient
	mu      sync.Mutex
	events  []*model.WebSocketEvent
	changed chan struct{} // closed and replaced whenever events or closed change
	closed  bool
}

// ConnectEvents opens a websocket as the holder of token and returns once the
// server has said hello, so no later event can be missed.
func ConnectEvents(ctx context.Context, serverURL, username, token string) (*Events, error) {
	wsURL := "ws" + strings.TrimPrefix(serverURL, "http")
	ws, appErr := model.NewWebSocketClient4(wsURL, token)
	if appErr != nil {
		return nil, fmt.Errorf("websocket for %s: %w", username, appErr)
	}
	e := &Events{user: username, ws: ws, changed: make(chan struct{})}
	ws.Listen()
	go e.read()
	if _, err := e.WaitFor(ctx, 0, 15*time.Second, "hello", func(ev *model.WebSocketEvent) bool {
		return ev.EventType() == model.WebsocketEventHello
	}); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// read drains every channel of the websocket client (it deadlocks otherwise).
func (e *Events) read() {
	go func() {
		for range e.ws.ResponseChannel {
		}
	}()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-e.ws.PingTimeoutChannel:
			case <-done:
				return
			}
		}
	}()
	for ev := range e.ws.EventChannel {
		e.mu.Lock()
		e.events = append(e.events, ev)
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
	}
	e.mu.Lock()
	e.closed = true
	close(e.changed)
	e.changed = make(chan struct{})
	e.mu.Unlock()
}

// Mark is the position after the last event received so far.
func (e *Events) Mark() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.events)
}

// Since returns the events received at or after position from.
func (e *Events) Since(from int) []*model.WebSocketEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	if from > len(e.events) {
		return nil
	}
	return append([]*model.WebSocketEvent(nil), e.events[from:]...)
}

// WaitFor returns the first event at or after position from that matches, waiting
// at most timeout. The error lists which event types did arrive.
func (e *Events) WaitFor(ctx context.Context, from int, timeout time.Duration, what string, match func(*model.WebSocketEvent) bool) (*model.WebSocketEvent, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	next := from
	for {
		e.mu.Lock()
		for ; next < len(e.events); next++ {
			if match(e.events[next]) {
				ev := e.events[next]
				e.mu.Unlock()
				return ev, nil
			}
		}
		closed, changed := e.closed, e.changed
		e.mu.Unlock()
		if closed {
			return nil, fmt.Errorf("websocket of %s closed while waiting for %s (%v); saw: %s", e.user, what, e.ws.ListenError, e.summary(from))
		}
		select {
		case <-changed:
		case <-timer.C:
			return nil, fmt.Errorf("no websocket event %q for %s within %s; saw: %s", what, e.user, timeout, e.summary(from))
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// WaitEphemeral waits for an ephemeral post (only this user sees it) in channelID.
func (e *Events) WaitEphemeral(ctx context.Context, from int, timeout time.Duration, channelID string) (*model.Post, error) {
	ev, err := e.WaitFor(ctx, from, timeout, "ephemeral_message in "+channelID, func(ev *model.WebSocketEvent) bool {
		p, err := EventPost(ev)
		return ev.EventType() == model.WebsocketEventEphemeralMessage && err == nil && p.ChannelId == channelID
	})
	if err != nil {
		return nil, err
	}
	return EventPost(ev)
}

// WaitPosted waits for a new post in channelID that matches.
func (e *Events) WaitPosted(ctx context.Context, from int, timeout time.Duration, channelID string, match func(*model.Post) bool) (*model.Post, error) {
	ev, err := e.WaitFor(ctx, from, timeout, "posted in "+channelID, func(ev *model.WebSocketEvent) bool {
		if ev.EventType() != model.WebsocketEventPosted {
			return false
		}
		p, err := EventPost(ev)
		return err == nil && p.ChannelId == channelID && (match == nil || match(p))
	})
	if err != nil {
		return nil, err
	}
	return EventPost(ev)
}

// EventPost decodes the post carried by posted, post_edited and ephemeral_message events.
func EventPost(ev *model.WebSocketEvent) (*model.Post, error) {
	raw, ok := ev.GetData()["post"].(string)
	if !ok {
		return nil, fmt.Errorf("event %s carries no post", ev.EventType())
	}
	var p model.Post
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// summary counts event types from a position on, for timeout messages.
func (e *Events) summary(from int) string {
	counts := map[string]int{}
	for _, ev := range e.Since(from) {
		counts[string(ev.EventType())]++
	}
	if len(counts) == 0 {
		return "nothing"
	}
	var parts []string
	for t, n := range counts {
		parts = append(parts, fmt.Sprintf("%s×%d", t, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// Close closes the websocket.
func (e *Events) Close() {
	if e != nil && e.ws != nil {
		e.ws.Close()
	}
}
