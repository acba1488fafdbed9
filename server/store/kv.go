// Package store keeps reports, their indexes and counters in the plugin's
// key-value store. It is written once over the small KV interface below, which
// both the server's KV service and pluginapi.MemoryStore satisfy, so tests run the
// same code, with the same compare-and-set semantics, that production runs.
//
// Every write that can race is a compare-and-set retried with jittered
// exponential backoff (retry.go). Writes that span several keys are ordered so a
// crash leaves at worst an index entry or summary lagging its record, and are
// covered by an intent record that Replay finishes (intent.go); nothing walks
// the reports at activation. Lists, queues and jobs read compact summaries
// kept in sharded records (keys.go, summaries.go), built from wave 1's layout
// by MigrateStep; CheckStep is the full consistency check, in resumable
// background steps.
package store

import "github.com/mattermost/mattermost/server/public/pluginapi"

// KV is the part of the plugin KV store this package uses.
//
// Set with pluginapi.SetAtomic(old) writes only if the stored bytes still equal
// old (nil old: only if the key is absent) and reports whether it wrote; a nil
// value deletes. Get leaves out untouched when the key is absent.
type KV interface {
	Set(key string, value any, options ...pluginapi.KVSetOption) (bool, error)
	Get(key string, out any) error
	Delete(key string) error
}

var (
	_ KV = (*pluginapi.KVService)(nil)
	_ KV = (*pluginapi.MemoryStore)(nil)
)

// Logger receives warnings about writes that succeeded but left an index to be
// repaired later. pluginapi's LogService satisfies it.
type Logger interface {
	Warn(message string, keyValuePairs ...any)
}

type discardLogger struct{}

func (discardLogger) Warn(string, ...any) {}
