package config

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// into turns a parser of one value into a row's parser that stores the value in
// the field dst picks.
func into[T any](parse func(string) (T, error), dst func(*Settings) *T) func(string, *Settings) error {
	return func(text string, s *Settings) error {
		v, err := parse(text)
		if err != nil {
			return err
		}
		*dst(s) = v
		return nil
	}
}

// trimmed is the parser of free text whose surrounding spaces mean nothing.
func trimmed(text string) (string, error) {
	return strings.TrimSpace(text), nil
}

// verbatim is the parser of text kept as the admin wrote it.
func verbatim(text string) (string, error) {
	return text, nil
}

// parseCount reads a whole number of at least 1.
func parseCount(text string) (int, error) {
	text = strings.TrimSpace(text)
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, errors.Errorf("%q must be a whole number", text)
	}
	if n < 1 {
		return 0, errors.Errorf("%q must be at least 1", text)
	}
	return n, nil
}

// parseBool reads a bool setting. The System Console stores a JSON boolean,
// which reaches the parser as "true" or "false"; a hand-edited config may hold
// the text.
func parseBool(text string) (bool, error) {
	text = strings.TrimSpace(text)
	b, err := strconv.ParseBool(text)
	if err != nil {
		return false, errors.Errorf("%q is not true or false", text)
	}
	return b, nil
}

// parseHTTPURL reads an optional http(s) URL.
func parseHTTPURL(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil
	}
	u, err := url.Parse(text)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.Errorf("%q is not an http(s) URL", text)
	}
	return text, nil
}
