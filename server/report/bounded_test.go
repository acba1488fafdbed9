package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", NoteExcerptRunes+1)
	tests := []struct {
		name, note string
		whole      bool
	}{
		{"empty", "", true},
		{"short", "It is 11.4.0", true},
		{"exactly the excerpt", strings.Repeat("a", NoteExcerptRunes), true},
		{"one rune more, multi-byte", long, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Excerpt(tt.note)
			if tt.whole {
				if got != tt.note {
					t.Fatalf("Excerpt changed a short note: %q", got)
				}
				return
			}
			if !utf8.ValidString(got) || !strings.HasPrefix(got, tt.note[:len(string([]rune(tt.note)[:NoteExcerptRunes]))]) {
				t.Fatalf("the excerpt does not start with the note's first %d characters", NoteExcerptRunes)
			}
			if !strings.HasSuffix(got, excerptMark) {
				t.Fatalf("the excerpt does not say where the rest is: %q", got[len(got)-80:])
			}
		})
	}
}

// TestTimelineKeepsTheNewestConversation: replies and messages beyond
// KeptConversation leave the timeline oldest first and are counted; state
// changes and the team's first response stay.
func TestTimelineKeepsTheNewestConversation(t *testing.T) {
	triager, reporter := Triager(triagerID), Reporter("researcher1")
	minute := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	steps := []act{{minute(1), ActionMessage, triager, Input{Note: "first response"}}, {minute(2), ActionTake, triager, Input{}}}
	const replies = KeptConversation + 20
	for i := range replies {
		steps = append(steps, act{minute(3 + i), ActionReply, reporter, Input{Note: "reply " + strings.Repeat("x", i)}})
	}
	steps = append(steps, act{minute(3 + replies), ActionAsk, triager, Input{Note: "a question"}},
		act{minute(4 + replies), ActionReply, reporter, Input{Note: "the answer"}})
	r := filedWith(t, steps...)

	var conversation, statusChanges int
	var first, last Event
	for _, e := range r.Timeline {
		if e.conversationOnly() {
			conversation++
		}
		if e.From != e.To {
			statusChanges++
		}
	}
	first, last = r.Timeline[1], r.Timeline[len(r.Timeline)-1]
	if conversation != KeptConversation {
		t.Errorf("the timeline holds %d conversation events, want %d", conversation, KeptConversation)
	}
	// Every reply and message is on the timeline or counted: 1 message and
	// the replies, of which the last moved the report (needs info → triaging).
	if got := conversation + r.EarlierConversation; got != 1+replies {
		t.Errorf("kept %d + earlier %d = %d, want %d", conversation, r.EarlierConversation, got, 1+replies)
	}
	if statusChanges != 4 { // submit, take, ask, the answer
		t.Errorf("%d status changes kept, want 4: %+v", statusChanges, r.Timeline)
	}
	if first.Note != "first response" {
		t.Errorf("the team's first response left the timeline; second event is %+v", first)
	}
	if last.Note != "the answer" {
		t.Errorf("the newest event is %+v", last)
	}
	if s := Summarize(r); !s.RespondedAt.Equal(t0.Add(minute(1))) {
		t.Errorf("first response at %v, want %v", s.RespondedAt, t0.Add(minute(1)))
	}
}

func TestTakeReply(t *testing.T) {
	r := filedWith(t)
	now := t0
	for i := range RepliesPerHour {
		if err := r.TakeReply(now.Add(time.Duration(i) * time.Second)); err != nil {
			t.Fatalf("reply %d of the hour refused: %v", i+1, err)
		}
	}
	limit := r.TakeReply(now.Add(10 * time.Minute))
	if limit == nil {
		t.Fatalf("reply %d of the hour taken", RepliesPerHour+1)
	}
	// The first reply of the hour was at t0, so the next is taken from
	// t0 + 1 h, rounded up to the minute the sentence names.
	if want := now.Add(time.Hour + time.Minute - 1).Truncate(time.Minute); !limit.Until.Equal(want) {
		t.Errorf("until %v, want %v", limit.Until, want)
	}
	if msg := limit.Error(); !strings.Contains(msg, limit.Until.Format("2006-01-02 15:04")) || !strings.Contains(msg, r.Key()) {
		t.Errorf("the sentence names neither when nor which report: %q", msg)
	}
	if err := r.TakeReply(limit.Until); err != nil {
		t.Errorf("a reply at %v is refused: %v", limit.Until, err)
	}
	if len(r.RecentReplies) > RepliesPerHour {
		t.Errorf("%d reply times kept, want at most %d", len(r.RecentReplies), RepliesPerHour)
	}
	at := now.Add(10 * time.Minute).UnixMilli()
	if !r.RefuseReply(at, limit) || r.RefuseReply(at+1, limit) {
		t.Error("the reporter is not told exactly once per limit reached")
	}
	for _, c := range []struct {
		createAt int64
		handled  bool
	}{
		{at - 1, false}, // before the first refusal: relayed or missed, not refused
		{at, true},
		{limit.Until.UnixMilli() - 1, true},
		{limit.Until.UnixMilli(), false}, // the limit is over
	} {
		if got := r.WasHandled("never-seen", c.createAt); got != c.handled {
			t.Errorf("a reply created at %d counts as handled: %v, want %v", c.createAt, got, c.handled)
		}
	}
}

// TestRecordStaysBoundedUnderReplies is the figure: 300 replies of
// 9,000 characters to a report with short text leave its record under 64 KB.
func TestRecordStaysBoundedUnderReplies(t *testing.T) {
	r := filedWith(t)
	long := strings.Repeat("<script>é ", 900) // 9,000 characters, escaped by JSON
	now := t0
	for i := range 300 {
		now = now.Add(time.Minute)
		if r.TakeReply(now) != nil {
			continue
		}
		r.MarkRelayed("post"+strings.Repeat("p", 22)+string(rune('a'+i%26)), now.UnixMilli())
		if _, err := Apply(r, ActionReply, Reporter("researcher1"), Input{At: now, Note: long}); err != nil {
			t.Fatal(err)
		}
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) >= 64<<10 {
		t.Fatalf("the record is %d bytes after 300 long replies, want under 64 KB", len(data))
	}
	t.Logf("record: %d bytes, %d events, %d earlier", len(data), len(r.Timeline), r.EarlierConversation)
}
