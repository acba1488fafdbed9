package notify

import (
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
)

// dmCache remembers the bot's direct message channels: which channels are
// one (for the relay, which sees every post), and each user's (for the bot's
// DMs). Neither changes for a channel or a user once known. Each map is
// dropped whole when it reaches dmCacheLimit, which bounds the memory
// without bookkeeping; the next lookups fill it again.
type dmCache struct {
	mu     sync.Mutex
	known  map[string]bool   // channel id → a DM with the bot
	byUser map[string]string // user id → their DM channel with the bot
}

const dmCacheLimit = 10000

// IsBotDM says whether channelID is a direct message channel with the bot.
func (n *Notifier) IsBotDM(channelID string) bool {
	n.dms.mu.Lock()
	known, ok := n.dms.known[channelID]
	n.dms.mu.Unlock()
	if ok {
		return known
	}
	channel, err := n.client.Channel.Get(channelID)
	if err != nil {
		return false
	}
	isDM := channel.Type == model.ChannelTypeDirect && strings.Contains(channel.Name, n.botID)
	n.dms.mu.Lock()
	if n.dms.known == nil || len(n.dms.known) >= dmCacheLimit {
		n.dms.known = map[string]bool{}
	}
	n.dms.known[channelID] = isDM
	n.dms.mu.Unlock()
	return isDM
}

func (c *dmCache) channelOf(userID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.byUser[userID]
	return id, ok
}

func (c *dmCache) remember(userID, channelID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byUser == nil || len(c.byUser) >= dmCacheLimit {
		c.byUser = map[string]string{}
	}
	c.byUser[userID] = channelID
	if c.known == nil || len(c.known) >= dmCacheLimit {
		c.known = map[string]bool{}
	}
	c.known[channelID] = true
}

func (c *dmCache) forget(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byUser, userID)
}
