// Package inert renders untrusted text so that Mattermost treats it as literal
// code: no @channel/@all/@here or @user mentions, no first-name keywords, no link or
// image previews, no Markdown. The server skips mention and link processing inside
// code spans and fenced code blocks, so that is the only place untrusted text goes.
package inert

import "strings"

// Block returns text as a fenced code block whose fence is longer than any run of
// backticks inside the text, so the text cannot close the fence early.
func Block(text string) string {
	fence := strings.Repeat("`", max(3, longestBacktickRun(text)+1))
	text = strings.TrimRight(text, "\n")
	return fence + "\n" + text + "\n" + fence
}

// Span returns a single-line text as an inline code span. Newlines become spaces
// (a span cannot hold them), and the delimiters are longer than any backtick run
// inside. Padding spaces keep a leading or trailing backtick from joining the
// delimiter; CommonMark strips one space on each side.
func Span(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return "` `"
	}
	ticks := strings.Repeat("`", longestBacktickRun(text)+1)
	return ticks + " " + text + " " + ticks
}

func longestBacktickRun(text string) int {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
			continue
		}
		run = 0
	}
	return longest
}
