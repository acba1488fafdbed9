package store

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/pkg/errors"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

// A summary record holds up to a few hundred summaries and is rewritten on
// every filing and change, so decoding and encoding all of it each time would
// cost more than the KV calls. Instead each summary sits on its own line,
// ascending by id, and a writer only splits the record into lines, reads each
// line's id from its first bytes ({"i":123,...) and replaces one line. The
// record stays valid JSON (encoding/json never writes a raw newline), so it is
// also readable by hand:
//
//	[                                   a shard (archive, open, fixed, live, sealed)
//	{"i":1,...},
//	{"i":7,...}
//	]
//
//	{"b":[734,1502],"s":[               a researcher's head: sealed-shard bounds first
//	{"i":1502,...}
//	]}
type sumRecord struct {
	head   bool  // the head form, with bounds
	bounds []int // head only: upper bounds (exclusive) of the sealed shards, ascending
	ids    []int
	lines  [][]byte // lines[i] is the summary of ids[i]; never modified in place
}

const headPrefix = `{"b":`

// parseSumRecord splits raw into lines. A nil raw is an empty record. The lines
// point into raw, which belongs to the KV and is never modified.
func parseSumRecord(raw []byte) (*sumRecord, error) {
	rec := &sumRecord{}
	if raw == nil {
		return rec, nil
	}
	lines := bytes.Split(raw, []byte{'\n'})
	if len(lines) < 2 {
		return nil, errors.New("not a summary record")
	}
	first, last := lines[0], lines[len(lines)-1]
	switch {
	case bytes.Equal(first, []byte("[")) && bytes.Equal(last, []byte("]")):
	case bytes.HasPrefix(first, []byte(headPrefix)) && bytes.HasSuffix(first, []byte(`,"s":[`)) && bytes.Equal(last, []byte("]}")):
		bounds, err := decodeIDs(first[len(headPrefix) : len(first)-len(`,"s":[`)])
		if err != nil {
			return nil, errors.Wrap(err, "summary record bounds")
		}
		rec.head, rec.bounds = true, bounds
	default:
		return nil, errors.New("not a summary record")
	}
	body := lines[1 : len(lines)-1]
	rec.ids = make([]int, 0, len(body))
	rec.lines = make([][]byte, 0, len(body))
	for i, l := range body {
		if i < len(body)-1 {
			if !bytes.HasSuffix(l, []byte{','}) {
				return nil, errors.New("summary record: a line lacks its comma")
			}
			l = l[:len(l)-1]
		}
		id, err := lineID(l)
		if err != nil {
			return nil, err
		}
		if n := len(rec.ids); n > 0 && rec.ids[n-1] >= id {
			return nil, errors.New("summary record: ids out of order")
		}
		rec.ids = append(rec.ids, id)
		rec.lines = append(rec.lines, l)
	}
	return rec, nil
}

// lineID reads the id a summary line starts with.
func lineID(l []byte) (int, error) {
	const lead = `{"i":`
	if !bytes.HasPrefix(l, []byte(lead)) {
		return 0, errors.New("summary record: a line does not start with an id")
	}
	rest := l[len(lead):]
	end := bytes.IndexByte(rest, ',')
	if end < 0 {
		return 0, errors.New("summary record: a line does not start with an id")
	}
	id, err := strconv.Atoi(string(rest[:end]))
	if err != nil || id < 1 {
		return 0, errors.New("summary record: a line does not start with an id")
	}
	return id, nil
}

// encode writes the record. An empty record (a head without bounds, too)
// encodes to nil: its key is deleted.
func (rec *sumRecord) encode() []byte {
	if len(rec.ids) == 0 && len(rec.bounds) == 0 {
		return nil
	}
	size := 16
	for _, l := range rec.lines {
		size += len(l) + 2
	}
	var b []byte
	if rec.head {
		b = make([]byte, 0, size+6*len(rec.bounds)+16)
		b = append(b, headPrefix...)
		b = append(b, encodeIDs(rec.bounds)...)
		b = append(b, `,"s":[`...)
	} else {
		b = make([]byte, 0, size)
		b = append(b, '[')
	}
	for i, l := range rec.lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = append(b, l...)
	}
	b = append(b, '\n', ']')
	if rec.head {
		b = append(b, '}')
	}
	return b
}

// appendLine is the common write made cheap: a filing adds the highest id to
// a record, which is appending a line. It returns raw with line appended when
// id is above every id of a record that has at least one line, without parsing
// the rest, or false to take the general path. Under a burst of filings every
// attempt on the same shard pays for its parse, so this keeps bursts short.
func appendLine(raw []byte, id int, line []byte) ([]byte, bool) {
	var tail []byte
	switch {
	case bytes.HasSuffix(raw, []byte("\n]}")):
		tail = []byte("\n]}")
	case bytes.HasSuffix(raw, []byte("\n]")):
		tail = []byte("\n]")
	default:
		return nil, false
	}
	body := raw[:len(raw)-len(tail)]
	nl := bytes.LastIndexByte(body, '\n')
	if nl < 0 {
		return nil, false
	}
	last, err := lineID(body[nl+1:])
	if err != nil || id <= last {
		return nil, false
	}
	out := make([]byte, 0, len(raw)+len(line)+2)
	out = append(out, body...)
	out = append(out, ',', '\n')
	out = append(out, line...)
	return append(out, tail...), true
}

