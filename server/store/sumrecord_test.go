package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/mattermost/mattermost-plugin-responsible-disclosure/server/report"
)

func line(id int) []byte { return []byte(fmt.Sprintf(`{"i":%d,"t":"r%d"}`, id, id)) }

func record(head bool, bounds []int, ids ...int) *sumRecord {
	rec := &sumRecord{head: head, bounds: bounds}
	for _, id := range ids {
		rec.ids, rec.lines = append(rec.ids, id), append(rec.lines, line(id))
	}
	return rec
}

func TestSumRecordRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rec  *sumRecord
		want string
	}{
		{"shard", record(false, nil, 1, 7), "[\n{\"i\":1,\"t\":\"r1\"},\n{\"i\":7,\"t\":\"r7\"}\n]"},
		{"one line", record(false, nil, 3), "[\n{\"i\":3,\"t\":\"r3\"}\n]"},
		{"head with bounds", record(true, []int{734, 1502}, 1502), "{\"b\":[734,1502],\"s\":[\n{\"i\":1502,\"t\":\"r1502\"}\n]}"},
		{"sealed head", record(true, []int{9}), "{\"b\":[9],\"s\":[\n]}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.rec.encode()
			if string(raw) != tt.want {
				t.Fatalf("encoded %q, want %q", raw, tt.want)
			}
			var asJSON any
			if err := json.Unmarshal(raw, &asJSON); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			back, err := parseSumRecord(raw)
			if err != nil {
				t.Fatal(err)
			}
			if back.head != tt.rec.head || !slices.Equal(back.bounds, tt.rec.bounds) || !slices.Equal(back.ids, tt.rec.ids) {
				t.Fatalf("parsed %+v, want %+v", back, tt.rec)
			}
		})
	}
	if raw := record(false, nil).encode(); raw != nil {
		t.Fatalf("an empty shard encodes to %q, want nil (deleted)", raw)
	}
	if raw := record(true, nil).encode(); raw != nil {
		t.Fatalf("an empty head without bounds encodes to %q, want nil (deleted)", raw)
	}
}

func TestParseSumRecordRefusesGarbage(t *testing.T) {
	for _, raw := range []string{
		"{garbage", "[]", "[\n{\"i\":1}\n]", "[\n{\"t\":1,\"i\":2}\n]",
		"[\n{\"i\":2,\"t\":\"\"},\n{\"i\":1,\"t\":\"\"}\n]", // out of order
		"[\n{\"i\":1,\"t\":\"\"}\n{\"i\":2,\"t\":\"\"}\n]",  // a comma missing
		"{\"b\":[x],\"s\":[\n]}",
	} {
		if _, err := parseSumRecord([]byte(raw)); err == nil {
			t.Errorf("%q parsed", raw)
		}
	}
}

