package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/mattermost/mattermost/server/public/pluginapi"
)

// CopyColumns are the columns of the server's PluginKeyValueStore table that
// WriteRows fills, in order, for `COPY pluginkeyvaluestore (...) FROM STDIN`.
const CopyColumns = "pluginid, pkey, pvalue, expireat"

// dumpStats says what a dump wrote.
type dumpStats struct {
	keys  int
	bytes int64 // value bytes, before hex encoding
}

// writeRows writes every key of kv as one row of PostgreSQL's COPY text format:
// the value as bytea hex (\x...), no expiry. The server stores a []byte value
// as these exact bytes, so the plugin reads what the store wrote in memory.
// None of the store calls the seeder makes sets an expiry (filing without a
// daily limit writes no daily counter).
func writeRows(w io.Writer, pluginID string, kv *pluginapi.MemoryStore) (dumpStats, error) {
	var st dumpStats
	if strings.ContainsAny(pluginID, "\t\n\\") {
		return st, fmt.Errorf("plugin id %q cannot be written in COPY text format", pluginID)
	}
	keys, err := kv.ListKeys(0, math.MaxInt32)
	if err != nil {
		return st, err
	}
	out := bufio.NewWriterSize(w, 1<<20)
	var hexBuf []byte
	for _, key := range keys {
		// Keys are built by the store from ids and fixed prefixes; anything
		// COPY would read as a delimiter or an escape is a bug to stop on.
		if strings.ContainsAny(key, "\t\n\r\\") {
			return st, fmt.Errorf("key %q cannot be written in COPY text format", key)
		}
		var value []byte
		if err := kv.Get(key, &value); err != nil {
			return st, err
		}
		if cap(hexBuf) < 2*len(value) {
			hexBuf = make([]byte, 2*len(value))
		}
		hexBuf = hexBuf[:2*len(value)]
		hex.Encode(hexBuf, value)
		// In COPY text format a backslash escapes, so bytea's \x is written \\x.
		if _, err := fmt.Fprintf(out, "%s\t%s\t\\\\x", pluginID, key); err != nil {
			return st, err
		}
		if _, err := out.Write(hexBuf); err != nil {
			return st, err
		}
		if _, err := out.WriteString("\t0\n"); err != nil {
			return st, err
		}
		st.keys++
		st.bytes += int64(len(value))
	}
	return st, out.Flush()
}
