// Package httpx holds what the HTML and JSON handlers share: the request's authentication in the
// context, error codes mapped to HTTP statuses, problem+json answers (RFC 9457), strict JSON
// decoding and the client's address. It knows core, never a domain package.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
)

// Auth is what the server knows about a request's sender.
type Auth struct {
	Actor *core.Actor // nil for an anonymous request
	// SessionToken is the browser session's cookie value ("" for tokens and anonymous requests).
	SessionToken string
	// CSRF is the token forms must send back.
	CSRF string
	// ClientIP is the client's address (see ClientIP).
	ClientIP string
}

// Info is filled in as a request is handled, for logs and metrics.
type Info struct {
	Pattern string // the route that served the request
	Auth    *Auth
}

type ctxKey int

const (
	authKey ctxKey = iota
	infoKey
)

// WithAuth returns ctx carrying a.
func WithAuth(ctx context.Context, a *Auth) context.Context {
	if i := InfoFrom(ctx); i != nil {
		i.Auth = a
	}
	return context.WithValue(ctx, authKey, a)
}

// AuthFrom returns the request's Auth, never nil.
func AuthFrom(ctx context.Context) *Auth {
	if a, ok := ctx.Value(authKey).(*Auth); ok {
		return a
	}
	return &Auth{}
}

// Actor returns the acting account of r, or nil.
func Actor(r *http.Request) *core.Actor { return AuthFrom(r.Context()).Actor }

// WithInfo returns ctx carrying a fresh Info.
func WithInfo(ctx context.Context) (context.Context, *Info) {
	i := &Info{}
	return context.WithValue(ctx, infoKey, i), i
}

// InfoFrom returns the request's Info or nil.
func InfoFrom(ctx context.Context) *Info {
	i, _ := ctx.Value(infoKey).(*Info)
	return i
}

