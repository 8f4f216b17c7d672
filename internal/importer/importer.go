// Package importer holds what every file import shares: the kinds of file learnloop imports,
// and uploaded files waiting between their preview and their confirmation, so that the person
// confirming applies exactly the file they previewed, once.
//
// The packages that own the data define the kinds (org: people and org units; skills: the
// framework and ratings); the web pages, the API and the command line offer them all the same way.
package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/tabular"
)

// Options are the choices made when uploading a file. Each kind reads those it knows.
type Options struct {
	// Encoding of a file without byte-order mark: "" (UTF-8) or a tabular.Encodings key.
	Encoding string `json:"encoding,omitempty"`
	// Filename is recorded in the audit log.
	Filename string `json:"filename,omitempty"`
	// Full: the file lists everyone, so people missing from it have left (people only).
	Full bool `json:"full,omitempty"`
	// Source of every rating in the file (ratings only).
	Source string `json:"source,omitempty"`
}

// Kind is one kind of file.
type Kind struct {
	Name  string // stored and used in URLs: people, org_units, skills, ratings
	Label string // shown to people: "People"
	// Help says which columns are read, for the upload form and the command line.
	Help string
	// Uses lists the Options fields the kind reads besides Encoding and Filename: "full", "source".
	Uses []string
	// Sources are the values Options.Source accepts, when Uses has "source".
	Sources []string
	Perm    core.Permission
	// Offer, when set, narrows who is offered the kind among those with Perm.
	Offer func(*core.Actor) bool
	// Plan reports what importing the file would change, changing nothing.
	Plan func(ctx context.Context, actor *core.Actor, data []byte, o Options) (*tabular.Report, error)
	// Apply plans the file inside tx and applies it only when the plan is valid.
	Apply func(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, o Options) (*tabular.Report, error)
}

// offered reports whether the actor may import files of the kind.
func (k *Kind) offered(a *core.Actor) bool {
	return a.Can(k.Perm) && (k.Offer == nil || a.IsSystem() || k.Offer(a))
}

// Reads reports whether the kind reads the named option.
func (k *Kind) Reads(option string) bool { return slices.Contains(k.Uses, option) }

// Service offers the kinds and keeps staged files.
type Service struct {
	DB    *db.DB
	Clock core.Clock
	kinds []*Kind
}

// New returns a service offering kinds, in the order given.
func New(d *db.DB, clock core.Clock, kinds ...*Kind) *Service {
	return &Service{DB: d, Clock: clock, kinds: kinds}
}

// Kinds lists the kinds the actor may import.
func (s *Service) Kinds(actor *core.Actor) []*Kind {
	var out []*Kind
	for _, k := range s.kinds {
		if k.offered(actor) {
			out = append(out, k)
		}
	}
	return out
}

// Kind finds a kind the actor may import.
func (s *Service) Kind(actor *core.Actor, name string) (*Kind, error) {
	for _, k := range s.kinds {
		if k.Name == name {
			if !k.offered(actor) {
				return nil, core.Forbidden
			}
			return k, nil
		}
	}
	var names []string
	for _, k := range s.Kinds(actor) {
		names = append(names, k.Name)
	}
	if len(names) == 0 {
		return nil, core.Errorf(core.EFORBIDDEN, "you may not import files")
	}
	return nil, core.Invalid("kind", "choose what the file holds: %s", joinOr(names))
}

func joinOr(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	default:
		s := ""
		for i, n := range names {
			switch {
			case i == 0:
			case i == len(names)-1:
				s += " or "
			default:
				s += ", "
			}
			s += n
		}
		return s
	}
}

// check validates the options the kind reads and clears the others. The encoding is checked
// when the file is read, as one of its problems.
func (k *Kind) check(o Options) (Options, error) {
	if !k.Reads("full") {
		o.Full = false
	}
	if !k.Reads("source") {
		o.Source = ""
	} else if !slices.Contains(k.Sources, o.Source) {
		return o, core.Invalid("source", "choose the source of these ratings: %s", joinOr(k.Sources))
	}
	return o, nil
}

// Plan reports what importing the file would change, changing nothing.
func (s *Service) Plan(ctx context.Context, actor *core.Actor, kind string, data []byte, o Options) (*tabular.Report, error) {
	k, err := s.Kind(actor, kind)
	if err != nil {
		return nil, err
	}
	if o, err = k.check(o); err != nil {
		return nil, err
	}
	return k.Plan(ctx, actor, data, o)
}

// Import validates the file and, only when it has no problem at all, applies it in one
// transaction. When the report is not Valid nothing changed.
func (s *Service) Import(ctx context.Context, actor *core.Actor, kind string, data []byte, o Options) (*tabular.Report, error) {
	k, err := s.Kind(actor, kind)
	if err != nil {
		return nil, err
	}
	if o, err = k.check(o); err != nil {
		return nil, err
	}
	var rep *tabular.Report
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		rep, err = k.Apply(ctx, tx, actor, data, o)
		return err
	})
	return rep, err
}

// Staged is an uploaded file waiting between its preview and its confirmation.
type Staged struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Filename  string     `json:"filename"`
	Options   Options    `json:"options"`
	CreatedAt time.Time  `json:"created_at"`
	Status    string     `json:"status"` // previewed, applied, discarded
	AppliedAt *time.Time `json:"applied_at,omitempty"`
	Summary   string     `json:"summary"`
	Size      int        `json:"size"`
	data      []byte
}

