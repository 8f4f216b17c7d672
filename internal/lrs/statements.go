package lrs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/lrs/xapi"
)

// StoredLayout is how stored and default timestamps are written: RFC 3339 in UTC with
// milliseconds. Stored times are kept at that precision, so a stored value read from a statement
// and sent back as since or until means exactly that statement.
const StoredLayout = "2006-01-02T15:04:05.000Z"

// Error is an xAPI error: the HTTP status the LRS answers and a message.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// Authority is the agent an LRS client stands for in the statements it stores.
func (s *Service) Authority(c *Client) map[string]any {
	if c == nil {
		return map[string]any{"objectType": "Agent", "name": "learnloop", "account": map[string]any{"homePage": s.HomePage, "name": "learnloop"}}
	}
	return map[string]any{"objectType": "Agent", "name": c.Name, "account": map[string]any{"homePage": s.HomePage + "/xapi/clients", "name": c.Key}}
}

// PersonAccount is how learnloop names a person in statements.
func (s *Service) PersonAccount(personID, name string) map[string]any {
	a := map[string]any{"objectType": "Agent", "account": map[string]any{"homePage": s.HomePage, "name": personID}}
	if name != "" {
		a["name"] = name
	}
	return a
}

// Store stores statements sent by c (nil: learnloop itself) in one transaction: all of them or,
// on any error, none. It returns their ids, assigning ids to statements that had none. A
// statement whose id is already stored is skipped when it is the same statement by the spec's
// comparison rules and refused with 409 when it is not. parts are the attachment contents of a
// multipart request, already checked against the statements' hashes.
func (s *Service) Store(ctx context.Context, c *Client, version string, sts []*xapi.Statement, parts []xapi.Part) ([]string, error) {
	ids := make([]string, len(sts))
	seen := make(map[string]int, len(sts))
	var given []any
	for i, st := range sts {
		if st.ID == "" {
			st.ID = newUUID()
		} else {
			given = append(given, st.ID)
		}
		if j, dup := seen[st.ID]; dup {
			return nil, errorf(http.StatusBadRequest, "statements %d and %d of the batch have the same id %s", j, i, st.ID)
		}
		seen[st.ID] = i
		ids[i] = st.ID
	}
	prep, err := s.prepare(ctx, s.DB.Reader(), c, version, sts)
	if err != nil {
		return nil, err
	}
	if err := s.commit(&write{c: c, version: version, sts: sts, given: given, parts: parts, prep: prep}); err != nil {
		return nil, err
	}
	return ids, nil
}

