package setup

import (
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Unsafe says why a channel can no longer be the triage channel, or "" when it
// can: its members are the security team and read every report, so it must
// stay private, unshared and open. A team admin can convert it to public or
// share it after it was created, and the server sends the plugin no hook for
// either, so the plugin checks the channel itself when it uses it.
func Unsafe(ch *model.Channel) string {
	switch {
	case ch == nil:
		return "the triage channel cannot be found"
	case ch.DeleteAt != 0:
		return "the triage channel is archived"
	case ch.Type != model.ChannelTypePrivate:
		return "the triage channel is no longer private"
	case ch.IsShared():
		return "the triage channel is shared with another server"
	}
	return ""
}

// SafetyTTL is how long a channel check is trusted: long enough that a burst
// of button presses costs one channel read, short enough that a channel made
// public stops the team's authority within seconds.
const SafetyTTL = 5 * time.Second

// SafetyCache remembers the last check of the triage channel for SafetyTTL.
type SafetyCache struct {
	Now   func() time.Time
	Check func(channelID string) (*model.Channel, error)
	// Changed, when set, hears the first verdict on a channel and then each
	// change of it ("": safe), once, so the log says when authority stopped and
	// resumed.
	Changed func(channelID, reason string)

	mu        sync.Mutex
	channelID string
	at        time.Time
	reason    string
}

// Reason says why channelID is unsafe as the triage channel, or "" when it is
// safe. A failed read counts as unsafe and is not remembered, so the next use
// reads again.
func (c *SafetyCache) Reason(channelID string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.Now()
	if c.channelID == channelID && now.Sub(c.at) < SafetyTTL {
		return c.reason
	}
	ch, err := c.Check(channelID)
	if err != nil {
		return "the triage channel could not be read"
	}
	reason := Unsafe(ch)
	if c.Changed != nil && (reason != c.reason || c.channelID != channelID) {
		c.Changed(channelID, reason)
	}
	c.channelID, c.at, c.reason = channelID, now, reason
	return reason
}

// Servers from 11.7 on ask plugins before a channel is archived or gets a
// member, and from 11.9 on before it is updated: for the triage channel the
// plugin then refuses what would make it unsafe, instead of finding out at the
// next use. Older servers do not ask, and the check at use (Unsafe) still
// holds there.

// RefuseUpdate says why updating the triage channel from old to updated is
// refused, or "" when it is not: made public, or shared.
func RefuseUpdate(old, updated *model.Channel) string {
	switch {
	case updated.Type != model.ChannelTypePrivate:
		return "This channel is the security team's triage channel and holds undisclosed vulnerabilities: it stays private. To use another channel, change the triage channel in the System Console first."
	case updated.IsShared() && !old.IsShared():
		return "This channel is the security team's triage channel and holds undisclosed vulnerabilities: it cannot be shared with another server."
	}
	return ""
}

// RefuseArchive is why archiving the triage channel is refused.
const RefuseArchive = "This channel is the security team's triage channel: archiving it would stop security reporting. Choose another triage channel in the System Console first."

// RefuseMember says why user may not join the triage channel, or "" when
// they may: guests never are on the security team.
func RefuseMember(user *model.User) string {
	if user.IsGuest() {
		return "Guests cannot join the security team's triage channel: it holds undisclosed vulnerabilities."
	}
	return ""
}
