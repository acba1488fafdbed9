package report

import (
	"strings"
	"testing"
)

func TestScoreVector(t *testing.T) {
	tests := []struct {
		name   string
		vector string
		score  float64
		rating Rating
		errHas string
	}{
		{name: "network RCE", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 9.8, rating: RatingCritical},
		{name: "reflected XSS", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", score: 6.1, rating: RatingMedium},
		{name: "no impact", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", score: 0.0, rating: RatingNone},
		{name: "physical low", vector: "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", score: 1.6, rating: RatingLow},
		{name: "high", vector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", score: 8.1, rating: RatingHigh},
		{name: "scope changed max", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", score: 10.0, rating: RatingCritical},
		{name: "temporal metrics ignored by base", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", score: 9.8, rating: RatingCritical},
		{name: "surrounding space", vector: "  CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N ", score: 5.5, rating: RatingMedium},
		{name: "CVSS 3.0 refused", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", errHas: "starts with CVSS:3.1/"},
		{name: "no header", vector: "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", errHas: "starts with CVSS:3.1/"},
		{name: "missing metric", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", errHas: "lacks the base metric A"},
		{name: "metric twice", vector: "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", errHas: "sets AV more than once"},
		{name: "bad value", vector: "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", errHas: "not valid"},
		{name: "unknown metric", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q", errHas: "unknown metric"},
		{name: "too long", vector: "CVSS:3.1/" + strings.Repeat("A", MaxVectorLength), errHas: "at most"},
		{name: "empty", vector: "", errHas: "starts with CVSS:3.1/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := ScoreVector(tt.vector)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("ScoreVector(%q) error = %v, want one containing %q", tt.vector, err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("ScoreVector(%q): %v", tt.vector, err)
			}
			if sc.Base != tt.score || sc.Rating != tt.rating {
				t.Fatalf("ScoreVector(%q) = %.1f %s, want %.1f %s", tt.vector, sc.Base, sc.Rating, tt.score, tt.rating)
			}
			if sc.Vector != strings.TrimSpace(tt.vector) {
				t.Fatalf("vector = %q, want it trimmed", sc.Vector)
			}
		})
	}
}

func TestRatingOfBoundaries(t *testing.T) {
	tests := []struct {
		score float64
		want  Rating
	}{
		{0, RatingNone}, {0.1, RatingLow}, {3.9, RatingLow}, {4.0, RatingMedium}, {6.9, RatingMedium},
		{7.0, RatingHigh}, {8.9, RatingHigh}, {9.0, RatingCritical}, {10, RatingCritical},
	}
	for _, tt := range tests {
		got, err := RatingOf(tt.score)
		if err != nil || got != tt.want {
			t.Errorf("RatingOf(%.1f) = %q, %v; want %q", tt.score, got, err, tt.want)
		}
	}
	if _, err := RatingOf(10.1); err == nil {
		t.Error("RatingOf(10.1) accepted an out-of-range score")
	}
}

func TestReportSeverity(t *testing.T) {
	tests := []struct {
		name   string
		r      Report
		want   Severity
		string string
	}{
		{
			name:   "vector wins over estimate",
			r:      Report{Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Estimate: RatingLow},
			want:   Severity{Rating: RatingCritical, Score: 9.8, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
			string: "9.8 Critical",
		},
		{name: "estimate", r: Report{Estimate: RatingHigh}, want: Severity{Rating: RatingHigh, Estimated: true}, string: "High (estimated)"},
		{name: "broken stored vector falls back", r: Report{Vector: "CVSS:3.1/nonsense", Estimate: RatingMedium}, want: Severity{Rating: RatingMedium, Estimated: true}, string: "Medium (estimated)"},
		{name: "nothing", r: Report{}, want: Severity{}, string: "Unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.r.Severity()
			if got != tt.want {
				t.Fatalf("Severity() = %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.string {
				t.Fatalf("String() = %q, want %q", got.String(), tt.string)
			}
		})
	}
}