func TestSetRange(t *testing.T) {
	tests := []struct {
		name    string
		ids     []int
		lo, hi  int
		want    []int // ids wanted in lo..hi (lines as line(id), or "new" if in replaced)
		replace []int // ids whose wanted line differs from the stored one
		after   []int
		changes []lineChange
	}{
		{"add in the middle", []int{1, 5, 9}, 3, 3, []int{3}, nil, []int{1, 3, 5, 9}, []lineChange{{3, "added"}}},
		{"remove one", []int{1, 5, 9}, 5, 5, nil, nil, []int{1, 9}, []lineChange{{5, "removed"}}},
		{"remove an absent one", []int{1, 9}, 5, 5, nil, nil, []int{1, 9}, nil},
		{"same line", []int{1, 5, 9}, 5, 5, []int{5}, nil, []int{1, 5, 9}, nil},
		{"replaced line", []int{1, 5, 9}, 5, 5, []int{5}, []int{5}, []int{1, 5, 9}, []lineChange{{5, "replaced"}}},
		{"a range made exact, outside kept", []int{1, 3, 4, 8, 20}, 2, 10, []int{4, 6}, nil, []int{1, 4, 6, 20},
			[]lineChange{{3, "removed"}, {6, "added"}, {8, "removed"}}},
		{"wanted ids outside the range are ignored", []int{5}, 4, 6, []int{2, 5}, nil, []int{5}, nil},
		{"into an empty record", nil, 1, 500, []int{7, 2}, nil, []int{2, 7}, []lineChange{{2, "added"}, {7, "added"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record(false, nil, tt.ids...)
			want := map[int][]byte{}
			for _, id := range tt.want {
				want[id] = line(id)
				if slices.Contains(tt.replace, id) {
					want[id] = []byte(fmt.Sprintf(`{"i":%d,"t":"new"}`, id))
				}
			}
			changes := rec.setRange(tt.lo, tt.hi, want)
			if !slices.Equal(changes, tt.changes) || !slices.Equal(rec.ids, tt.after) {
				t.Fatalf("changes %v ids %v; want %v %v", changes, rec.ids, tt.changes, tt.after)
			}
			back, err := parseSumRecord(rec.encode())
			if len(tt.after) > 0 && (err != nil || !slices.Equal(back.ids, tt.after)) {
				t.Fatalf("re-parsed %v, %v", back, err)
			}
		})
	}
}

// The fast path gives the same bytes as the general one, and declines whenever
// it would not.
func TestAppendLineMatchesSetRange(t *testing.T) {
	tests := []struct {
		name string
		rec  *sumRecord
		id   int
		ok   bool
	}{
		{"shard, new highest id", record(false, nil, 1, 2), 3, true},
		{"head, new highest id", record(true, []int{5}, 6, 8), 9, true},
		{"lower id", record(false, nil, 1, 4), 3, false},
		{"same id", record(false, nil, 1, 4), 4, false},
		{"head without lines", record(true, []int{5}), 6, false},
		{"absent record", nil, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw []byte
			if tt.rec != nil {
				raw = tt.rec.encode()
			}
			got, ok := appendLine(raw, tt.id, line(tt.id))
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			tt.rec.setRange(tt.id, tt.id, map[int][]byte{tt.id: line(tt.id)})
			if string(got) != string(tt.rec.encode()) {
				t.Fatalf("fast %q\ngeneral %q", got, tt.rec.encode())
			}
		})
	}
}

func TestSumRecordSummaries(t *testing.T) {
	var lines [][]byte
	for _, id := range []int{2, 4, 6} {
		data, err := json.Marshal(report.Summary{ID: id, Title: fmt.Sprint("t", id)})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, data)
	}
	rec := &sumRecord{ids: []int{2, 4, 6}, lines: lines}
	got, err := rec.summaries(3, 6)
	if err != nil || len(got) != 2 || got[0].ID != 4 || got[1].Title != "t6" {
		t.Fatalf("summaries(3, 6) = %+v, %v", got, err)
	}
}

// The splice path gives the same bytes as the general one, and declines whenever
// it would not.
func TestSpliceLineMatchesSetRange(t *testing.T) {
	newLine := func(id int) []byte { return []byte(fmt.Sprintf(`{"i":%d,"t":"new"}`, id)) }
	tests := []struct {
		name    string
		rec     *sumRecord
		id      int
		line    []byte
		ok      bool
		changed bool
	}{
		{"replace the first", record(false, nil, 1, 2, 3), 1, newLine(1), true, true},
		{"replace the last", record(false, nil, 1, 2, 3), 3, newLine(3), true, true},
		{"replace in a head", record(true, []int{5}, 6, 8), 8, newLine(8), true, true},
		{"same line", record(false, nil, 1, 2), 2, line(2), true, false},
		{"remove the first", record(false, nil, 1, 2, 3), 1, nil, true, true},
		{"remove the middle", record(false, nil, 1, 2, 3), 2, nil, true, true},
		{"remove the last", record(false, nil, 1, 2, 3), 3, nil, true, true},
		{"remove the only one", record(false, nil, 4), 4, nil, false, false},
		{"absent", record(false, nil, 1, 3), 2, newLine(2), false, false},
		{"an id that prefixes another", record(false, nil, 12), 1, newLine(1), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, ok := spliceLine(tt.rec.encode(), tt.id, tt.line)
			if ok != tt.ok || changed != tt.changed {
				t.Fatalf("ok %v changed %v, want %v %v", ok, changed, tt.ok, tt.changed)
			}
			if !ok {
				return
			}
			want := map[int][]byte{}
			if tt.line != nil {
				want[tt.id] = tt.line
			}
			tt.rec.setRange(tt.id, tt.id, want)
			if string(got) != string(tt.rec.encode()) {
				t.Fatalf("splice %q\ngeneral %q", got, tt.rec.encode())
			}
		})
	}
}