// Import stores statements read from a file, with learnloop as their authority, in one
// transaction: all of them or none. It returns how many were new.
func (s *Service) Import(ctx context.Context, version string, sts []*xapi.Statement) (int, error) {
	seen := make(map[string]int, len(sts))
	for i, st := range sts {
		if st.ID == "" {
			st.ID = newUUID()
		}
		if j, dup := seen[st.ID]; dup {
			return 0, errorf(http.StatusBadRequest, "statements %d and %d have the same id %s", j+1, i+1, st.ID)
		}
		seen[st.ID] = i
	}
	stored := 0
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		for start := 0; start < len(sts); start += 1000 {
			chunk := sts[start:min(start+1000, len(sts))]
			given := make([]any, len(chunk))
			for i, st := range chunk {
				given[i] = st.ID
			}
			n, err := s.store(ctx, tx, nil, version, chunk, given, nil, nil)
			if err != nil {
				return err
			}
			stored += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return stored, nil
}

// write is one request's statements waiting to be stored.
type write struct {
	c       *Client
	version string
	sts     []*xapi.Statement
	given   []any
	parts   []xapi.Part
	prep    []prepared
	err     error
	done    chan struct{}
}

// groupLimit bounds how many statements one group commit holds.
const groupLimit = 2000

// commit stores w in a group commit: requests that arrive while a transaction is being written
// wait, and the next transaction stores them all, each in its own savepoint, so that one
// request's error undoes only its own statements. The first waiting request writes the group
// (there is no writer goroutine to start or stop); everyone returns once their statements are
// committed, or with their own error. One commit for many requests is what makes single
// statements fast: the per-transaction costs (the write lock, the WAL commit) are shared.
func (s *Service) commit(w *write) error {
	w.done = make(chan struct{})
	s.qmu.Lock()
	s.queue = append(s.queue, w)
	if s.writing {
		s.qmu.Unlock()
		<-w.done
		return w.err
	}
	s.writing = true
	s.qmu.Unlock()
	for {
		s.qmu.Lock()
		n, k := 0, 0
		for k < len(s.queue) && (k == 0 || n+len(s.queue[k].sts) <= groupLimit) {
			n += len(s.queue[k].sts)
			k++
		}
		group := s.queue[:k:k]
		s.queue = s.queue[k:]
		if len(group) == 0 {
			s.writing = false
			s.qmu.Unlock()
			break
		}
		s.qmu.Unlock()
		s.writeGroup(group)
	}
	<-w.done
	return w.err
}

// writeGroup stores a group of requests in one transaction and tells each how it went.
func (s *Service) writeGroup(group []*write) {
	ctx := context.Background() // a request that gave up waiting still has its place in the group
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if len(group) == 1 {
			w := group[0]
			_, w.err = s.store(ctx, tx, w.c, w.version, w.sts, w.given, w.parts, w.prep)
			return w.err
		}
		for _, w := range group {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT request`); err != nil {
				return err
			}
			if _, w.err = s.store(ctx, tx, w.c, w.version, w.sts, w.given, w.parts, w.prep); w.err != nil {
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT request`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT request`); err != nil {
				return err
			}
		}
		return nil
	})
	for _, w := range group {
		if err != nil && w.err == nil {
			w.err = err
		}
		close(w.done)
	}
}

// prepared is a statement ready to store: its JSON without the stored time (spliced in by
// store, under the write lock) and the person it is about.
type prepared struct {
	body         []byte
	hasTimestamp bool
	person       string
	def          string // the object activity's definition, encoded, or ""
}

// prepare encodes statements and matches them to people outside the write transaction, so that
// concurrent requests do that work in parallel and the one writer only writes.
func (s *Service) prepare(ctx context.Context, q db.Queryer, c *Client, version string, sts []*xapi.Statement) ([]prepared, error) {
	authority := s.Authority(c)
	people, err := s.matchPeople(ctx, q, sts)
	if err != nil {
		return nil, err
	}
	out := make([]prepared, len(sts))
	for i, st := range sts {
		t := st.Tree
		xapi.Normalize(t)
		t["id"] = st.ID
		t["authority"] = authority
		delete(t, "stored")
		if _, ok := t["version"]; !ok {
			if version == xapi.V200 {
				t["version"] = "2.0.0"
			} else {
				t["version"] = "1.0.0"
			}
		}
		_, out[i].hasTimestamp = t["timestamp"]
		body, err := xapi.AppendJSON(make([]byte, 0, 1536), t)
		if err != nil {
			return nil, fmt.Errorf("encode statement %s: %w", st.ID, err)
		}
		out[i].body, out[i].person = body, people[st.Actor]
		if obj, _ := t["object"].(map[string]any); st.ObjectType == "Activity" {
			if def, ok := obj["definition"]; ok {
				b, err := xapi.AppendJSON(nil, def)
				if err != nil {
					return nil, err
				}
				out[i].def = string(b)
			}
		}
	}
	return out, nil
}

// store stores statements in tx and reports how many were new; given are the ids the sender
// chose; prep is what prepare made of them, or nil to prepare them here.
func (s *Service) store(ctx context.Context, tx *db.Tx, c *Client, version string, sts []*xapi.Statement, given []any, parts []xapi.Part, prep []prepared) (int, error) {
	var clientID any
	if c != nil {
		clientID = c.ID
	}
	if err := s.lockStatements(ctx, tx); err != nil {
		return 0, err
	}
	skip, err := existing(ctx, tx, sts, given)
	if err != nil {
		return 0, err
	}
	if err := checkVoiding(ctx, tx, sts); err != nil {
		return 0, err
	}
	if prep == nil {
		if prep, err = s.prepare(ctx, tx, c, version, sts); err != nil {
			return 0, err
		}
	}
	stored, err := s.nextStored(ctx, tx)
	if err != nil {
		return 0, err
	}
	storedText := stored.Format(StoredLayout)
	rows := make([][]any, 0, len(sts))
	var voids []any
	for i, st := range sts {
		if skip[st.ID] {
			continue
		}
		// {"stored":"…","timestamp":"…", then the rest of the encoded statement.
		p := prep[i]
		body := make([]byte, 0, len(p.body)+80)
		body = append(body, `{"stored":"`...)
		body = append(body, storedText...)
		body = append(body, `",`...)
		if !p.hasTimestamp {
			body = append(body, `"timestamp":"`...)
			body = append(body, storedText...)
			body = append(body, `",`...)
		}
		body = append(body, p.body[1:]...)
		st.Tree["stored"] = storedText
		if !p.hasTimestamp {
			st.Tree["timestamp"] = storedText
		}
		var voidsID, person any
		if st.Voids != "" {
			voidsID = st.Voids
			voids = append(voids, st.Voids)
		}
		if p.person != "" {
			person = p.person
		}
		rows = append(rows, []any{st.ID, stored, st.Actor, st.Verb, st.ObjectType, st.ObjectID, nullable(st.Registration), voidsID, clientID, person, string(body)})
	}
	seqs, err := insertStatements(ctx, tx, rows)
	if err != nil {
		return 0, err
	}
	var refs [][]any
	for _, st := range sts {
		seq, ok := seqs[st.ID]
		if !ok {
			continue
		}
		for _, m := range st.Members {
			refs = append(refs, []any{m, "g", seq, true})
		}
		for _, m := range st.ObjectMembers {
			if !slices.Contains(st.Members, m) {
				refs = append(refs, []any{m, "g", seq, true})
			}
		}
		for _, a := range st.RelatedAgents {
			if !slices.Contains(st.Members, a) && !slices.Contains(st.ObjectMembers, a) {
				refs = append(refs, []any{a, "g", seq, false})
			}
		}
		for _, a := range st.RelatedActivities {
			refs = append(refs, []any{a, "a", seq, false})
		}
	}
	if err := db.InsertManyOn(ctx, tx, "xapi_statement_refs", []string{"value", "kind", "seq", "direct"}, refs, "ON CONFLICT DO NOTHING"); err != nil {
		return 0, err
	}
	if len(voids) > 0 {
		// Voiding statements void their targets; a target that arrives later is voided on arrival.
		if _, err := tx.ExecContext(ctx, `UPDATE xapi_statements SET voided = TRUE WHERE voids IS NULL AND id IN `+db.In(len(voids)), voids...); err != nil {
			return 0, err
		}
	}
	if len(rows) > 0 {
		// New statements that a stored voiding statement already targets are voided on arrival.
		// Two steps: the lookup reads the small index of voiding statements and nearly always
		// finds nothing; as one UPDATE with a subquery, PostgreSQL planned a scan of every
		// statement, seconds a batch beyond a few million.
		found, err := tx.QueryContext(ctx, `SELECT voids FROM xapi_statements WHERE voids IN `+db.In(len(rows)), column(rows, 0)...)
		if err != nil {
			return 0, err
		}
		targets, err := db.Collect(found, db.ScanString)
		if err != nil {
			return 0, err
		}
		if len(targets) > 0 {
			args := make([]any, len(targets))
			for i, t := range targets {
				args[i] = t
			}
			if _, err := tx.ExecContext(ctx, `UPDATE xapi_statements SET voided = TRUE WHERE voids IS NULL AND id IN `+db.In(len(args)), args...); err != nil {
				return 0, err
			}
		}
	}
	if err := storeDefinitions(ctx, tx, sts, prep, seqs, stored); err != nil {
		return 0, err
	}
	if err := storeParts(ctx, tx, parts); err != nil {
		return 0, err
	}
	if c != nil && len(rows) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE xapi_clients SET statements = statements + ? WHERE id = ?`, len(rows), c.ID); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// newUUID is the id of a statement sent without one: time-ordered (version 7), so that the id
// index grows at its end instead of at random places, which keeps bulk writes fast.
func newUUID() string { return core.NewID() }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func column(rows [][]any, i int) []any {
	out := make([]any, len(rows))
	for j, r := range rows {
		out[j] = r[i]
	}
	return out
}

// existing finds which of the given ids are stored already: those equal to what was sent are
// skipped, any other is a conflict.
func existing(ctx context.Context, tx *db.Tx, sts []*xapi.Statement, given []any) (map[string]bool, error) {
	skip := map[string]bool{}
	if len(given) == 0 {
		return skip, nil
	}
	byID := make(map[string]*xapi.Statement, len(sts))
	for _, st := range sts {
		byID[st.ID] = st
	}
	for start := 0; start < len(given); start += 500 {
		chunk := given[start:min(start+500, len(given))]
		rows, err := tx.QueryContext(ctx, `SELECT id, body FROM xapi_statements WHERE id IN `+db.In(len(chunk)), chunk...)
		if err != nil {
			return nil, err
		}
		type found struct{ id, body string }
		fs, err := db.Collect(rows, func(r db.Row) (found, error) {
			var f found
			return f, r.Scan(&f.id, &f.body)
		})
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			old, err := xapi.DecodeTree([]byte(f.body))
			if err != nil {
				return nil, fmt.Errorf("stored statement %s: %w", f.id, err)
			}
			if !xapi.Equivalent(old, byID[f.id].Tree) {
				return nil, errorf(http.StatusConflict, "a different statement with the id %s is stored already; statements cannot change", f.id)
			}
			skip[f.id] = true
		}
	}
	return skip, nil
}

// checkVoiding refuses voiding statements whose target is itself a voiding statement: such a
// statement cannot be voided (xAPI Data 2.3.2).
func checkVoiding(ctx context.Context, tx *db.Tx, sts []*xapi.Statement) error {
	var targets []any
	voiding := map[string]bool{}
	for _, st := range sts {
		if st.Voids != "" {
			targets = append(targets, st.Voids)
			voiding[st.ID] = true
		}
	}
	if len(targets) == 0 {
		return nil
	}
	for _, st := range sts {
		if st.Voids != "" && voiding[st.Voids] {
			return errorf(http.StatusBadRequest, "statement %s voids %s, which is itself a voiding statement; a voiding statement cannot be voided", st.ID, st.Voids)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM xapi_statements WHERE voids IS NOT NULL AND id IN `+db.In(len(targets)), targets...)
	if err != nil {
		return err
	}
	ids, err := db.Collect(rows, db.ScanString)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		return errorf(http.StatusBadRequest, "statement %s is a voiding statement; a voiding statement cannot be voided", ids[0])
	}
	return nil
}