// Stage stores an uploaded file for preview.
func (s *Service) Stage(ctx context.Context, actor *core.Actor, kind string, data []byte, o Options) (*Staged, error) {
	k, err := s.Kind(actor, kind)
	if err != nil {
		return nil, err
	}
	if o, err = k.check(o); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, core.Invalid("file", "choose a file to upload")
	}
	opts, _ := json.Marshal(o)
	st := &Staged{ID: core.NewID(), Kind: kind, Filename: o.Filename, Options: o, CreatedAt: s.Clock.Now(), Status: "previewed", Size: len(data)}
	var by any
	if actor.AccountID != "" {
		by = actor.AccountID
	}
	_, err = s.DB.ExecContext(ctx, `INSERT INTO imports (id, kind, filename, options, content, created_by, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		st.ID, kind, o.Filename, string(opts), data, by, st.CreatedAt, st.Status)
	if err != nil {
		return nil, fmt.Errorf("stage import: %w", err)
	}
	return st, nil
}

// find reads a staged file the actor may import; files of kinds the actor may not import are
// not found.
func (s *Service) find(ctx context.Context, q db.Queryer, actor *core.Actor, id string) (*Staged, *Kind, error) {
	if len(s.Kinds(actor)) == 0 {
		return nil, nil, core.Errorf(core.EFORBIDDEN, "you may not import files")
	}
	if !core.ValidID(id) {
		return nil, nil, core.NotFound("import")
	}
	var st Staged
	var opts string
	err := q.QueryRowContext(ctx, `SELECT id, kind, filename, options, content, created_at, status, applied_at, summary FROM imports WHERE id = ?`, id).
		Scan(&st.ID, &st.Kind, &st.Filename, &opts, &st.data, &st.CreatedAt, &st.Status, &st.AppliedAt, &st.Summary)
	if err != nil {
		if db.IsNoRows(err) {
			return nil, nil, core.NotFound("import")
		}
		return nil, nil, fmt.Errorf("find import: %w", err)
	}
	k, err := s.Kind(actor, st.Kind)
	if err != nil {
		return nil, nil, core.NotFound("import")
	}
	_ = json.Unmarshal([]byte(opts), &st.Options)
	st.Options.Filename = st.Filename
	st.Size = len(st.data)
	return &st, k, nil
}

// Preview plans a staged file against the data as it is now.
func (s *Service) Preview(ctx context.Context, actor *core.Actor, id string) (*Staged, *tabular.Report, error) {
	st, k, err := s.find(ctx, s.DB.Reader(), actor, id)
	if err != nil {
		return nil, nil, err
	}
	rep, err := k.Plan(ctx, actor, st.data, st.Options)
	return st, rep, err
}

// Apply imports a staged file, once. The file is planned again against the data as it is now;
// when it is no longer valid nothing is applied and the report says why.
func (s *Service) Apply(ctx context.Context, actor *core.Actor, id string) (*tabular.Report, error) {
	var rep *tabular.Report
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, k, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if st.Status != "previewed" {
			return core.Errorf(core.ECONFLICT, "this file was already %s", st.Status)
		}
		if rep, err = k.Apply(ctx, tx, actor, st.data, st.Options); err != nil || !rep.Valid {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET status = 'applied', applied_at = ?, summary = ? WHERE id = ?`, s.Clock.Now(), rep.Summary(), id)
		return err
	})
	return rep, err
}

// Discard drops a staged file that was not applied.
func (s *Service) Discard(ctx context.Context, actor *core.Actor, id string) error {
	if _, _, err := s.find(ctx, s.DB.Reader(), actor, id); err != nil {
		return err
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE imports SET status = 'discarded', content = ? WHERE id = ? AND status = 'previewed'`, []byte{}, id)
	return err
}

// Recent lists the latest staged and applied files of the kinds the actor may import.
func (s *Service) Recent(ctx context.Context, actor *core.Actor, limit int) ([]*Staged, error) {
	kinds := s.Kinds(actor)
	if len(kinds) == 0 {
		return nil, core.Errorf(core.EFORBIDDEN, "you may not import files")
	}
	args := []any{}
	marks := ""
	for i, k := range kinds {
		if i > 0 {
			marks += ", "
		}
		marks += "?"
		args = append(args, k.Name)
	}
	args = append(args, core.ClampLimit(limit))
	rows, err := s.DB.QueryContext(ctx, `SELECT id, kind, filename, created_at, status, applied_at, summary, length(content) FROM imports
		WHERE kind IN (`+marks+`) ORDER BY created_at DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("recent imports: %w", err)
	}
	defer rows.Close()
	var out []*Staged
	for rows.Next() {
		var st Staged
		if err := rows.Scan(&st.ID, &st.Kind, &st.Filename, &st.CreatedAt, &st.Status, &st.AppliedAt, &st.Summary, &st.Size); err != nil {
			return nil, err
		}
		out = append(out, &st)
	}
	return out, rows.Err()
}

// Cleanup drops files never confirmed after a day and the content of applied files after thirty
// days (their summary and the audit log remain).
func (s *Service) Cleanup(ctx context.Context) error {
	now := s.Clock.Now()
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM imports WHERE status <> 'applied' AND created_at < ?`, now.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("cleanup imports: %w", err)
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE imports SET content = ? WHERE status = 'applied' AND applied_at < ? AND length(content) > 0`, []byte{}, now.Add(-30*24*time.Hour))
	return err
}
