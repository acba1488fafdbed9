package config

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// lookup finds a setting in the raw map the server holds. The server stores
// keys lowercased; another spelling (a config edited by hand) still matches,
// case-insensitively, as when the settings were decoded with encoding/json.
func lookup(raw map[string]any, key string) (any, bool) {
	lower := strings.ToLower(key)
	if v, ok := raw[lower]; ok {
		return v, true
	}
	for k, v := range raw {
		if strings.EqualFold(k, lower) {
			return v, true
		}
	}
	return nil, false
}

// textOf is the text every parser reads. Text fields store strings and bool
// fields booleans; a number field stores a JSON number, which decodes as a
// float64 (or json.Number, or an integer when the map was built in Go). Reading
// numbers as their decimal text lets one parser accept "10" and 10 alike, and
// refuse 2.5 as it refuses "2.5".
func textOf(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case json.Number:
		return v.String(), nil
	default:
		return "", errors.Errorf("holds a %T; expected text, a number or true/false", v)
	}
}