// nextStored is the stored time of the next statements: now, at millisecond precision, never
// before the last stored time, so that stored order is seq order.
func (s *Service) nextStored(ctx context.Context, tx *db.Tx) (time.Time, error) {
	now := s.Clock.Now().UTC().Truncate(time.Millisecond)
	var last any
	err := tx.QueryRowContext(ctx, `SELECT stored FROM xapi_statements ORDER BY seq DESC LIMIT 1`).Scan(&last)
	if db.IsNoRows(err) {
		return now, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	t, err := db.ParseTime(last)
	if err != nil {
		return time.Time{}, err
	}
	if t.After(now) {
		return t, nil
	}
	return now, nil
}

// insertStatements inserts the rows and returns each statement's seq by id.
func insertStatements(ctx context.Context, tx *db.Tx, rows [][]any) (map[string]int64, error) {
	seqs := make(map[string]int64, len(rows))
	const cols = 11
	const tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	for start := 0; start < len(rows); start += 500 {
		chunk := rows[start:min(start+500, len(rows))]
		var q strings.Builder
		q.WriteString(`INSERT INTO xapi_statements (id, stored, actor, verb, object_type, object, registration, voids, client_id, person_id, body) VALUES `)
		args := make([]any, 0, len(chunk)*cols)
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, r...)
		}
		q.WriteString(` RETURNING seq, id`)
		res, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("store statements: %w", db.FormatError(err))
		}
		for res.Next() {
			var seq int64
			var id string
			if err := res.Scan(&seq, &id); err != nil {
				res.Close()
				return nil, err
			}
			seqs[id] = seq
		}
		if err := res.Close(); err != nil {
			return nil, err
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	return seqs, nil
}

