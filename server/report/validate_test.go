package report

import (
	"reflect"
	"strings"
	"testing"
)

func validDraft() Report {
	return Report{
		ReporterID:       "researcher1",
		Title:            "Stored XSS in channel header",
		Product:          "Webapp",
		Vector:           "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
		AffectedVersions: "11.3.0 to 11.4.1",
		TestedOn:         TestedOnCommunityServer,
		Description:      "The channel header renders unescaped HTML.",
		Steps:            "1. Set the header to <img src=x onerror=alert(1)>\n2. Open the channel",
		Impact:           "Script runs in the session of anyone opening the channel.",
		WantsCredit:      true,
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Report)
		// want maps each field expected to fail to a fragment of its message.
		want map[string]string
	}{
		{name: "valid with vector", change: func(r *Report) {}, want: map[string]string{}},
		{name: "valid with estimate only", change: func(r *Report) { r.Vector = ""; r.Estimate = RatingHigh }, want: map[string]string{}},
		{name: "affected versions optional", change: func(r *Report) { r.AffectedVersions = "" }, want: map[string]string{}},
		{name: "product matched without case", change: func(r *Report) { r.Product = "mobile APP" }, want: map[string]string{}},
		{name: "title at limit", change: func(r *Report) { r.Title = strings.Repeat("é", MaxTitleRunes) }, want: map[string]string{}},
		{name: "description at limit", change: func(r *Report) { r.Description = strings.Repeat("d", MaxDescriptionRunes) }, want: map[string]string{}},
		{
			name:   "empty draft",
			change: func(r *Report) { *r = Report{} },
			want: map[string]string{
				FieldTitle: "Fill in the title", FieldProduct: "Choose the product", FieldTestedOn: "Say where you tested",
				FieldDescription: "Fill in the description", FieldSteps: "Fill in the steps", FieldImpact: "Fill in the impact",
				FieldEstimate: "CVSS 3.1 vector or your own estimate",
			},
		},
		{name: "title too long", change: func(r *Report) { r.Title = strings.Repeat("a", MaxTitleRunes+1) }, want: map[string]string{FieldTitle: "at most 200 characters (it has 201)"}},
		{name: "title on two lines", change: func(r *Report) { r.Title = "XSS\nin header" }, want: map[string]string{FieldTitle: "one line"}},
		{name: "description too long", change: func(r *Report) { r.Description = strings.Repeat("d", MaxDescriptionRunes+1) }, want: map[string]string{FieldDescription: "at most 20000"}},
		{name: "steps too long", change: func(r *Report) { r.Steps = strings.Repeat("s", MaxStepsRunes+1) }, want: map[string]string{FieldSteps: "at most 20000"}},
		{name: "impact too long", change: func(r *Report) { r.Impact = strings.Repeat("i", MaxImpactRunes+1) }, want: map[string]string{FieldImpact: "at most 5000"}},
		{name: "affected versions too long", change: func(r *Report) { r.AffectedVersions = strings.Repeat("1", MaxAffectedVersionsRunes+1) }, want: map[string]string{FieldAffectedVersions: "at most 500"}},
		{name: "control character", change: func(r *Report) { r.Steps = "step\x00two" }, want: map[string]string{FieldSteps: "control characters"}},
		{name: "invalid UTF-8", change: func(r *Report) { r.Impact = "bad \xff byte" }, want: map[string]string{FieldImpact: "not valid text"}},
		{name: "unknown product", change: func(r *Report) { r.Product = "Toaster" }, want: map[string]string{FieldProduct: "Choose one of the listed products (Server, Webapp"}},
		{name: "unknown place", change: func(r *Report) { r.TestedOn = "customer_instance" }, want: map[string]string{FieldTestedOn: "Say where you tested"}},
		{name: "vector without header", change: func(r *Report) { r.Vector = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }, want: map[string]string{FieldVector: "starts with CVSS:3.1/"}},
		{name: "vector missing metric", change: func(r *Report) { r.Vector = "CVSS:3.1/AV:N/AC:L" }, want: map[string]string{FieldVector: "lacks the base metric PR"}},
		{name: "encrypted: the armored message alone", change: func(r *Report) { r.Description, r.Steps, r.Impact = armored(200), "", "" }, want: map[string]string{}},
		{name: "encrypted: a whole report armored", change: func(r *Report) { r.Description, r.Steps = armored(MaxArmoredRunes-100), "" }, want: map[string]string{}},
		{name: "encrypted: too long even so", change: func(r *Report) { r.Description = armored(MaxArmoredRunes + 1) }, want: map[string]string{FieldDescription: "at most 64000"}},
		{name: "encrypted: the title stays required", change: func(r *Report) { r.Description, r.Title = armored(200), "" }, want: map[string]string{FieldTitle: "Fill in the title"}},
		{name: "not encrypted: an armor quoted in prose", change: func(r *Report) { r.Description, r.Steps = "See: "+armored(200), "" }, want: map[string]string{FieldSteps: "Fill in the steps"}},
		{name: "bad estimate", change: func(r *Report) { r.Vector = ""; r.Estimate = "catastrophic" }, want: map[string]string{FieldEstimate: "low, medium, high or critical"}},
		{name: "none is not an estimate", change: func(r *Report) { r.Vector = ""; r.Estimate = RatingNone }, want: map[string]string{FieldEstimate: "low, medium, high or critical"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validDraft()
			tt.change(&r)
			got := r.Validate(configuredProducts)
			if len(got) != len(tt.want) {
				t.Fatalf("Validate() = %v, want failures on %v", got, keys(tt.want))
			}
			for field, fragment := range tt.want {
				if !strings.Contains(got[field], fragment) {
					t.Errorf("field %s: message %q does not contain %q", field, got[field], fragment)
				}
			}
		})
	}
}

