package notify

import (
	"sync"
	"time"
)

// usernameTTL is how long a username shown on a card is remembered. A user
// renamed meanwhile shows under the old name on cards rendered within it;
// mentions never use it (mentionName asks every time, so a ping reaches the
// user by their current name).
const usernameTTL = 30 * time.Second

// usernames remembers the usernames cards show, for usernameTTL. The map is
// dropped whole at dmCacheLimit entries, which bounds its memory.
type usernames struct {
	mu    sync.Mutex
	known map[string]knownName
}

type knownName struct {
	name string
	at   time.Time
}

func (u *usernames) get(userID string, now time.Time) (string, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k, ok := u.known[userID]
	if !ok || now.Sub(k.at) >= usernameTTL || now.Before(k.at) {
		return "", false
	}
	return k.name, true
}

func (u *usernames) put(userID, name string, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.known == nil || len(u.known) >= dmCacheLimit {
		u.known = map[string]knownName{}
	}
	u.known[userID] = knownName{name: name, at: now}
}
