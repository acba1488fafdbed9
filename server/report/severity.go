package report

import (
	"errors"
	"fmt"
	"strings"

	gocvss31 "github.com/pandatix/go-cvss/31"
)

// Rating is a qualitative severity, as CVSS 3.1 names its score ranges. The
// values are stored.
type Rating string

// Ratings, lowest first.
const (
	RatingNone     Rating = "none"
	RatingLow      Rating = "low"
	RatingMedium   Rating = "medium"
	RatingHigh     Rating = "high"
	RatingCritical Rating = "critical"
)

// EstimateChoices are the ratings a researcher may pick without a vector. "None"
// is left out: a report nobody thinks matters needs no estimate to say so.
var EstimateChoices = []Rating{RatingLow, RatingMedium, RatingHigh, RatingCritical}

// VectorPrefix starts every CVSS 3.1 vector; other versions are refused rather
// than scored with the wrong formula.
const VectorPrefix = "CVSS:3.1/"

// MaxVectorLength bounds the vector field. A vector with every base, temporal and
// environmental metric is about 130 characters.
const MaxVectorLength = 200

// ValidEstimate says whether r is a rating a researcher may choose.
func (r Rating) ValidEstimate() bool {
	switch r {
	case RatingLow, RatingMedium, RatingHigh, RatingCritical:
		return true
	}
	return false
}

// Label is the rating as people read it ("Critical").
func (r Rating) Label() string {
	if r == "" {
		return "Unknown"
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// RatingOf maps a CVSS 3.1 score to its rating (0.0 none, 0.1-3.9 low, 4.0-6.9
// medium, 7.0-8.9 high, 9.0-10.0 critical).
func RatingOf(score float64) (Rating, error) {
	name, err := gocvss31.Rating(score)
	if err != nil {
		return "", fmt.Errorf("a CVSS score is between 0.0 and 10.0, not %.1f", score)
	}
	return Rating(strings.ToLower(name)), nil
}

// Score is a scored CVSS 3.1 vector.
type Score struct {
	Vector string
	Base   float64
	Rating Rating
}

// ScoreVector parses a CVSS 3.1 vector and computes its base score and rating.
// Errors are sentences a researcher can act on.
func ScoreVector(vector string) (Score, error) {
	vector = strings.TrimSpace(vector)
	if len(vector) > MaxVectorLength {
		return Score{}, fmt.Errorf("a CVSS vector is at most %d characters", MaxVectorLength)
	}
	if !strings.HasPrefix(vector, VectorPrefix) {
		return Score{}, errors.New("a CVSS vector starts with " + VectorPrefix + " (only CVSS 3.1 is accepted)")
	}
	parsed, err := gocvss31.ParseVector(vector)
	if err != nil {
		return Score{}, vectorError(err)
	}
	base := parsed.BaseScore()
	rating, err := RatingOf(base)
	if err != nil {
		return Score{}, err
	}
	return Score{Vector: vector, Base: base, Rating: rating}, nil
}

// vectorError turns the library's errors into sentences.
func vectorError(err error) error {
	var missing *gocvss31.ErrMissing
	var twice *gocvss31.ErrDefinedN
	var unknown *gocvss31.ErrInvalidMetric
	switch {
	case errors.As(err, &missing):
		return fmt.Errorf("the CVSS vector lacks the base metric %s", missing.Abv)
	case errors.As(err, &twice):
		return fmt.Errorf("the CVSS vector sets %s more than once", twice.Abv)
	case errors.As(err, &unknown):
		return fmt.Errorf("the CVSS vector has an unknown metric %q", unknown.Abv)
	default:
		return errors.New("the CVSS vector is not valid: each part looks like AV:N, separated by /")
	}
}

// Severity is what the team and the researcher see: a scored vector when the
// report has one, the researcher's estimate otherwise.
type Severity struct {
	Rating    Rating
	Score     float64 // zero when estimated
	Vector    string  // empty when estimated
	Estimated bool
}

// String reads "9.8 Critical" or "High (estimated)".
func (s Severity) String() string {
	switch {
	case s.Rating == "":
		return "Unknown"
	case s.Estimated:
		return s.Rating.Label() + " (estimated)"
	default:
		return fmt.Sprintf("%.1f %s", s.Score, s.Rating.Label())
	}
}

// Severity scores the report's vector, or falls back to the estimate when there
// is no vector (or, for a record stored before a validation rule existed, when the
// vector no longer parses).
func (r *Report) Severity() Severity {
	if r.Vector != "" {
		if sc, err := ScoreVector(r.Vector); err == nil {
			return Severity{Rating: sc.Rating, Score: sc.Base, Vector: sc.Vector}
		}
	}
	if r.Estimate != "" {
		return Severity{Rating: r.Estimate, Estimated: true}
	}
	return Severity{}
}
