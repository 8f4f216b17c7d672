package xapihttp

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/lrs"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
)

// statements serves /xapi/statements (xAPI Communication 2.1).
func (h *Handler) statements(w http.ResponseWriter, r *request) error {
	switch r.Method {
	case http.MethodPut:
		return h.putStatement(w, r)
	case http.MethodPost:
		return h.postStatements(w, r)
	case http.MethodGet, http.MethodHead:
		return h.getStatements(w, r)
	}
	w.Header().Set("Allow", "GET, HEAD, PUT, POST")
	return &lrs.Error{Status: http.StatusMethodNotAllowed, Message: r.Method + " is not allowed on statements; use GET, PUT or POST"}
}

// parse reads the statements of a PUT or POST: JSON, or multipart/mixed with attachments.
func (h *Handler) parse(r *request, one bool) ([]*xapi.Statement, []xapi.Part, error) {
	mt, _, err := mime.ParseMediaType(r.contentType)
	if err != nil && r.contentType != "" {
		return nil, nil, &lrs.Error{Status: http.StatusBadRequest, Message: "Content-Type: " + err.Error()}
	}
	var sts []*xapi.Statement
	var parts []xapi.Part
	var array bool
	switch mt {
	case "application/json", "":
		if one {
			st, err := xapi.ParseStatement(r.body, r.version)
			if err != nil {
				return nil, nil, err
			}
			sts = []*xapi.Statement{st}
		} else if sts, array, err = xapi.ParseStatements(r.body, r.version); err != nil {
			return nil, nil, err
		}
	case "multipart/mixed":
		max := h.MaxBody
		if max <= 0 {
			max = 64 << 20
		}
		if sts, array, parts, err = xapi.ParseMultipart(r.Body, r.contentType, max, r.version); err != nil {
			return nil, nil, err
		}
		if one && (array || len(sts) != 1) {
			return nil, nil, &lrs.Error{Status: http.StatusBadRequest, Message: "PUT takes one statement, not an array"}
		}
	default:
		return nil, nil, &lrs.Error{Status: http.StatusBadRequest, Message: "Content-Type must be application/json or multipart/mixed, not " + mt}
	}
	_ = array // the batch's shape does not matter once parsed
	// Signed statements were verified against their signature parts by ParseMultipart.
	return sts, parts, nil
}

func (h *Handler) putStatement(w http.ResponseWriter, r *request) error {
	if !r.client.Can(lrs.ScopeStatementsWrite) {
		return forbidden(lrs.ScopeStatementsWrite)
	}
	if err := params(r.query, "statementId"); err != nil {
		return err
	}
	id := r.query.Get("statementId")
	if id == "" {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "statementId: PUT needs the statement's id as the statementId parameter"}
	}
	if !xapi.ValidUUID(id) {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "statementId: " + strconv.Quote(id) + " is not a UUID"}
	}
	sts, parts, err := h.parse(r, true)
	if err != nil {
		return err
	}
	st := sts[0]
	id = strings.ToLower(id)
	if st.ID != "" && st.ID != id {
		return &lrs.Error{Status: http.StatusBadRequest, Message: "id: the statement's id " + st.ID + " differs from statementId " + id}
	}
	st.ID = id
	if _, err := h.LRS.Store(r.Context(), r.client, r.version, sts, parts); err != nil {
		return err
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) postStatements(w http.ResponseWriter, r *request) error {
	if !r.client.Can(lrs.ScopeStatementsWrite) {
		return forbidden(lrs.ScopeStatementsWrite)
	}
	if err := params(r.query); err != nil {
		return err
	}
	sts, parts, err := h.parse(r, false)
	if err != nil {
		return err
	}
	ids, err := h.LRS.Store(r.Context(), r.client, r.version, sts, parts)
	if err != nil {
		return err
	}
	if ids == nil {
		ids = []string{}
	}
	writeJSON(w, http.StatusOK, ids)
	return nil
}

var queryParams = []string{"statementId", "voidedStatementId", "agent", "verb", "activity", "registration", "related_activities", "related_agents",
	"since", "until", "limit", "format", "attachments", "ascending", "more"}