// storeDefinitions keeps each activity's definition as the statements give it, merged: a new
// definition's properties replace the stored ones, except its language maps (name,
// description) and extensions, which are merged key by key, so that statements in several
// languages build one definition (Communication 2.5: the LRS may merge; the suite checks it).
func storeDefinitions(ctx context.Context, tx *db.Tx, sts []*xapi.Statement, prep []prepared, seqs map[string]int64, stored time.Time) error {
	defs := map[string][]map[string]any{}
	encoded := map[string][]string{}
	var order []string
	for i, st := range sts {
		if _, ok := seqs[st.ID]; !ok || st.ObjectType != "Activity" {
			continue
		}
		obj, _ := st.Tree["object"].(map[string]any)
		def, ok := obj["definition"].(map[string]any)
		if !ok {
			continue
		}
		if _, ok := defs[st.ObjectID]; !ok {
			order = append(order, st.ObjectID)
		}
		defs[st.ObjectID] = append(defs[st.ObjectID], def)
		encoded[st.ObjectID] = append(encoded[st.ObjectID], prep[i].def)
	}
	// Most statements repeat a definition already stored: read those first, and write only
	// what changed (reading is much cheaper than an upsert that changes nothing).
	have := map[string]string{}
	for start := 0; start < len(order); start += 500 {
		chunk := order[start:min(start+500, len(order))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, definition FROM xapi_activities WHERE id IN `+db.In(len(args)), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, def string
			if err := rows.Scan(&id, &def); err != nil {
				rows.Close()
				return err
			}
			have[id] = def
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	rows := make([][]any, 0, len(order))
	for _, id := range order {
		old, known := have[id]
		if known && !slices.ContainsFunc(encoded[id], func(d string) bool { return d != old }) {
			continue // the usual case: the statements repeat the stored definition
		}
		var merged map[string]any
		if known {
			var err error
			if merged, err = xapi.DecodeTree([]byte(old)); err != nil {
				return fmt.Errorf("stored definition of %s: %w", id, err)
			}
		}
		for _, def := range defs[id] {
			merged = mergeDefinition(merged, def)
		}
		b, err := xapi.AppendJSON(nil, merged)
		if err != nil {
			return err
		}
		if known && string(b) == old {
			continue
		}
		rows = append(rows, []any{id, string(b), stored})
	}
	return db.InsertManyOn(ctx, tx, "xapi_activities", []string{"id", "definition", "updated"}, rows,
		"ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated = excluded.updated")
}

// mergeDefinition merges a newer activity definition into an older one (see storeDefinitions).
func mergeDefinition(old, def map[string]any) map[string]any {
	out := make(map[string]any, len(old)+len(def))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range def {
		switch k {
		case "name", "description", "extensions":
			if was, ok := out[k].(map[string]any); ok {
				if now, ok := v.(map[string]any); ok {
					m := make(map[string]any, len(was)+len(now))
					for lk, lv := range was {
						m[lk] = lv
					}
					for lk, lv := range now {
						m[lk] = lv
					}
					out[k] = m
					continue
				}
			}
		}
		out[k] = v
	}
	return out
}

// Activity returns the activity with this id as the Activities resource shows it: its latest
// definition, or only its id when no statement defined it.
func (s *Service) Activity(ctx context.Context, id string) (map[string]any, error) {
	a := map[string]any{"objectType": "Activity", "id": id}
	var def string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT definition FROM xapi_activities WHERE id = ?`, id).Scan(&def)
	if db.IsNoRows(err) {
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find activity: %w", err)
	}
	v, err := xapi.DecodeTree([]byte(def))
	if err != nil {
		return nil, fmt.Errorf("activity %s: %w", id, err)
	}
	a["definition"] = v
	return a, nil
}

func storeParts(ctx context.Context, tx *db.Tx, parts []xapi.Part) error {
	if len(parts) == 0 {
		return nil
	}
	rows := make([][]any, 0, len(parts))
	seen := map[string]bool{}
	for _, p := range parts {
		if seen[p.SHA2] {
			continue
		}
		seen[p.SHA2] = true
		rows = append(rows, []any{p.SHA2, p.ContentType, p.Data})
	}
	return db.InsertManyOn(ctx, tx, "xapi_attachments", []string{"sha2", "content_type", "content"}, rows, "ON CONFLICT (sha2) DO NOTHING")
}

// matchPeople finds the learnloop people the statements' actors are: an account on learnloop's
// home page names a person by id, an mbox by their email.
func (s *Service) matchPeople(ctx context.Context, tx db.Queryer, sts []*xapi.Statement) (map[string]string, error) {
	out := map[string]string{}
	var ids, emails []any
	key := map[string]string{} // id or email → actor key
	for _, st := range sts {
		a := st.Actor
		if _, done := key[a]; done || a == "" {
			continue
		}
		switch {
		case strings.HasPrefix(a, "account:"+s.HomePage+"|"):
			id := strings.TrimPrefix(a, "account:"+s.HomePage+"|")
			if core.ValidID(id) {
				ids = append(ids, id)
				key["id:"+id] = a
			}
		case strings.HasPrefix(a, "mbox:mailto:"):
			e := strings.ToLower(strings.TrimPrefix(a, "mbox:mailto:"))
			emails = append(emails, e)
			key["email:"+e] = a
		}
		key[a] = ""
	}
	find := func(q string, args []any, prefix string) error {
		for start := 0; start < len(args); start += 500 {
			chunk := args[start:min(start+500, len(args))]
			rows, err := tx.QueryContext(ctx, fmt.Sprintf(q, db.In(len(chunk))), chunk...)
			if err != nil {
				return err
			}
			type hit struct{ match, id string }
			hs, err := db.Collect(rows, func(r db.Row) (hit, error) {
				var h hit
				return h, r.Scan(&h.match, &h.id)
			})
			if err != nil {
				return err
			}
			for _, h := range hs {
				out[key[prefix+h.match]] = h.id
			}
		}
		return nil
	}
	if err := find(`SELECT id, id FROM people WHERE id IN %s`, ids, "id:"); err != nil {
		return nil, err
	}
	if err := find(`SELECT email, id FROM people WHERE email IN %s`, emails, "email:"); err != nil {
		return nil, err
	}
	return out, nil
}

// Query is a statement query: the filters of GET /xapi/statements, and where a page starts.
type Query struct {
	Agent             string    `json:"agent,omitempty"` // agent key
	Verb              string    `json:"verb,omitempty"`
	Activity          string    `json:"activity,omitempty"`
	Registration      string    `json:"registration,omitempty"`
	RelatedAgents     bool      `json:"related_agents,omitempty"`
	RelatedActivities bool      `json:"related_activities,omitempty"`
	Since             time.Time `json:"since,omitzero"`
	Until             time.Time `json:"until,omitzero"`
	Limit             int       `json:"limit,omitempty"`
	Ascending         bool      `json:"ascending,omitempty"`
	Format            string    `json:"format,omitempty"`
	Attachments       bool      `json:"attachments,omitempty"`
	// Client limits the answer to the statements one client stored (statements/read/mine).
	Client string `json:"client,omitempty"`
	// Person limits it to the statements about one learnloop person.
	Person string `json:"person,omitempty"`
	// After is the seq the previous page ended at; Bound the highest seq the first page could
	// see, so later statements never shift the pages of a query in progress.
	After int64 `json:"after,omitempty"`
	Bound int64 `json:"bound,omitempty"`

	// refs says the store holds statements about statements, whose targets the query must
	// then consider; without any, the query is simpler.
	refs bool
}

// MaxLimit is the most statements one page holds; limit=0 asks for it.
const MaxLimit = 500

// Page is one page of a query's answer.
type Page struct {
	Statements []json.RawMessage
	// More continues the query ("" at its end): the value of the more parameter.
	More string
}

// Statements answers a query, newest first unless ascending.
func (s *Service) Statements(ctx context.Context, q Query) (*Page, error) {
	if q.Limit <= 0 || q.Limit > MaxLimit {
		q.Limit = MaxLimit
	}
	r := s.DB.Reader()
	if q.Bound == 0 {
		if err := r.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM xapi_statements`).Scan(&q.Bound); err != nil {
			return nil, fmt.Errorf("query statements: %w", err)
		}
	}
	if q.Agent != "" || q.Activity != "" || q.Verb != "" || q.Registration != "" {
		if err := r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM xapi_statements WHERE object_type = 'StatementRef' AND seq <= ?)`, q.Bound).Scan(&q.refs); err != nil {
			return nil, fmt.Errorf("query statements: %w", err)
		}
	}
	sqlText, args := q.sql()
	rows, err := r.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("query statements: %w", err)
	}
	defer rows.Close()
	p := &Page{Statements: make([]json.RawMessage, 0, min(q.Limit, 100))}
	var last int64
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, err
		}
		if len(p.Statements) == q.Limit {
			q.After = last
			more, err := json.Marshal(q)
			if err != nil {
				return nil, err
			}
			p.More = base64.RawURLEncoding.EncodeToString(more)
			break
		}
		p.Statements = append(p.Statements, body)
		last = seq
	}
	return p, rows.Err()
}

