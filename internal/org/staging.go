package org

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Import kinds.
const (
	KindPeople = "people"
	KindUnits  = "org_units"
)

// StagedImport is an uploaded file waiting between its preview and its confirmation, so the
// person confirming applies exactly the file they previewed.
type StagedImport struct {
	ID        string        `json:"id"`
	Kind      string        `json:"kind"`
	Filename  string        `json:"filename"`
	Options   ImportOptions `json:"options"`
	CreatedAt time.Time     `json:"created_at"`
	Status    string        `json:"status"` // previewed, applied, discarded
	AppliedAt *time.Time    `json:"applied_at,omitempty"`
	Summary   string        `json:"summary"`
	Size      int           `json:"size"`
	data      []byte
}

// StageImport stores an uploaded file for preview.
func (s *Service) StageImport(ctx context.Context, actor *core.Actor, kind string, data []byte, opts ImportOptions) (*StagedImport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if kind != KindPeople && kind != KindUnits {
		return nil, core.Invalid("kind", "choose what the file holds: people or org units")
	}
	if len(data) == 0 {
		return nil, core.Invalid("file", "choose a file to upload")
	}
	o, _ := json.Marshal(opts)
	st := &StagedImport{ID: core.NewID(), Kind: kind, Filename: opts.Filename, Options: opts, CreatedAt: s.Clock.Now(), Status: "previewed", Size: len(data)}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO imports (id, kind, filename, options, content, created_by, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		st.ID, kind, opts.Filename, string(o), data, nullable(actor.AccountID), st.CreatedAt, st.Status)
	if err != nil {
		return nil, fmt.Errorf("stage import: %w", err)
	}
	return st, nil
}

func (s *Service) findStaged(ctx context.Context, q db.Queryer, actor *core.Actor, id string) (*StagedImport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if !core.ValidID(id) {
		return nil, core.NotFound("import")
	}
	var st StagedImport
	var opts string
	err := q.QueryRowContext(ctx, `SELECT id, kind, filename, options, content, created_at, status, applied_at, summary FROM imports WHERE id = ?`, id).
		Scan(&st.ID, &st.Kind, &st.Filename, &opts, &st.data, &st.CreatedAt, &st.Status, &st.AppliedAt, &st.Summary)
	if err != nil {
		return nil, notFoundIn("import", err)
	}
	_ = json.Unmarshal([]byte(opts), &st.Options)
	st.Size = len(st.data)
	return &st, nil
}

// PreviewStagedImport plans a staged file against the current data.
func (s *Service) PreviewStagedImport(ctx context.Context, actor *core.Actor, id string) (*StagedImport, *ImportReport, error) {
	st, err := s.findStaged(ctx, s.DB.Reader(), actor, id)
	if err != nil {
		return nil, nil, err
	}
	var rep *ImportReport
	if st.Kind == KindUnits {
		rep, err = s.PlanUnitImport(ctx, actor, st.data, st.Options)
	} else {
		rep, err = s.PlanImport(ctx, actor, st.data, st.Options)
	}
	return st, rep, err
}

// ApplyStagedImport imports a staged file, once. The file is planned again against the data as
// it is now; when it is no longer valid nothing is applied and the report says why.
func (s *Service) ApplyStagedImport(ctx context.Context, actor *core.Actor, id string) (*ImportReport, error) {
	var rep *ImportReport
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := s.findStaged(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if st.Status != "previewed" {
			return core.Errorf(core.ECONFLICT, "this file was already %s", st.Status)
		}
		st.Options.Filename = st.Filename
		if st.Kind == KindUnits {
			rep, err = s.importUnitsIn(ctx, tx, actor, st.data, st.Options)
		} else {
			rep, err = s.importIn(ctx, tx, actor, st.data, st.Options)
		}
		if err != nil || !rep.Valid {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET status = 'applied', applied_at = ?, summary = ? WHERE id = ?`, s.Clock.Now(), rep.Summary(), id)
		return err
	})
	return rep, err
}

// DiscardStagedImport drops a staged file that was not applied.
func (s *Service) DiscardStagedImport(ctx context.Context, actor *core.Actor, id string) error {
	if _, err := s.findStaged(ctx, s.DB.Reader(), actor, id); err != nil {
		return err
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE imports SET status = 'discarded', content = ? WHERE id = ? AND status = 'previewed'`, []byte{}, id)
	return err
}

// RecentImports lists the latest staged and applied files.
func (s *Service) RecentImports(ctx context.Context, actor *core.Actor, limit int) ([]*StagedImport, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, kind, filename, created_at, status, applied_at, summary, length(content) FROM imports ORDER BY created_at DESC LIMIT ?`, core.ClampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("recent imports: %w", err)
	}
	defer rows.Close()
	var out []*StagedImport
	for rows.Next() {
		var st StagedImport
		if err := rows.Scan(&st.ID, &st.Kind, &st.Filename, &st.CreatedAt, &st.Status, &st.AppliedAt, &st.Summary, &st.Size); err != nil {
			return nil, err
		}
		out = append(out, &st)
	}
	return out, rows.Err()
}

// CleanupImports drops files never confirmed after a day and the content of applied files after
// thirty days (their summary and the audit log remain).
func (s *Service) CleanupImports(ctx context.Context) error {
	now := s.Clock.Now()
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM imports WHERE status <> 'applied' AND created_at < ?`, now.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("cleanup imports: %w", err)
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE imports SET content = ? WHERE status = 'applied' AND applied_at < ? AND length(content) > 0`, []byte{}, now.Add(-30*24*time.Hour))
	return err
}