func (h *Handler) getStatements(w http.ResponseWriter, r *request) error {
	if !r.client.CanRead() {
		return forbidden(lrs.ScopeStatementsRead)
	}
	q := r.query
	if err := params(q, queryParams...); err != nil {
		return err
	}
	format := q.Get("format")
	switch format {
	case "", "exact", "ids", "canonical":
	default:
		return &lrs.Error{Status: http.StatusBadRequest, Message: "format: must be exact, ids or canonical"}
	}
	attachments, err := boolParam(q, "attachments")
	if err != nil {
		return err
	}
	mine := ""
	if r.client.ReadsOnlyOwn() {
		mine = r.client.ID
	}
	langs := xapi.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	w.Header().Set("X-Experience-API-Consistent-Through", time.Now().UTC().Format(lrs.StoredLayout))
	if q.Has("statementId") || q.Has("voidedStatementId") {
		for k := range q {
			if k != "statementId" && k != "voidedStatementId" && k != "format" && k != "attachments" {
				return &lrs.Error{Status: http.StatusBadRequest, Message: k + ": not allowed with statementId or voidedStatementId"}
			}
		}
		if q.Has("statementId") && q.Has("voidedStatementId") {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "send statementId or voidedStatementId, not both"}
		}
		name, voided := "statementId", false
		if q.Has("voidedStatementId") {
			name, voided = "voidedStatementId", true
		}
		id := q.Get(name)
		if !xapi.ValidUUID(id) {
			return &lrs.Error{Status: http.StatusBadRequest, Message: name + ": " + strconv.Quote(id) + " is not a UUID"}
		}
		body, err := h.LRS.Statement(r.Context(), id, voided, mine)
		if err != nil {
			return err
		}
		out, stored, err := formatOne(body, format, langs)
		if err != nil {
			return err
		}
		if t, err := time.Parse(time.RFC3339Nano, stored); err == nil {
			w.Header().Set("Last-Modified", t.UTC().Format(http.TimeFormat))
		}
		return h.answer(w, r, out, [][]byte{body}, attachments)
	}
	var query lrs.Query
	if more := q.Get("more"); more != "" {
		if len(q) != 1 {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "more: send it alone; it carries the query it continues"}
		}
		if query, err = lrs.ParseMore(more); err != nil {
			return err
		}
		if query.Client != mine {
			return &lrs.Error{Status: http.StatusBadRequest, Message: "more: not a continuation this client was given"}
		}
	} else {
		if query, err = parseQuery(q, r.version); err != nil {
			return err
		}
		query.Client = mine
		query.Format, query.Attachments = format, attachments
	}
	page, err := h.LRS.Statements(r.Context(), query)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(`{"statements":[`)
	for i, st := range page.Statements {
		if i > 0 {
			buf.WriteByte(',')
		}
		if query.Format == "" || query.Format == "exact" {
			buf.Write(st) // stored normalized (xapi.Normalize)
			continue
		}
		out, _, err := formatOne(st, query.Format, langs)
		if err != nil {
			return err
		}
		buf.Write(out)
	}
	buf.WriteString(`],"more":`)
	more := ""
	if page.More != "" {
		more = Prefix + "/statements?more=" + page.More
	}
	mb, _ := json.Marshal(more)
	buf.Write(mb)
	buf.WriteString("}")
	bodies := make([][]byte, len(page.Statements))
	for i, s := range page.Statements {
		bodies[i] = s
	}
	return h.answer(w, r, buf.Bytes(), bodies, query.Attachments)
}

// answer writes a statements answer, as multipart/mixed with the attachments' contents when
// attachments were asked for.
func (h *Handler) answer(w http.ResponseWriter, r *request, body []byte, statements [][]byte, attachments bool) error {
	if !attachments {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
		return nil
	}
	var hashes []string
	seen := map[string]bool{}
	for _, s := range statements {
		var st struct {
			Attachments []struct {
				SHA2 string `json:"sha2"`
			} `json:"attachments"`
		}
		if err := json.Unmarshal(s, &st); err != nil {
			return err
		}
		for _, a := range st.Attachments {
			if !seen[a.SHA2] {
				seen[a.SHA2] = true
				hashes = append(hashes, a.SHA2)
			}
		}
	}
	parts, err := h.LRS.Attachments(r.Context(), hashes)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	ct, err := xapi.WriteMultipart(&buf, body, parts)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// formatOne formats a stored statement as asked and returns it with its stored time.
func formatOne(body []byte, format string, langs []string) ([]byte, string, error) {
	tree, err := xapi.DecodeTree(body)
	if err != nil {
		return nil, "", err
	}
	stored, _ := tree["stored"].(string)
	if format == "" || format == "exact" {
		return body, stored, nil // stored normalized (xapi.Normalize)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(xapi.Format(tree, format, langs)); err != nil {
		return nil, "", err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), stored, nil
}

func boolParam(q map[string][]string, name string) (bool, error) {
	v := ""
	if vs := q[name]; len(vs) > 0 {
		v = vs[0]
	}
	switch v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, &lrs.Error{Status: http.StatusBadRequest, Message: name + ": must be true or false"}
}

// parseQuery reads the filters of a statement query.
func parseQuery(q map[string][]string, version string) (lrs.Query, error) {
	var out lrs.Query
	get := func(k string) string {
		if vs := q[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	var err error
	if a := get("agent"); a != "" {
		if _, out.Agent, err = xapi.ParseAgent("agent", []byte(a), version); err != nil {
			return out, err
		}
		if out.Agent == "" {
			return out, &lrs.Error{Status: http.StatusBadRequest, Message: "agent: must be an agent or an identified group"}
		}
	}
	if v := get("verb"); v != "" {
		if !xapi.ValidIRI(v) {
			return out, &lrs.Error{Status: http.StatusBadRequest, Message: "verb: " + strconv.Quote(v) + " is not an IRI"}
		}
		out.Verb = v
	}
	if v := get("activity"); v != "" {
		if !xapi.ValidIRI(v) {
			return out, &lrs.Error{Status: http.StatusBadRequest, Message: "activity: " + strconv.Quote(v) + " is not an IRI"}
		}
		out.Activity = v
	}
	if v := get("registration"); v != "" {
		if !xapi.ValidUUID(v) {
			return out, &lrs.Error{Status: http.StatusBadRequest, Message: "registration: " + strconv.Quote(v) + " is not a UUID"}
		}
		out.Registration = strings.ToLower(v)
	}
	if out.RelatedAgents, err = boolParam(q, "related_agents"); err != nil {
		return out, err
	}
	if out.RelatedActivities, err = boolParam(q, "related_activities"); err != nil {
		return out, err
	}
	if out.Ascending, err = boolParam(q, "ascending"); err != nil {
		return out, err
	}
	for _, p := range []struct {
		name string
		to   *time.Time
	}{{"since", &out.Since}, {"until", &out.Until}} {
		if v := get(p.name); v != "" {
			t, err := xapi.ParseTimestamp(v)
			if err != nil {
				return out, &lrs.Error{Status: http.StatusBadRequest, Message: p.name + ": " + strconv.Quote(v) + " is not an ISO 8601 timestamp"}
			}
			*p.to = t
		}
	}
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return out, &lrs.Error{Status: http.StatusBadRequest, Message: "limit: must be a whole number, 0 or more"}
		}
		out.Limit = n
	}
	return out, nil
}
