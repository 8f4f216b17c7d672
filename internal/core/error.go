// Package core is learnloop's shared kernel: error codes, identifiers, the clock, dates and the
// acting user with its permissions. It imports nothing from the rest of learnloop.
package core

import (
	"errors"
	"fmt"
)

// Error codes. Every error that reaches a user carries one of them.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	ETOOLARGE     = "too_large"
	EMETHOD       = "method_not_allowed"
	EINTERNAL     = "internal"
)

// Error is an error a user may see. Message is safe to show; Field names the input at fault, when
// there is one, so that forms and problem+json answers can point at it.
type Error struct {
	Code    string
	Message string
	Field   string
	// Fields holds one message per field when several inputs are wrong at once.
	Fields map[string]string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an ENOTFOUND error for a kind of thing ("person", "role").
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Message: what + " not found"}
}

// Forbidden is returned when the actor may not do what they asked.
var Forbidden = &Error{Code: EFORBIDDEN, Message: "you are not allowed to do this"}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the message of its *Error, or a generic
// sentence for internal errors, whose details belong in the log only.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Validation collects field errors so that a form can show all of them at once.
type Validation struct {
	fields map[string]string
	first  string
}

// Add records msg for field unless the field already has a message.
func (v *Validation) Add(field, format string, args ...any) {
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, ok := v.fields[field]; ok {
		return
	}
	if v.first == "" {
		v.first = field
	}
	v.fields[field] = fmt.Sprintf(format, args...)
}

// Err returns nil when nothing was added, else an EINVALID *Error naming every field.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Field: v.first, Message: v.fields[v.first], Fields: v.fields}
}
