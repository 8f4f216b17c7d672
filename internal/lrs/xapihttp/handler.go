// Package xapihttp is the xAPI protocol at /xapi: statements, the State, Activity Profile and
// Agent Profile documents, the Activities, Agents and About resources, with HTTP Basic
// authentication of LRS clients, the version header, CORS for browser content and the alternate
// request syntax of xAPI 1.0.3. What is stored and how is internal/lrs.
package xapihttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
)

// Prefix is where the LRS answers.
const Prefix = "/xapi"

// Handler serves the xAPI resources.
type Handler struct {
	LRS *lrs.Service
	Log *slog.Logger
	// MaxBody bounds a request's body: statements, documents, and attachments all together.
	MaxBody int64
}

var resources = []string{"/about", "/statements", "/activities/state", "/activities/profile", "/agents/profile", "/activities", "/agents"}

// methods are the methods each resource answers, as its Allow header lists them.
var methods = map[string]string{
	"/statements":         "GET, HEAD, PUT, POST",
	"/activities/state":   "GET, HEAD, PUT, POST, DELETE",
	"/activities/profile": "GET, HEAD, PUT, POST, DELETE",
	"/agents/profile":     "GET, HEAD, PUT, POST, DELETE",
	"/activities":         "GET, HEAD",
	"/agents":             "GET, HEAD",
}

// Route names the resource a path is for, for metrics and logs: the path of a known resource,
// else Prefix + "/*".
func Route(path string) string {
	p := strings.TrimSuffix(strings.TrimPrefix(path, Prefix), "/")
	for _, r := range resources {
		if p == r {
			return Prefix + r
		}
	}
	return Prefix + "/*"
}

// Versions are the xAPI versions the About resource lists.
var Versions = []string{"1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"}

const versionHeader = "X-Experience-API-Version"

// request is one xAPI request after authentication and version negotiation.
type request struct {
	*http.Request
	version string
	client  *lrs.Client
	query   url.Values
	// body is the request's content (from the body or, in the alternate syntax, the content
	// form field); contentType its type.
	body        []byte
	contentType string
	header      http.Header
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Expose-Headers", "ETag, Last-Modified, Content-Type, Content-Length, X-Experience-API-Version, X-Experience-API-Consistent-Through")
	hd.Set("Cache-Control", "no-store")
	// Answers are data, never pages: documents keep the content type their client gave them,
	// which may claim to be HTML, so nothing here may be sniffed, framed or run.
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	hd.Set(versionHeader, xapi.V200)
	if r.Method == http.MethodOptions {
		hd.Set("Access-Control-Allow-Methods", "HEAD, GET, POST, PUT, DELETE, OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, If-None-Match, X-Experience-API-Version, X-Experience-API-Consistent-Through")
		hd.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	max := h.MaxBody
	if max <= 0 {
		max = 64 << 20
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, Prefix), "/")
	if path == "/about" {
		h.about(w, r)
		return
	}
	// A method a resource does not have is a 405 before anything else, credentials included
	// (Communication 3.2).
	if allow, ok := methods[path]; ok && !strings.Contains(", "+allow+", ", ", "+r.Method+", ") {
		if v, err := xapi.NegotiateVersion(r.Header.Get(versionHeader)); err == nil {
			hd.Set(versionHeader, v)
		}
		hd.Set("Allow", allow)
		h.fail(w, r, &lrs.Error{Status: http.StatusMethodNotAllowed, Message: r.Method + " is not allowed on " + r.URL.Path + "; use " + allow})
		return
	}
	req, err := h.prepare(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch path {
	case "/statements":
		err = h.statements(w, req)
	case "/activities/state":
		err = h.document(w, req, lrs.StateDoc)
	case "/activities/profile":
		err = h.document(w, req, lrs.ActivityProfileDoc)
	case "/agents/profile":
		err = h.document(w, req, lrs.AgentProfileDoc)
	case "/activities":
		err = h.activities(w, req)
	case "/agents":
		err = h.agents(w, req)
	default:
		err = &lrs.Error{Status: http.StatusNotFound, Message: "there is no xAPI resource at " + r.URL.Path}
	}
	if err != nil {
		h.fail(w, r, err)
	}
}

// prepare turns an alternate-syntax request into the request it stands for, negotiates the
// version and authenticates the client.
func (h *Handler) prepare(w http.ResponseWriter, r *http.Request) (*request, error) {
	req := &request{Request: r, query: r.URL.Query(), header: r.Header.Clone()}
	alternate := r.Method == http.MethodPost && req.query.Has("method")
	if alternate {
		if err := alternateSyntax(req); err != nil {
			return nil, err
		}
	}
	v, err := xapi.NegotiateVersion(req.header.Get(versionHeader))
	if err != nil {
		return nil, badRequest(err)
	}
	req.version = v
	w.Header().Set(versionHeader, v)
	if alternate && v != xapi.V103 {
		return nil, &lrs.Error{Status: http.StatusBadRequest, Message: "the alternate request syntax (?method=) is part of xAPI 1.0.3 only; send the request with its own method"}
	}
	key, secret, ok := basicAuth(req.header.Get("Authorization"))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="learnloop xAPI", charset="UTF-8"`)
		return nil, &lrs.Error{Status: http.StatusUnauthorized, Message: "send the LRS client's key and secret with HTTP Basic authentication"}
	}
	c, err := h.LRS.Authenticate(r.Context(), key, secret)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="learnloop xAPI", charset="UTF-8"`)
		return nil, err
	}
	req.client = c
	if !alternate && r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodDelete {
		req.contentType = r.Header.Get("Content-Type")
		if !strings.HasPrefix(req.contentType, "multipart/") {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, readError(err)
			}
			req.body = b
		}
	}
	return req, nil
}

