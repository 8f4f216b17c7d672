package core

import (
	"encoding/base64"
	"encoding/json"
)

// DefaultLimit and MaxLimit bound every list.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// ClampLimit returns a usable page size for a requested one (0 means the default).
func ClampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// EncodeCursor turns the sort key of the last row on a page into an opaque cursor.
func EncodeCursor(key ...string) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor with n key parts.
func DecodeCursor(s string, n int) ([]string, error) {
	bad := Invalid("cursor", "the cursor is not valid; start again from the first page")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var key []string
	if json.Unmarshal(b, &key) != nil || len(key) != n {
		return nil, bad
	}
	return key, nil
}
