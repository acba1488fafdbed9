package inert

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBlock(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "hello @channel", "```\nhello @channel\n```"},
		{"trailing newlines trimmed", "a\n\n", "```\na\n```"},
		{"triple backticks inside", "x ``` y", "````\nx ``` y\n````"},
		{"five backticks inside", "`````", "``````\n`````\n``````"},
		{"html stays text", "<script>alert(1)</script>", "```\n<script>alert(1)</script>\n```"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Block(tt.in))
		})
	}
}

func TestSpan(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "@all", "` @all `"},
		{"empty", "", "` `"},
		{"newlines collapse", "a\nb\r\n c", "` a b c `"},
		{"backtick inside", "a`b", "`` a`b ``"},
		{"double backtick inside", "``x", "``` ``x ```"},
		{"link", "https://evil.example/x.png", "` https://evil.example/x.png `"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Span(tt.in))
		})
	}
}
