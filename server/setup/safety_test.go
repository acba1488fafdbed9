package setup

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestUnsafe(t *testing.T) {
	shared := true
	tests := []struct {
		name string
		ch   *model.Channel
		want string
	}{
		{"private", &model.Channel{Type: model.ChannelTypePrivate}, ""},
		{"missing", nil, "cannot be found"},
		{"made public", &model.Channel{Type: model.ChannelTypeOpen}, "no longer private"},
		{"archived", &model.Channel{Type: model.ChannelTypePrivate, DeleteAt: 1}, "archived"},
		{"shared", &model.Channel{Type: model.ChannelTypePrivate, Shared: &shared}, "shared"},
	}
	for _, tt := range tests {
		got := Unsafe(tt.ch)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: Unsafe = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSafetyCacheReadsTheChannelAtMostOncePerTTL(t *testing.T) {
	now := time.Unix(0, 0)
	channel := &model.Channel{Id: "c1", Type: model.ChannelTypePrivate}
	var fail error
	reads := 0
	c := &SafetyCache{
		Now: func() time.Time { return now },
		Check: func(string) (*model.Channel, error) {
			reads++
			copied := *channel
			return &copied, fail
		},
	}
	steps := []struct {
		name    string
		advance time.Duration
		change  func()
		reads   int
		unsafe  bool
	}{
		{"first use reads", 0, nil, 1, false},
		{"within the TTL: remembered", time.Second, nil, 1, false},
		{"made public, still within the TTL", time.Second, func() { channel.Type = model.ChannelTypeOpen }, 1, false},
		{"after the TTL: read again, unsafe", SafetyTTL, nil, 2, true},
		{"private again, within the TTL: still unsafe", time.Second, func() { channel.Type = model.ChannelTypePrivate }, 2, true},
		{"after the TTL: safe", SafetyTTL, nil, 3, false},
		{"a failed read is unsafe", SafetyTTL, func() { fail = errors.New("down") }, 4, true},
		{"and not remembered", 0, func() { fail = nil }, 5, false},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		if s.change != nil {
			s.change()
		}
		reason := c.Reason("c1")
		if reads != s.reads || (reason != "") != s.unsafe {
			t.Errorf("%s: reads %d, reason %q; want reads %d, unsafe %v", s.name, reads, reason, s.reads, s.unsafe)
		}
	}
}

func TestSafetyCacheTellsEachChangeOnce(t *testing.T) {
	now := time.Unix(0, 0)
	channel := &model.Channel{Type: model.ChannelTypePrivate}
	var heard []string
	c := &SafetyCache{
		Now:     func() time.Time { return now },
		Check:   func(string) (*model.Channel, error) { copied := *channel; return &copied, nil },
		Changed: func(_, reason string) { heard = append(heard, reason) },
	}
	for _, typ := range []model.ChannelType{model.ChannelTypePrivate, model.ChannelTypeOpen, model.ChannelTypeOpen, model.ChannelTypePrivate, model.ChannelTypePrivate} {
		channel.Type = typ
		now = now.Add(SafetyTTL)
		c.Reason("c1")
	}
	if len(heard) != 3 || heard[0] != "" || heard[1] == "" || heard[2] != "" {
		t.Errorf("heard %q; want the first verdict (safe), one unsafe, then one safe", heard)
	}
}