// Status maps an error code to its HTTP status.
func Status(err error) int {
	switch core.ErrorCode(err) {
	case "":
		return http.StatusOK
	case core.EINVALID:
		return http.StatusUnprocessableEntity
	case core.ENOTFOUND:
		return http.StatusNotFound
	case core.ECONFLICT:
		return http.StatusConflict
	case core.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case core.EFORBIDDEN:
		return http.StatusForbidden
	case core.ETOOMANY:
		return http.StatusTooManyRequests
	case core.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case core.EMETHOD:
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// LogError logs err when it is internal: user errors are answers, not faults.
func LogError(log *slog.Logger, r *http.Request, err error) {
	if core.ErrorCode(err) == core.EINTERNAL {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// Problem is an RFC 9457 problem detail, with learnloop's extension members.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Code     string         `json:"code"`
	Field    string         `json:"field,omitempty"`
	Errors   []FieldProblem `json:"errors,omitempty"`
	// Report carries an import report when a file was refused.
	Report any `json:"report,omitempty"`
}

// FieldProblem names one bad input field.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// WriteProblem answers err as application/problem+json and logs it when it is internal.
func WriteProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	WriteProblemWith(w, r, log, err, nil)
}

// WriteProblemWith answers err as problem+json carrying a report.
func WriteProblemWith(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error, report any) {
	LogError(log, r, err)
	status := Status(err)
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: core.ErrorMessage(err),
		Instance: r.URL.Path, Code: core.ErrorCode(err), Report: report}
	if e := core.AsError(err); e != nil {
		p.Field = e.Field
		for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
			p.Errors = append(p.Errors, FieldProblem{Field: f, Message: e.Fields[f]})
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="learnloop"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// File writes a download whose headers (type, attachment name) go out with its first byte, so a
// handler whose export fails before writing anything can still answer the error instead.
type File struct {
	W           http.ResponseWriter
	ContentType string
	Filename    string
	started     bool
}

func (f *File) Write(b []byte) (int, error) {
	if !f.started {
		f.started = true
		f.W.Header().Set("Content-Type", f.ContentType)
		f.W.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(f.Filename, `"`, "")+`"`)
	}
	return f.W.Write(b)
}

// Started reports whether the download has begun: an error after that can only be logged.
func (f *File) Started() bool { return f.started }

// MaxJSONBody bounds JSON request bodies.
const MaxJSONBody = 1 << 20

// DecodeJSON reads one JSON object from r's body into dst, refusing unknown fields, trailing
// data and bodies over MaxJSONBody, with errors that name the field at fault.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	return DecodeJSONUpTo(w, r, dst, MaxJSONBody)
}

// DecodeJSONUpTo is DecodeJSON for bodies of up to max bytes, such as whole documents uploaded
// for import.
func DecodeJSONUpTo(w http.ResponseWriter, r *http.Request, dst any, max int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return core.Invalid("Content-Type", "send the body as application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return core.Invalid("body", "the body must hold exactly one JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return core.Errorf(core.ETOOLARGE, "the body is larger than %d bytes", tooBig.Limit)
	case errors.As(err, &syn):
		return core.Invalid("body", "malformed JSON at byte %d", syn.Offset)
	case errors.Is(err, io.EOF):
		return core.Invalid("body", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return core.Invalid("body", "the JSON body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return core.Invalid(field, "must be %s", jsonType(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return core.Invalid(f, "unknown field %q", f)
	}
	// Errors from a field's own UnmarshalText (a bad date) carry their message.
	return core.Invalid("body", "%s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "a number"
}

// ReadBody reads a whole request body of at most limit bytes (an uploaded file).
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, core.Errorf(core.ETOOLARGE, "the file is larger than %s", Bytes(limit))
	}
	return b, err
}

// Bytes formats a size for people ("64 MB").
func Bytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ClientIP returns the client's address: the connection's peer, or, when the peer is a trusted
// proxy, the last untrusted address in X-Forwarded-For.
func ClientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !isTrusted(a, trusted) {
			return a.String()
		}
	}
	return addr.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// Stored describes an uploaded file being served back.
type Stored struct {
	Filename    string
	ContentType string
	ETag        string // a strong validator, quoted
	Inline      bool   // shown in the browser rather than downloaded
	ModTime     time.Time
}

// ServeStored answers a stored upload with range requests and conditional requests
// (http.ServeContent), under headers that keep it inert: the type is the one sniffed at upload,
// never guessed again (nosniff); the content runs in a sandbox without scripts, plugins or
// requests of its own; other sites cannot embed it; and the file name travels as an RFC 6266
// header that no name can break. PDFs are the exception to the sandbox: browsers show them
// with a plugin-like viewer that a sandboxed document may not start, so a PDF gets only
// frame-ancestors; the viewers run a PDF's scripts, if at all, away from learnloop's pages.
func ServeStored(w http.ResponseWriter, r *http.Request, f Stored, content io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if f.ContentType == "application/pdf" && f.Inline {
		h.Set("Content-Security-Policy", "frame-ancestors 'self'")
	} else {
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	}
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, no-cache")
	if f.ETag != "" {
		h.Set("ETag", f.ETag)
	}
	disposition := "attachment"
	if f.Inline {
		disposition = "inline"
	}
	h.Set("Content-Disposition", ContentDisposition(disposition, f.Filename))
	http.ServeContent(w, r, "", f.ModTime, content)
}

// ContentDisposition returns a Content-Disposition value (RFC 6266) naming the file twice: an
// ASCII filename for old clients and the exact name as a percent-encoded UTF-8 filename*
// (RFC 8187), which every current browser prefers.
func ContentDisposition(disposition, filename string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, filename)
	var enc strings.Builder
	for _, b := range []byte(filename) {
		if isAttrChar(b) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, disposition, ascii, enc.String())
}

// isAttrChar reports whether b may stand unencoded in an RFC 8187 value (attr-char).
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
