package inert

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/shared/markdown"
	"github.com/stretchr/testify/require"
)

// The fuzz targets check the promise of this package against the server's
// own Markdown parser, the one its mention detection (getExplicitMentions)
// and link previews (getFirstLinkAndImages) walk: whatever the text, once
// rendered inert it adds no text node outside code (where @mentions, @channel
// and first-name keywords are found) and no link, autolink or image (which
// the server previews). The rendering is checked alone and inside the kind of
// sentence the bot posts, against the same sentence around harmless text.

var untrustedSeeds = []string{
	"@channel @all @here please look",
	"ping @alice.smith and @bob-1: and alice",
	"see https://evil.example.com/x and www.evil.example.com",
	"<https://evil.example.com> [click](https://evil.example.com) ![img](https://evil.example.com/a.png)",
	"[ref]\n\n[ref]: https://evil.example.com",
	"``` \n@channel\n```\n@here",
	"````\n```\n@all\n````",
	"~~~\n@channel\n~~~",
	"` @channel `",
	"\\`@channel\\`",
	"    indented @channel",
	"> quoted @channel\n- item @here",
	"<b>@channel</b>&#64;channel",
	"line one\r\n@channel\rtwo",
	"tab\t@channel",
	"\u00a0@channel\u2028@here",
	"\x00\x1b[31m@channel",
	"",
	"`",
	"``````````",
}

func FuzzBlock(f *testing.F) {
	for _, s := range untrustedSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := Block(text)
		doc, _ := markdown.Parse(out)
		require.Len(t, doc.Children, 1, "the text stays inside one block: %q", out)
		_, fenced := doc.Children[0].(*markdown.FencedCode)
		require.True(t, fenced, "a fenced code block: %q", out)
		requireNothingActive(t, out)
		// In a DM or card thread, between lines the bot wrote.
		requireSameActiveText(t, "#### Your report\n**Access:**\n%s\nTest only what you described, @"+"placeholder.", Block, text)
	})
}

func FuzzSpan(f *testing.F) {
	for _, s := range untrustedSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := Span(text)
		doc, refs := markdown.Parse(out)
		require.Len(t, doc.Children, 1, "%q", out)
		paragraph, ok := doc.Children[0].(*markdown.Paragraph)
		require.True(t, ok, "one line of text: %q", out)
		inlines := markdown.MergeInlineText(paragraph.ParseInlines(refs))
		require.Len(t, inlines, 1, "%q", out)
		span, ok := inlines[0].(*markdown.CodeSpan)
		require.True(t, ok, "a code span: %q", out)
		require.Equal(t, strings.Join(strings.Fields(text), " "), strings.TrimSpace(span.Code), "the span shows the text, on one line")
		requireNothingActive(t, out)
		// In a card field, a list line and a sentence.
		requireSameActiveText(t, "Researcher: %s", Span, text)
		requireSameActiveText(t, "- **SEC-12** %s · Triaging", Span, text)
		requireSameActiveText(t, "I added this to your report %s; the team @"+"placeholder sees it.", Span, text)
	})
}

// atMention is the server's pattern for an explicit mention (atMentionRegexp
// in channels/app, which possibleAtMentions uses; server/public v0.4.4 has
// no model.PossibleAtMentions to call).
var atMention = regexp.MustCompile(`\B@[[:alnum:]][[:alnum:]\.\-_:]*`)

// activeParts walks message as the server does and returns the text its
// mention detection reads (adjacent text nodes merged, as
// getExplicitMentions merges them) and the links it would preview.
func activeParts(message string) (texts, links []string) {
	buf := ""
	markdown.Inspect(message, func(node any) bool {
		switch v := node.(type) {
		case *markdown.Text:
			buf += v.Text
			return false
		case *markdown.Autolink:
			links = append(links, v.Destination())
		case *markdown.InlineLink:
			links = append(links, v.Destination())
		case *markdown.InlineImage:
			links = append(links, v.Destination())
		case *markdown.ReferenceLink:
			links = append(links, v.Destination())
		case *markdown.ReferenceImage:
			links = append(links, v.Destination())
		}
		if buf != "" {
			texts = append(texts, buf)
			buf = ""
		}
		return true
	})
	if buf != "" {
		texts = append(texts, buf)
	}
	return texts, links
}

// requireNothingActive: the rendering alone holds no text the server scans
// for mentions or keywords (so no @mention either), and no link.
func requireNothingActive(t *testing.T, out string) {
	t.Helper()
	texts, links := activeParts(out)
	require.Empty(t, texts, "text outside code: %q", out)
	require.Empty(t, links, "links: %q", out)
}

// requireSameActiveText: in the sentence, the untrusted text changes nothing
// the server scans: the active text and the links are those of the same
// sentence around a harmless word.
func requireSameActiveText(t *testing.T, sentence string, render func(string) string, text string) {
	t.Helper()
	wantTexts, wantLinks := activeParts(strings.Replace(sentence, "%s", render("x"), 1))
	gotTexts, gotLinks := activeParts(strings.Replace(sentence, "%s", render(text), 1))
	require.Equal(t, wantTexts, gotTexts, "text the server scans for mentions, around %q", text)
	require.Equal(t, wantLinks, gotLinks, "links, around %q", text)
	mentions := func(texts []string) (out []string) {
		for _, s := range texts {
			out = append(out, atMention.FindAllString(s, -1)...)
		}
		return out
	}
	require.Equal(t, mentions(wantTexts), mentions(gotTexts))
}

func FuzzVisible(f *testing.F) {
	for _, s := range untrustedSeeds {
		f.Add(s)
	}
	f.Add("\x1b[31mred\x1b[0m\u202e\xff")
	f.Fuzz(func(t *testing.T, text string) {
		out := Visible(text)
		require.True(t, utf8.ValidString(out), "valid text: %q", out)
		require.Negative(t, strings.IndexFunc(out, hidden), "nothing hidden is left: %q", out)
		if utf8.ValidString(text) && strings.IndexFunc(text, hidden) < 0 {
			require.Equal(t, text, out, "text with nothing hidden is unchanged")
		}
	})
}
