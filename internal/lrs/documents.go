package lrs

import (
	"bytes"
	"context"
	"crypto/sha1" // #nosec G505 -- an ETag names a version of a document; it guards nothing
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/db"
)

// The document kinds (xAPI Communication 2.3–2.6).
const (
	StateDoc           = "state"
	ActivityProfileDoc = "activity"
	AgentProfileDoc    = "agent"
)

// DocKey names a document: its kind and, as the kind needs, the activity, the agent (key), the
// registration, and its id (stateId or profileId).
type DocKey struct {
	Kind, Activity, Agent, Registration, ID string
	// AnyRegistration makes listing and deleting State documents cover every registration:
	// what a request without a registration parameter means for them (Communication 2.3).
	AnyRegistration bool
}

// where is the condition on xapi_documents for the documents under k (its ID aside).
func (k DocKey) where() (string, []any) {
	if k.AnyRegistration {
		return `kind = ? AND activity_id = ? AND agent = ?`, []any{k.Kind, k.Activity, k.Agent}
	}
	return `kind = ? AND activity_id = ? AND agent = ? AND registration = ?`, []any{k.Kind, k.Activity, k.Agent, k.Registration}
}

// Document is a stored document.
type Document struct {
	DocKey
	ContentType string
	Content     []byte
	ETag        string // without quotes
	Updated     time.Time
}

// Precondition is what a write requires of the document's current version (RFC 9110 13.1):
// IfMatch an ETag (or "*": any version), IfNoneMatch "*" (no version).
type Precondition struct {
	IfMatch, IfNoneMatch string
	// Required makes a write of an existing document without either header a 409 (the spec's
	// rule for profiles, and for every document in xAPI 2.0).
	Required bool
}

// ETag returns the entity tag of content: its SHA-1 in hex, as the spec suggests.
func ETag(content []byte) string {
	h := sha1.Sum(content) // #nosec G401 -- see the import
	return hex.EncodeToString(h[:])
}

// Document returns one document.
func (s *Service) Document(ctx context.Context, k DocKey) (*Document, error) {
	d := &Document{DocKey: k}
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT content_type, content, etag, updated FROM xapi_documents WHERE kind = ? AND activity_id = ? AND agent = ? AND registration = ? AND doc_id = ?`,
		k.Kind, k.Activity, k.Agent, k.Registration, k.ID).Scan(&d.ContentType, &d.Content, &d.ETag, &d.Updated)
	if db.IsNoRows(err) {
		return nil, errorf(http.StatusNotFound, "no document with the id %q", k.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("read document: %w", err)
	}
	d.Updated = d.Updated.UTC()
	return d, nil
}

// DocumentIDs lists the ids of the documents under k (its ID is ignored), updated after since
// when since is set.
func (s *Service) DocumentIDs(ctx context.Context, k DocKey, since time.Time) ([]string, error) {
	cond, args := k.where()
	q := `SELECT DISTINCT doc_id FROM xapi_documents WHERE ` + cond
	if !since.IsZero() {
		q += ` AND updated > ?`
		args = append(args, since)
	}
	rows, err := s.DB.Reader().QueryContext(ctx, q+` ORDER BY doc_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return db.Collect(rows, db.ScanString)
}

// check applies a precondition to the current document (nil when there is none).
func (p Precondition) check(cur *Document) error {
	switch {
	case p.IfMatch != "":
		if cur == nil || (p.IfMatch != "*" && !etagListHas(p.IfMatch, cur.ETag)) {
			return errorf(http.StatusPreconditionFailed, "If-Match: the document has changed (or does not exist); read it again")
		}
	case p.IfNoneMatch != "":
		if cur != nil && (p.IfNoneMatch == "*" || etagListHas(p.IfNoneMatch, cur.ETag)) {
			return errorf(http.StatusPreconditionFailed, "If-None-Match: the document exists already")
		}
	case p.Required && cur != nil:
		return errorf(http.StatusConflict, "the document exists: send If-Match with its ETag to change it, or If-None-Match: * to create it only if it does not exist")
	}
	return nil
}

func etagListHas(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if strings.Trim(t, `"`) == etag {
			return true
		}
	}
	return false
}

// PutDocument stores a document: it replaces the current one, or with merge (POST) merges a JSON
// object into the current JSON object, key by key (xAPI Communication 1.3 "JSON Procedure with
// Requirements"). clientID records who wrote it.
func (s *Service) PutDocument(ctx context.Context, k DocKey, contentType string, content []byte, merge bool, pre Precondition, clientID string) (*Document, error) {
	var out *Document
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		cur, err := currentDocument(ctx, tx, k)
		if err != nil {
			return err
		}
		if err := pre.check(cur); err != nil {
			return err
		}
		if merge {
			newObj, ok := jsonObject(contentType, content)
			if !ok {
				if cur != nil {
					return errorf(http.StatusBadRequest, "POST merges JSON objects: the document sent is not a JSON object with Content-Type application/json")
				}
			} else if cur != nil {
				old, ok := jsonObject(cur.ContentType, cur.Content)
				if !ok {
					return errorf(http.StatusBadRequest, "POST merges JSON objects: the stored document is not a JSON object; replace it with PUT")
				}
				for key, v := range newObj {
					old[key] = v
				}
				if content, err = json.Marshal(old); err != nil {
					return err
				}
				contentType = "application/json"
			}
		}
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		out = &Document{DocKey: k, ContentType: contentType, Content: content, ETag: ETag(content), Updated: s.Clock.Now().UTC().Truncate(time.Millisecond)}
		var client any
		if clientID != "" {
			client = clientID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO xapi_documents (kind, activity_id, agent, registration, doc_id, content_type, content, etag, updated, client_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, activity_id, agent, registration, doc_id) DO UPDATE SET content_type = excluded.content_type, content = excluded.content,
				etag = excluded.etag, updated = excluded.updated, client_id = excluded.client_id`,
			k.Kind, k.Activity, k.Agent, k.Registration, k.ID, out.ContentType, out.Content, out.ETag, out.Updated, client)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteDocument deletes one document (k.ID set) or, for State only, all the documents under
// the activity, agent and registration (k.ID empty).
func (s *Service) DeleteDocument(ctx context.Context, k DocKey, pre Precondition) error {
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if k.ID == "" {
			cond, args := k.where()
			_, err := tx.ExecContext(ctx, `DELETE FROM xapi_documents WHERE `+cond, args...)
			return err
		}
		cur, err := currentDocument(ctx, tx, k)
		if err != nil {
			return err
		}
		pre.Required = false // a delete without preconditions is allowed
		if err := pre.check(cur); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM xapi_documents WHERE kind = ? AND activity_id = ? AND agent = ? AND registration = ? AND doc_id = ?`,
			k.Kind, k.Activity, k.Agent, k.Registration, k.ID)
		return err
	})
}

func currentDocument(ctx context.Context, tx *db.Tx, k DocKey) (*Document, error) {
	d := &Document{DocKey: k}
	err := tx.QueryRowContext(ctx, `SELECT content_type, content, etag FROM xapi_documents WHERE kind = ? AND activity_id = ? AND agent = ? AND registration = ? AND doc_id = ?`,
		k.Kind, k.Activity, k.Agent, k.Registration, k.ID).Scan(&d.ContentType, &d.Content, &d.ETag)
	if db.IsNoRows(err) {
		return nil, nil
	}
	return d, err
}

// jsonObject decodes content as a JSON object when its type says JSON.
func jsonObject(contentType string, content []byte) (map[string]any, bool) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt != "application/json" {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(content))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil || m == nil || d.More() {
		return nil, false
	}
	return m, true
}