// refDepth is how many StatementRef hops a query follows from a statement to the statement
// whose properties it matches.
const refDepth = 3

// sql is the query's SQL. The agent or activity filter, when there is one, drives it: each way a
// statement can match it (as actor, as object, as a related agent or activity) is an index
// read in seq order with every other filter applied, cut at the page's size, and the page is
// the first rows of their union. A popular activity with related_activities then costs a page,
// not a sort of everything that ever mentioned it.
//
// A statement whose object is a StatementRef also matches when the statement it targets matches
// the filters other than time and paging (Communication 2.1.3, "Filter Conformance
// Requirements"): one more branch, reading the statements with StatementRef objects in seq
// order and checking their targets. The rule applies recursively in the spec; here it follows
// chains of up to refDepth references.
func (q Query) sql() (string, []any) {
	// The scope: what is visible, where the page starts, when statements were stored, whose.
	var f strings.Builder
	f.WriteString("s.voided = FALSE AND s.seq <= ?")
	fargs := []any{q.Bound}
	scope := func(cond string, a ...any) {
		f.WriteString(" AND ")
		f.WriteString(cond)
		fargs = append(fargs, a...)
	}
	order := "DESC"
	if q.Ascending {
		order = "ASC"
		if q.After > 0 {
			scope("s.seq > ?", q.After)
		}
	} else if q.After > 0 {
		scope("s.seq < ?", q.After)
	}
	if !q.Since.IsZero() {
		scope("s.stored > ?", q.Since)
	}
	if !q.Until.IsZero() {
		scope("s.stored <= ?", q.Until)
	}
	if q.Client != "" {
		scope("s.client_id = ?", q.Client)
	}
	if q.Person != "" {
		scope("s.person_id = ?", q.Person)
	}

	// The content filters, on the statement alias t: agent, activity, verb, registration. skip
	// names the filter a branch already applies through its index.
	content := func(t, skip string) (string, []any) {
		var c []string
		var args []any
		if q.Agent != "" && skip != "agent" {
			refs := "x.value = ? AND x.kind = 'g' AND x.seq = " + t + ".seq"
			if !q.RelatedAgents {
				refs += " AND x.direct = TRUE"
			}
			c = append(c, "("+t+".actor = ? OR ("+t+".object = ? AND "+t+".object_type IN ('Agent', 'Group')) OR EXISTS (SELECT 1 FROM xapi_statement_refs x WHERE "+refs+"))")
			args = append(args, q.Agent, q.Agent, q.Agent)
		}
		if q.Activity != "" && skip != "activity" {
			if q.RelatedActivities {
				c = append(c, "(("+t+".object = ? AND "+t+".object_type = 'Activity') OR EXISTS (SELECT 1 FROM xapi_statement_refs x WHERE x.value = ? AND x.kind = 'a' AND x.seq = "+t+".seq))")
				args = append(args, q.Activity, q.Activity)
			} else {
				c = append(c, t+".object = ? AND "+t+".object_type = 'Activity'")
				args = append(args, q.Activity)
			}
		}
		if q.Verb != "" {
			c = append(c, t+".verb = ?")
			args = append(args, q.Verb)
		}
		if q.Registration != "" {
			c = append(c, t+".registration = ?")
			args = append(args, q.Registration)
		}
		return strings.Join(c, " AND "), args
	}

	type branch struct {
		from, cond string
		args       []any
		key        string // the column the branch reads in order
	}
	const plain = "xapi_statements s"
	refs := func(kind string, direct bool, v string) branch {
		cond := "r.value = ? AND r.kind = '" + kind + "'"
		if direct {
			cond += " AND r.direct = TRUE"
		}
		return branch{"xapi_statement_refs r CROSS JOIN xapi_statements s", "s.seq = r.seq AND " + cond, []any{v}, "r.seq"}
	}
	var branches []branch
	driver := ""
	switch {
	case q.Agent != "":
		driver = "agent"
		branches = []branch{{plain, "s.actor = ?", []any{q.Agent}, "s.seq"}, {plain, "s.object = ? AND s.object_type IN ('Agent', 'Group')", []any{q.Agent}, "s.seq"},
			refs("g", !q.RelatedAgents, q.Agent)}
	case q.Activity != "":
		driver = "activity"
		branches = []branch{{plain, "s.object = ? AND s.object_type = 'Activity'", []any{q.Activity}, "s.seq"}}
		if q.RelatedActivities {
			branches = append(branches, refs("a", false, q.Activity))
		}
	default:
		branches = []branch{{plain, "", nil, "s.seq"}}
	}
	rest, restArgs := content("s", driver)
	for i := range branches {
		b := &branches[i]
		if rest != "" {
			if b.cond != "" {
				b.cond += " AND "
			}
			b.cond += rest
			b.args = append(slices.Clone(b.args), restArgs...)
		}
	}
	if all, allArgs := content("t", ""); all != "" && q.refs {
		// s → t, s → t1 → t, s → t1 → t2 → t: references up to refDepth deep. CROSS JOIN
		// keeps SQLite reading from the statements about statements (few, in seq order) to
		// their targets, even before ANALYZE has told it how few they are; PostgreSQL reads it
		// as a plain join.
		from, cond, prev := "xapi_statements s", "s.object_type = 'StatementRef'", "s"
		for level := 1; level <= refDepth; level++ {
			if level > 1 {
				hop := fmt.Sprintf("t%d", level-1)
				from += " CROSS JOIN xapi_statements " + hop
				cond += " AND " + hop + ".id = " + prev + ".object AND " + hop + ".object_type = 'StatementRef'"
				prev = hop
			}
			branches = append(branches, branch{from + " CROSS JOIN xapi_statements t", cond + " AND t.id = " + prev + ".object AND " + all, allArgs, "s.seq"})
		}
	}
	limit := q.Limit + 1
	where := func(b branch) string {
		if b.cond == "" {
			return f.String()
		}
		return b.cond + " AND " + f.String()
	}
	if len(branches) == 1 {
		b := branches[0]
		args := append(append(slices.Clone(b.args), fargs...), limit)
		return `SELECT s.seq, s.body FROM ` + b.from + ` WHERE ` + where(b) + ` ORDER BY ` + b.key + ` ` + order + ` LIMIT ?`, args
	}
	var u strings.Builder
	var args []any
	for i, b := range branches {
		if i > 0 {
			u.WriteString(" UNION ")
		}
		fmt.Fprintf(&u, `SELECT seq FROM (SELECT s.seq FROM %s WHERE %s ORDER BY %s %s LIMIT ?) AS b%d`, b.from, where(b), b.key, order, i)
		args = append(append(append(args, b.args...), fargs...), limit)
	}
	return `SELECT s.seq, s.body FROM xapi_statements s WHERE s.seq IN (` + u.String() + `) ORDER BY s.seq ` + order + ` LIMIT ?`, append(args, limit)
}