func TestValidateUsesAllowedProducts(t *testing.T) {
	r := validDraft()
	r.Product = "Boards"
	if errs := r.Validate([]string{"Server", "Boards"}); len(errs) != 0 {
		t.Fatalf("product from settings refused: %v", errs)
	}
	if errs := r.Validate(configuredProducts); errs[FieldProduct] == "" {
		t.Fatal("product outside the default list accepted")
	}
	if got, ok := CanonicalProduct(" boards ", []string{"Boards"}); !ok || got != "Boards" {
		t.Fatalf("CanonicalProduct = %q, %v", got, ok)
	}
}

func TestNormalize(t *testing.T) {
	r := Report{
		Title: "  XSS  ", Product: " Webapp ", Vector: " CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n",
		Description: "\r\nline one\r\nline two\r\n", Estimate: " High ", TestedOn: " own_installation ",
	}
	r.Normalize()
	want := Report{
		Title: "XSS", Product: "Webapp", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		Description: "line one\nline two", Estimate: RatingHigh, TestedOn: TestedOnOwnInstallation,
	}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("Normalize() = %+v, want %+v", r, want)
	}
}

func TestCreditProfile(t *testing.T) {
	tests := []struct {
		name   string
		p      CreditProfile
		wanted bool
		want   map[string]string
		credit string
	}{
		{name: "name and affiliation", p: CreditProfile{DisplayName: "Jane Doe", Affiliation: "from Tesla security team"}, wanted: true, want: map[string]string{}, credit: "Jane Doe from Tesla security team"},
		{name: "name only", p: CreditProfile{DisplayName: "Jane Doe"}, wanted: true, want: map[string]string{}, credit: "Jane Doe"},
		{name: "empty when no credit wanted", p: CreditProfile{}, wanted: false, want: map[string]string{}, credit: ""},
		{name: "an affiliation alone credits no one", p: CreditProfile{Affiliation: "of Fitbit Security"}, wanted: false, want: map[string]string{}, credit: ""},
		{name: "name required for credit", p: CreditProfile{Affiliation: "of Fitbit Security"}, wanted: true, want: map[string]string{FieldDisplayName: "Give the name"}},
		{name: "name too long", p: CreditProfile{DisplayName: strings.Repeat("n", MaxDisplayNameRunes+1)}, wanted: true, want: map[string]string{FieldDisplayName: "at most 64"}},
		{name: "affiliation too long", p: CreditProfile{DisplayName: "Jane", Affiliation: strings.Repeat("a", MaxAffiliationRunes+1)}, wanted: true, want: map[string]string{FieldAffiliation: "at most 100"}},
		{name: "name on one line", p: CreditProfile{DisplayName: "Jane\nDoe"}, wanted: false, want: map[string]string{FieldDisplayName: "one line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Normalize()
			got := p.Validate(tt.wanted)
			if len(got) != len(tt.want) {
				t.Fatalf("Validate() = %v, want failures on %v", got, keys(tt.want))
			}
			for field, fragment := range tt.want {
				if !strings.Contains(got[field], fragment) {
					t.Errorf("field %s: message %q does not contain %q", field, got[field], fragment)
				}
			}
			if len(tt.want) == 0 && p.Credit() != tt.credit {
				t.Errorf("Credit() = %q, want %q", p.Credit(), tt.credit)
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// configuredProducts is a product list as an admin might configure it.
var configuredProducts = []string{"Server", "Webapp", "Mobile app", "Desktop app", "Plugins", "Other"}

func TestCheckLineRefusesHiddenCharacters(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{"plain", "Stored XSS in the channel header", ""},
		{"Persian name with ZWNJ", "مهدی\u200cزاده", ""},
		{"Devanagari with ZWJ", "क्\u200dष", ""},
		{"emoji ZWJ sequence", "Ada 👩\u200d💻", ""},
		{"right-to-left text", "אבג", ""},
		{"LRE", "a\u202ab", "U+202A"},
		{"RLE", "a\u202bb", "U+202B"},
		{"PDF", "a\u202cb", "U+202C"},
		{"LRO", "a\u202db", "U+202D"},
		{"RLO", "evil\u202etxt.exe", "U+202E"},
		{"LRI", "a\u2066b", "U+2066"},
		{"RLI", "a\u2067b", "U+2067"},
		{"FSI", "a\u2068b", "U+2068"},
		{"PDI", "a\u2069b", "U+2069"},
		{"zero width space", "Ada\u200bLovelace", "U+200B"},
		{"word joiner", "Ada\u2060", "U+2060"},
		{"byte order mark", "\ufeffAda", "U+FEFF"},
	}
	for _, tt := range tests {
		got := CheckLine("name", tt.value, 100, true)
		if tt.want == "" && got != "" {
			t.Errorf("%s: refused: %q", tt.name, got)
		}
		if tt.want != "" && (!strings.Contains(got, tt.want) || !strings.Contains(got, "invisible or direction-changing")) {
			t.Errorf("%s: CheckLine = %q, want a refusal naming %s", tt.name, got, tt.want)
		}
	}
}

// armored is an ASCII-armored PGP message of n characters, or a little more
// when n is too small for the frame (its body is not a real message: the
// plugin never reads it).
func armored(n int) string {
	head, tail := armorBegin+"\n\n", "\n"+armorEnd
	body := strings.Repeat("hQEMA0xyzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/\n", n/40+1)
	return head + body[:max(n-len(head)-len(tail), 1)] + tail
}

func TestIsArmoredMessage(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{armored(100), true},
		{"\n  " + armored(100) + "\n\n", true},
		{"-----BEGIN PGP MESSAGE-----\n\nabc", false},
		{"abc\n-----END PGP MESSAGE-----", false},
		{"note " + armored(100), false},
		{armored(100) + "\n" + armored(100), false},
		{"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n-----END PGP PUBLIC KEY BLOCK-----", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsArmoredMessage(tt.text); got != tt.want {
			t.Errorf("IsArmoredMessage(%.40q...) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
