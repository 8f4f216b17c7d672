// Package org holds the organization: people, the org-unit tree, job roles, and who may see whom.
// The reporting tree decides a manager's data scope; it is kept as a materialized path per person
// (reports_path) so that "everyone below this manager" is one indexed range scan.
package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Service is the organization's domain service.
type Service struct {
	DB      *db.DB
	Clock   core.Clock
	counts  countCache
	choices choiceCache
}

// NewService returns a Service on d using clock.
func NewService(d *db.DB, clock core.Clock) *Service {
	return &Service{DB: d, Clock: clock}
}

// audit records a change; every change goes through here, so it also drops cached counts and
// choices.
func (s *Service) audit(ctx context.Context, tx *db.Tx, actor *core.Actor, e audit.Entry) error {
	s.forgetCaches()
	return audit.Record(ctx, tx, s.Clock.Now(), actor, e)
}

// subtreeRange returns the bounds of the paths strictly below path: every descendant's path starts
// with path and sorts between path and path with its final '/' raised to '0'.
func subtreeRange(path string) (lo, hi string) {
	return path, strings.TrimSuffix(path, "/") + "0"
}

// childPath returns the path of a node with id under a parent whose path is parent ("" for a root).
func childPath(parent, id string) string {
	if parent == "" {
		parent = "/"
	}
	return parent + id + "/"
}

// trimmed returns s with surrounding space removed and inner runs of space collapsed.
func trimmed(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func checkLen(v *core.Validation, field, value string, max int) {
	if len([]rune(value)) > max {
		v.Add(field, "must be at most %d characters", max)
	}
}

func notFoundIn(what string, err error) error {
	if db.IsNoRows(err) {
		return core.NotFound(what)
	}
	return fmt.Errorf("find %s: %w", what, err)
}