// spliceLine is the other common write made cheap: a change replaces its
// report's line (line non-nil) or removes it (nil), found by searching for the
// start of its line, without parsing the rest. It returns false, to take the
// general path, when id has no line in raw, or when removing it would leave
// the record without lines.
func spliceLine(raw []byte, id int, line []byte) (out []byte, changed, ok bool) {
	needle := []byte(`{"i":` + strconv.Itoa(id) + `,`)
	at := bytes.Index(raw, append([]byte{'\n'}, needle...))
	if at < 0 {
		return nil, false, false
	}
	start := at + 1
	rel := bytes.IndexByte(raw[start:], '\n')
	if rel < 0 {
		return nil, false, false
	}
	end := start + rel
	cur, comma := raw[start:end], false
	if bytes.HasSuffix(cur, []byte{','}) {
		cur, comma = cur[:len(cur)-1], true
	}
	switch {
	case line != nil && bytes.Equal(cur, line):
		return raw, false, true
	case line != nil:
		out = make([]byte, 0, len(raw)-len(cur)+len(line))
		out = append(append(out, raw[:start]...), line...)
		if comma {
			out = append(out, ',')
		}
		return append(out, raw[end:]...), true, true
	case comma: // a line with one after it: drop "\n<line>,"
		return append(append(make([]byte, 0, len(raw)), raw[:at]...), raw[end:]...), true, true
	case at > 0 && raw[at-1] == ',': // the last of several: drop ",\n<line>"
		return append(append(make([]byte, 0, len(raw)), raw[:at-1]...), raw[end:]...), true, true
	}
	return nil, false, false
}

// lineChange is one id whose line a write added, replaced or removed.
type lineChange struct {
	id     int
	change string // "added", "replaced", "removed"
}

// setRange makes the entries with ids in lo..hi exactly want (id → line): ids of
// want are added or replaced, other ids in the range removed. Entries outside
// the range are kept. It returns what changed.
func (rec *sumRecord) setRange(lo, hi int, want map[int][]byte) []lineChange {
	start, _ := slices.BinarySearch(rec.ids, lo)
	end, found := slices.BinarySearch(rec.ids, hi)
	if found {
		end++
	}
	wantIDs := make([]int, 0, len(want))
	for id := range want {
		if lo <= id && id <= hi { // an id outside the range would land out of order
			wantIDs = append(wantIDs, id)
		}
	}
	slices.Sort(wantIDs)

	var changes []lineChange
	ids := make([]int, 0, len(rec.ids)-(end-start)+len(wantIDs))
	lines := make([][]byte, 0, cap(ids))
	ids, lines = append(ids, rec.ids[:start]...), append(lines, rec.lines[:start]...)
	i := start
	for _, id := range wantIDs {
		for i < end && rec.ids[i] < id {
			changes = append(changes, lineChange{rec.ids[i], "removed"})
			i++
		}
		switch {
		case i < end && rec.ids[i] == id:
			if !bytes.Equal(rec.lines[i], want[id]) {
				changes = append(changes, lineChange{id, "replaced"})
			}
			i++
		default:
			changes = append(changes, lineChange{id, "added"})
		}
		ids, lines = append(ids, id), append(lines, want[id])
	}
	for ; i < end; i++ {
		changes = append(changes, lineChange{rec.ids[i], "removed"})
	}
	if len(changes) == 0 {
		return nil
	}
	rec.ids = append(ids, rec.ids[end:]...)
	rec.lines = append(lines, rec.lines[end:]...)
	return changes
}

// drop removes the entries keep refuses and reports them as removed.
func (rec *sumRecord) drop(keep func(id int, line []byte) bool) []lineChange {
	var changes []lineChange
	var ids []int
	var lines [][]byte
	for i, id := range rec.ids {
		if keep(id, rec.lines[i]) {
			ids, lines = append(ids, id), append(lines, rec.lines[i])
			continue
		}
		changes = append(changes, lineChange{id, "removed"})
	}
	if len(changes) > 0 {
		rec.ids, rec.lines = ids, lines
	}
	return changes
}

// summaries decodes the entries with ids in lo..hi.
func (rec *sumRecord) summaries(lo, hi int) ([]report.Summary, error) {
	start, _ := slices.BinarySearch(rec.ids, lo)
	out := make([]report.Summary, 0, len(rec.ids)-start)
	for i := start; i < len(rec.ids) && rec.ids[i] <= hi; i++ {
		var s report.Summary
		if err := json.Unmarshal(rec.lines[i], &s); err != nil {
			return nil, errors.Wrapf(err, "decode the summary of %s", report.FormatID(rec.ids[i]))
		}
		out = append(out, s)
	}
	return out, nil
}

// summaryLine is the line a report's summary is stored as.
func summaryLine(r *report.Report) (report.Summary, []byte, error) {
	sum := report.Summarize(r)
	line, err := json.Marshal(sum)
	if err != nil {
		return sum, nil, errors.Wrapf(err, "encode the summary of %s", r.Key())
	}
	return sum, line, nil
}