// alternateSyntax reads a POST ?method=M request (xAPI 1.0.3 Communication 1.3 "Alternate
// Request Syntax"): the method from the query string, which may hold nothing else; the headers,
// the content and the other parameters from the form.
func alternateSyntax(req *request) error {
	m := req.query.Get("method")
	if len(req.query) != 1 {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "alternate request syntax: the query string may hold only method; send the other parameters in the form"}
	}
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		return &lrs.Error{Status: http.StatusBadRequest, Message: "alternate request syntax: method must be GET, HEAD, PUT, POST or DELETE"}
	}
	ct := req.Request.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "alternate request syntax: the body must be application/x-www-form-urlencoded"}
	}
	b, err := io.ReadAll(req.Request.Body)
	if err != nil {
		return readError(err)
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "alternate request syntax: the form cannot be read: " + err.Error()}
	}
	req.query = url.Values{}
	// The request's own Content-Type and Content-Length describe the form; the content's come
	// from the form, if at all.
	req.header.Del("Content-Type")
	req.header.Del("Content-Length")
	for k, vs := range form {
		switch strings.ToLower(k) {
		case "authorization", "x-experience-api-version", "content-type", "content-length", "if-match", "if-none-match":
			req.header.Set(k, vs[0])
		case "content":
			req.body = []byte(vs[0])
		default:
			req.query[k] = vs
		}
	}
	req.contentType = req.header.Get("Content-Type")
	if m == http.MethodPut || m == http.MethodPost {
		if req.contentType == "" {
			req.contentType = "application/json"
		}
	}
	req.Request = req.Request.Clone(req.Context())
	req.Request.Method = m
	return nil
}

func basicAuth(h string) (user, pass string, ok bool) {
	r := &http.Request{Header: http.Header{"Authorization": {h}}}
	return r.BasicAuth()
}

func (h *Handler) about(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, r, &lrs.Error{Status: http.StatusMethodNotAllowed, Message: "the About resource only answers GET"})
		return
	}
	if v, err := xapi.NegotiateVersion(r.Header.Get(versionHeader)); err == nil {
		w.Header().Set(versionHeader, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": Versions, "extensions": map[string]any{}})
}

// fail answers an error with its status and a JSON message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "an internal error occurred"
	var le *lrs.Error
	var xe *xapi.Error
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &le):
		status, msg = le.Status, le.Message
	case errors.As(err, &xe):
		status, msg = xe.Status, xe.Error()
		if status == 0 {
			status = http.StatusBadRequest
		}
	case errors.As(err, &tooBig):
		status, msg = http.StatusRequestEntityTooLarge, "the request is larger than "+strconv.FormatInt(tooBig.Limit, 10)+" bytes"
	case core.ErrorCode(err) != core.EINTERNAL:
		switch core.ErrorCode(err) {
		case core.EUNAUTHORIZED:
			status = http.StatusUnauthorized
		case core.EFORBIDDEN:
			status = http.StatusForbidden
		case core.ENOTFOUND:
			status = http.StatusNotFound
		case core.ECONFLICT:
			status = http.StatusConflict
		default:
			status = http.StatusBadRequest
		}
		msg = core.ErrorMessage(err)
	default:
		h.Log.ErrorContext(r.Context(), "xapi request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]any{"error": true, "message": msg})
}

func badRequest(err error) error {
	var xe *xapi.Error
	if errors.As(err, &xe) {
		return err
	}
	return &lrs.Error{Status: http.StatusBadRequest, Message: err.Error()}
}

func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return &lrs.Error{Status: http.StatusBadRequest, Message: "the request body could not be read"}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// forbidden is the answer to a client without the scope a request needs.
func forbidden(scope string) error {
	return &lrs.Error{Status: http.StatusForbidden, Message: "this LRS client lacks the " + scope + " scope"}
}

// params checks that the query holds only the allowed parameters.
func params(q url.Values, allowed ...string) error {
	for k := range q {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "unknown parameter " + k + "; this resource takes " + strings.Join(allowed, ", ")}
		}
	}
	return nil
}
