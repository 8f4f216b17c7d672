package xapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Error is a validation failure. Path names the property at fault, such as "actor.mbox",
// "context.contextActivities.parent[1].id" or "[3].verb.display" for the fourth statement of a
// batch; Message says what is wrong; Status is the HTTP status the LRS answers with (400 nearly
// always, 413 for a body over its size limit).
type Error struct {
	Path    string
	Message string
	Status  int
}

// Error returns Path + ": " + Message, or Message alone when Path is empty.
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// badRequest builds a 400 *Error.
func badRequest(path, format string, args ...any) *Error {
	return &Error{Path: path, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// pathSeg is one step of the path to a value: an object property (idx < 0) or an array index.
type pathSeg struct {
	key string
	idx int
}

// pathString renders segments as "a.b[2].c"; leaf, when not empty, is appended as a property.
func pathString(segs []pathSeg, leaf string) string {
	var b strings.Builder
	for _, s := range segs {
		if s.idx >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	if leaf != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(leaf)
	}
	return b.String()
}
