// Package lrs is learnloop's xAPI Learning Record Store: the clients allowed to use it, the
// statements it keeps (stored one transaction at a time, so that stored order, seq order and
// paging agree), the State, Activity Profile and Agent Profile documents, and the matching of
// statements to the people they are about. Parsing and validating statements is
// internal/lrs/xapi; the HTTP protocol at /xapi is internal/lrs/xapihttp.
package lrs

import (
	"context"
	"strings"
	"sync"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/training"
)

// Service is the LRS over one database.
type Service struct {
	DB    *db.DB
	Clock core.Clock
	// HomePage is learnloop's address: people are identified in statements by an account on it
	// ({"homePage": HomePage, "name": person id}), and LRS clients likewise.
	HomePage string
	// Training records the completions that mapped statements from other tools report.
	Training *training.Service

	mu      sync.Mutex
	clients map[string]cachedClient

	qmu     sync.Mutex // guards the group commit's queue
	queue   []*write
	writing bool
}

// New returns the LRS over d; homePage is learnloop's public address.
func New(d *db.DB, clock core.Clock, homePage string) *Service {
	homePage = strings.TrimRight(homePage, "/")
	if homePage == "" {
		homePage = "http://localhost"
	}
	return &Service{DB: d, Clock: clock, HomePage: homePage, clients: map[string]cachedClient{}}
}

// lockStatements serialises statement writes on PostgreSQL, as SQLite's single writer already
// does: seq order is then commit order, which keeps "more" links and consistent-through exact.
func (s *Service) lockStatements(ctx context.Context, tx *db.Tx) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7452001)`)
	return err
}
