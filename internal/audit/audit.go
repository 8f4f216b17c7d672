// Package audit records who changed what, in the same transaction as the change, and lets
// administrators read it back.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Entry is one audited change.
type Entry struct {
	ID             string         `json:"id"`
	At             time.Time      `json:"at"`
	ActorAccountID string         `json:"actor_account_id,omitempty"`
	ActorName      string         `json:"actor_name"`
	Action         string         `json:"action"`
	TargetType     string         `json:"target_type,omitempty"`
	TargetID       string         `json:"target_id,omitempty"`
	Summary        string         `json:"summary"`
	Details        map[string]any `json:"details,omitempty"`
}

// Record writes e on behalf of actor inside ex (normally the transaction making the change).
func Record(ctx context.Context, ex db.Execer, at time.Time, actor *core.Actor, e Entry) error {
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		if details, err = json.Marshal(e.Details); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
	}
	var accountID any
	name := "system"
	if actor != nil && !actor.IsSystem() {
		accountID = actor.AccountID
		name = actor.Name
		if actor.Email != "" {
			name += " <" + actor.Email + ">"
		}
		if actor.TokenID != "" {
			name += " (API token)"
		}
	}
	_, err := ex.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor_account_id, actor_name, action, target_type, target_id, summary, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		core.NewID(), at, accountID, name, e.Action, e.TargetType, e.TargetID, e.Summary, string(details))
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Filter selects audit entries; nil fields do not filter.
type Filter struct {
	Action   *string
	TargetID *string
	ActorID  *string
	Since    *time.Time
	Until    *time.Time
	Cursor   string
	Limit    int
}

// Service reads the audit log.
type Service struct {
	DB *db.DB
}

// Find returns entries newest first and the cursor of the next page ("" on the last page).
func (s *Service) Find(ctx context.Context, actor *core.Actor, f Filter) ([]*Entry, string, error) {
	if err := actor.Require(core.PermAuditRead); err != nil {
		return nil, "", err
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.Action != nil {
		// An action prefix ("people.") selects a family of actions.
		if strings.HasSuffix(*f.Action, ".") {
			where, args = append(where, "action >= ? AND action < ?"), append(args, *f.Action, strings.TrimSuffix(*f.Action, ".")+"/")
		} else {
			where, args = append(where, "action = ?"), append(args, *f.Action)
		}
	}
	if f.TargetID != nil {
		where, args = append(where, "target_id = ?"), append(args, *f.TargetID)
	}
	if f.ActorID != nil {
		where, args = append(where, "actor_account_id = ?"), append(args, *f.ActorID)
	}
	if f.Since != nil {
		where, args = append(where, "at >= ?"), append(args, *f.Since)
	}
	if f.Until != nil {
		where, args = append(where, "at < ?"), append(args, *f.Until)
	}
	if f.Cursor != "" {
		key, err := core.DecodeCursor(f.Cursor, 1)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "id < ?"), append(args, key[0])
	}
	limit := core.ClampLimit(f.Limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT id, at, actor_account_id, actor_name, action, target_type, target_id, summary, details
		FROM audit_log WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find audit entries: %w", err)
	}
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		var e Entry
		var actorID *string
		var details string
		if err := rows.Scan(&e.ID, &e.At, &actorID, &e.ActorName, &e.Action, &e.TargetType, &e.TargetID, &e.Summary, &details); err != nil {
			return nil, "", err
		}
		if actorID != nil {
			e.ActorAccountID = *actorID
		}
		e.At = e.At.UTC()
		if details != "{}" {
			_ = json.Unmarshal([]byte(details), &e.Details)
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = core.EncodeCursor(out[limit-1].ID)
	}
	return out, next, nil
}