// ParseMore reads the more parameter of a query in progress.
func ParseMore(more string) (Query, error) {
	var q Query
	b, err := base64.RawURLEncoding.DecodeString(more)
	if err == nil {
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		err = d.Decode(&q)
	}
	if err != nil || q.Bound <= 0 || q.After <= 0 {
		return Query{}, errorf(http.StatusBadRequest, "more: not a continuation this LRS gave")
	}
	return q, nil
}

// Statement returns one statement by id: a voided one only when voided is set (voidedStatementId),
// never otherwise (statementId). client, when not "", limits it to the statements that client stored.
func (s *Service) Statement(ctx context.Context, id string, voided bool, client string) (json.RawMessage, error) {
	var body []byte
	var isVoided bool
	var owner *string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT body, voided, client_id FROM xapi_statements WHERE id = ?`, strings.ToLower(id)).Scan(&body, &isVoided, &owner)
	if db.IsNoRows(err) || (err == nil && (isVoided != voided || (client != "" && (owner == nil || *owner != client)))) {
		return nil, errorf(http.StatusNotFound, "no statement with the id %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find statement: %w", err)
	}
	return body, nil
}

// Attachments returns the stored contents with these hashes (unknown ones are left out).
func (s *Service) Attachments(ctx context.Context, sha2s []string) ([]xapi.Part, error) {
	if len(sha2s) == 0 {
		return nil, nil
	}
	args := make([]any, len(sha2s))
	for i, h := range sha2s {
		args[i] = h
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT sha2, content_type, content FROM xapi_attachments WHERE sha2 IN `+db.In(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("read attachments: %w", err)
	}
	return db.Collect(rows, func(r db.Row) (xapi.Part, error) {
		var p xapi.Part
		return p, r.Scan(&p.SHA2, &p.ContentType, &p.Data)
	})
}
