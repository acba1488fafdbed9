package inert

import "testing"

func TestVisible(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text is unchanged", "curl -v https://example.com\n\tok", "curl -v https://example.com\n\tok"},
		{"ESC from a terminal", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"carriage return and NUL", "a\rb\x00c", `a\x0db\x00c`},
		{"C1 control", "a\u0085b", `a\x85b`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"right-to-left override", "evil\u202etxt.exe", `evil\u202etxt.exe`},
		{"isolates", "\u2066a\u2069", `\u2066a\u2069`},
		{"zero width space and BOM", "\ufeffa\u200bb", `\ufeffa\u200bb`},
		{"ZWNJ and ZWJ stay", "مهدی\u200cزاده 👩\u200d💻", "مهدی\u200cزاده 👩\u200d💻"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		if got := Visible(tt.in); got != tt.want {
			t.Errorf("%s: Visible(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
