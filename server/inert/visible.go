package inert

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Visible shows every character of untrusted text, so that a reply pasted from
// a terminal (ESC sequences), or one carrying direction overrides, reaches the
// team whole instead of being refused or displayed as something it is not.
// The rule, applied here only: invalid UTF-8 becomes U+FFFD; a control
// character other than newline and tab is written as its escape (ESC as
// `\x1b`, NEL as `\x85`); a bidi control (U+202A–U+202E, U+2066–U+2069, LRM,
// RLM, ALM) or an invisible character (U+200B, U+2060, U+FEFF) is written as
// `\u202e`. ZWNJ and ZWJ stay, as scripts and emoji need them. Text with
// none of these is returned unchanged.
func Visible(text string) string {
	if utf8.ValidString(text) && strings.IndexFunc(text, hidden) < 0 {
		return text
	}
	var b strings.Builder
	for _, c := range strings.ToValidUTF8(text, "\uFFFD") {
		switch {
		case !hidden(c):
			b.WriteRune(c)
		case c < 0x100:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}

// hidden says whether c must be shown as an escape (see Visible).
func hidden(c rune) bool {
	switch {
	case c == '\n' || c == '\t':
		return false
	case unicode.IsControl(c), Deceptive(c):
		return true
	case c == 0x200E, c == 0x200F, c == 0x061C: // LRM, RLM, ALM
		return true
	}
	return false
}

// Deceptive says whether c makes text read otherwise than it is: a bidi
// embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069),
// which can reverse a name or title or spoof what follows it, or an invisible
// character (zero width space U+200B, word joiner U+2060, byte order mark
// U+FEFF), which makes two names that look the same differ. The zero width
// non-joiner and joiner (U+200C, U+200D) are not: Persian and Indic names and
// emoji sequences need them.
func Deceptive(c rune) bool {
	switch {
	case c >= 0x202A && c <= 0x202E, c >= 0x2066 && c <= 0x2069:
		return true
	case c == 0x200B, c == 0x2060, c == 0xFEFF:
		return true
	}
	return false
}
