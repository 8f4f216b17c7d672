package org

import (
	"context"
	"fmt"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// JobRole is a job role people hold; later capabilities attach skill requirements to it.
type JobRole struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Headcount counts active people holding the role.
	Headcount int `json:"headcount"`
}

// RoleInput creates or updates a job role.
type RoleInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (in *RoleInput) validate() error {
	in.Name = trimmed(in.Name)
	var v core.Validation
	if in.Name == "" {
		v.Add("name", "enter a name")
	}
	checkLen(&v, "name", in.Name, 200)
	checkLen(&v, "description", in.Description, 4000)
	return v.Err()
}

// FindRoles lists every job role by name with its headcount.
func (s *Service) FindRoles(ctx context.Context, actor *core.Actor) ([]*JobRole, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.name, r.description, r.created_at, r.updated_at, COALESCE(c.n, 0)
		FROM job_roles r LEFT JOIN (SELECT job_role_id, count(*) AS n FROM people WHERE status = 'active' GROUP BY job_role_id) c ON c.job_role_id = r.id
		ORDER BY lower(r.name)`)
	if err != nil {
		return nil, fmt.Errorf("find job roles: %w", err)
	}
	defer rows.Close()
	var out []*JobRole
	for rows.Next() {
		var r JobRole
		if err := rows.Scan(&r.ID, &r.Name, &r.Description, &r.CreatedAt, &r.UpdatedAt, &r.Headcount); err != nil {
			return nil, err
		}
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		out = append(out, &r)
	}
	return out, rows.Err()
}

// RoleOptions lists every job role by name, without headcounts, for choosers.
func (s *Service) RoleOptions(ctx context.Context, actor *core.Actor) ([]*JobRole, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, name, description, created_at, updated_at FROM job_roles ORDER BY lower(name)`)
	if err != nil {
		return nil, fmt.Errorf("find job roles: %w", err)
	}
	defer rows.Close()
	var out []*JobRole
	for rows.Next() {
		var r JobRole
		if err := rows.Scan(&r.ID, &r.Name, &r.Description, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// FindRoleByID returns one job role.
func (s *Service) FindRoleByID(ctx context.Context, actor *core.Actor, id string) (*JobRole, error) {
	if err := actor.Require(core.PermPeopleRead); err != nil {
		return nil, err
	}
	return s.findRole(ctx, s.DB.Reader(), id)
}

func (s *Service) findRole(ctx context.Context, q db.Queryer, id string) (*JobRole, error) {
	if !core.ValidID(id) {
		return nil, core.NotFound("job role")
	}
	var r JobRole
	err := q.QueryRowContext(ctx, `SELECT id, name, description, created_at, updated_at FROM job_roles WHERE id = ?`, id).
		Scan(&r.ID, &r.Name, &r.Description, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return nil, notFoundIn("job role", err)
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

// CreateRole adds a job role.
func (s *Service) CreateRole(ctx context.Context, actor *core.Actor, in RoleInput) (*JobRole, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	r := &JobRole{ID: core.NewID(), Name: in.Name, Description: in.Description, CreatedAt: now, UpdatedAt: now}
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := insertRole(ctx, tx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "job_role.create", TargetType: "job_role", TargetID: r.ID, Summary: fmt.Sprintf("Created job role %q", r.Name)})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func insertRole(ctx context.Context, tx *db.Tx, r *JobRole) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO job_roles (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		r.ID, r.Name, r.Description, r.CreatedAt, r.UpdatedAt)
	if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
		return &core.Error{Code: core.ECONFLICT, Field: "name", Message: "a job role with this name already exists"}
	}
	return err
}

// UpdateRole renames or redescribes a job role.
func (s *Service) UpdateRole(ctx context.Context, actor *core.Actor, id string, in RoleInput) (*JobRole, error) {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *JobRole
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		r, err := s.findRole(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE job_roles SET name = ?, description = ?, updated_at = ? WHERE id = ?`, in.Name, in.Description, now, id); err != nil {
			if core.ErrorCode(db.FormatError(err)) == core.ECONFLICT {
				return &core.Error{Code: core.ECONFLICT, Field: "name", Message: "a job role with this name already exists"}
			}
			return err
		}
		out = &JobRole{ID: id, Name: in.Name, Description: in.Description, CreatedAt: r.CreatedAt, UpdatedAt: now}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "job_role.update", TargetType: "job_role", TargetID: id,
			Summary: fmt.Sprintf("Updated job role %q", in.Name), Details: map[string]any{"before": map[string]string{"name": r.Name}}})
	})
	return out, err
}

// DeleteRole removes a job role nobody holds.
func (s *Service) DeleteRole(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermPeopleWrite); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		r, err := s.findRole(ctx, tx, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM people WHERE job_role_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return core.Errorf(core.ECONFLICT, "%d people (including people who left) hold the role %q; change their role first", n, r.Name)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM job_roles WHERE id = ?`, id); err != nil {
			return db.FormatError(err)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "job_role.delete", TargetType: "job_role", TargetID: id, Summary: fmt.Sprintf("Deleted job role %q", r.Name)})
	})
}
