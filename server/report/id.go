package report

import (
	"errors"
	"strconv"
	"strings"
)

// IDPrefix starts every human report id.
const IDPrefix = "SEC-"

// maxIDDigits keeps parsed ids far from integer overflow; a billion reports is
// more than any team will see.
const maxIDDigits = 9

// ErrBadID is returned for anything that is not a report id.
var ErrBadID = errors.New("a report id looks like SEC-12")

// FormatID writes the human id of report n.
func FormatID(n int) string {
	return IDPrefix + strconv.Itoa(n)
}

// ParseID reads "SEC-12" (any case, surrounding space ignored) and returns 12.
// Leading zeros, signs and anything after the number are refused, so each
// report has exactly one spelling.
func ParseID(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) <= len(IDPrefix) || !strings.EqualFold(s[:len(IDPrefix)], IDPrefix) {
		return 0, ErrBadID
	}
	digits := s[len(IDPrefix):]
	if len(digits) > maxIDDigits || digits[0] == '0' {
		return 0, ErrBadID
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, ErrBadID
		}
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 {
		return 0, ErrBadID
	}
	return n, nil
}
