package core

import (
	"github.com/google/uuid"
)

// NewID returns a new time-ordered identifier (UUIDv7), so rows created later sort later and
// indexes stay append-mostly.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// ValidID reports whether s is a well-formed identifier. Handlers check IDs from URLs with it so a
// malformed one is a clean 404 instead of a database round trip.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}
