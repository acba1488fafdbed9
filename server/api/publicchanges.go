package api

import (
	"sync/atomic"

	"github.com/mattermost/mattermost/server/public/pluginapi"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/store"
)

// PublicChanges tells this server's public pages about changes made through
// this server, so they show at the next request instead of at the next
// revision check. It learns of them by watching the store's writes to the
// revision keys, which every change of the Hall of Fame and the Security
// Updates ends with, whichever use case made it (a disclosure, the job, a
// credit change, an import). Changes made on other servers are found by the
// revision check alone.
type PublicChanges struct {
	hall    atomic.Uint64
	updates atomic.Uint64
}

// WatchKV returns kv with every successful write to a revision key noted.
func (c *PublicChanges) WatchKV(kv store.KV) store.KV {
	hall, updates := store.RevisionKeys()
	return watchedKV{KV: kv, changes: c, hallKey: hall, updatesKey: updates}
}

// hallEpoch and updatesEpoch count the changes made through this server; a
// rendering checked under an older count is checked again before it is served.
func (c *PublicChanges) hallEpoch() uint64 {
	if c == nil {
		return 0
	}
	return c.hall.Load()
}

func (c *PublicChanges) updatesEpoch() uint64 {
	if c == nil {
		return 0
	}
	return c.updates.Load()
}

type watchedKV struct {
	store.KV
	changes             *PublicChanges
	hallKey, updatesKey string
}

// Set notes the change after the write: a request that then sees the new
// count reads a revision that includes it.
func (w watchedKV) Set(key string, value any, options ...pluginapi.KVSetOption) (bool, error) {
	wrote, err := w.KV.Set(key, value, options...)
	if err != nil || !wrote {
		return wrote, err
	}
	switch key {
	case w.hallKey:
		w.changes.hall.Add(1)
	case w.updatesKey:
		w.changes.updates.Add(1)
	}
	return wrote, nil
}
