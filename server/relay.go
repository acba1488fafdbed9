package main

import (
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/event"
	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/notify"
)

// relayQueueSize bounds the posts waiting for the relay. The hooks fire for every
// post on the server and must never block; a post dropped when the queue is full
// is found by the catch-up at the next activation if it was a report reply.
const relayQueueSize = 1024

// relayWorker hands posts to the service one at a time, in the order the hooks
// saw them, so replies reach the card thread in order.
type relayWorker struct {
	queue chan event.Post
	done  sync.WaitGroup
}

func (p *Plugin) startRelay() {
	w := &relayWorker{queue: make(chan event.Post, relayQueueSize)}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		for post := range w.queue {
			if err := p.service.Conversation.HandlePost(post); err != nil {
				p.client.Log.Warn("Could not handle a reply to the bot", "post_id", post.ID, "error", err.Error())
			}
		}
	}()
	p.relayLock.Lock()
	p.relay = w
	p.relayLock.Unlock()
}

func (p *Plugin) stopRelay() {
	p.relayLock.Lock()
	w := p.relay
	p.relay = nil
	p.relayLock.Unlock()
	if w != nil {
		close(w.queue)
		w.done.Wait()
	}
}

func (p *Plugin) enqueue(post *model.Post, edited bool) {
	// Cheap checks first: this runs for every post on the server.
	if post.Type != "" || post.IsRemote() {
		return
	}
	p.setupLock.Lock()
	botID := p.botID
	p.setupLock.Unlock()
	if post.UserId == botID {
		return
	}
	item := notify.FromModel(post)
	item.Edited = edited

	p.relayLock.Lock()
	defer p.relayLock.Unlock()
	if p.relay == nil {
		return
	}
	select {
	case p.relay.queue <- item:
	default:
		p.client.Log.Warn("The reply relay queue is full; the post is relayed at the next activation if it answers a report", "post_id", post.Id)
	}
}

// MessageHasBeenPosted relays reporters' replies to the team.
func (p *Plugin) MessageHasBeenPosted(_ *plugin.Context, post *model.Post) {
	p.enqueue(post, false)
}

// MessageHasBeenUpdated relays reporters' edits to the team.
func (p *Plugin) MessageHasBeenUpdated(_ *plugin.Context, newPost, _ *model.Post) {
	p.enqueue(newPost, true)
}

// OnDeactivate stops the job and the background work, and lets requests and
// the relay finish what they hold.
func (p *Plugin) OnDeactivate() error {
	p.stopJob()
	p.stopBackground()
	p.afterRequests.Wait()
	p.stopRelay()
	return nil
}
