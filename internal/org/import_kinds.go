package org

import (
	"context"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/importer"
)

// Import kinds.
const (
	KindPeople = "people"
	KindUnits  = "org_units"
)

// ImportKinds are the files this package imports: people and org units.
func (s *Service) ImportKinds() []*importer.Kind {
	opts := func(o importer.Options) ImportOptions {
		return ImportOptions{Full: o.Full, Encoding: o.Encoding, Filename: o.Filename}
	}
	return []*importer.Kind{{
		Name: KindPeople, Label: "People", Perm: core.PermPeopleWrite, Uses: []string{"full"},
		Help: "People files need employee number, given name and family name; they may also have email, job title, job role, org unit (code or name), manager (employee number or email), location, time zone, hire date (YYYY-MM-DD), status (active or left) and left on. A person missing from a full import is marked as having left, never deleted.",
		Plan: func(ctx context.Context, actor *core.Actor, data []byte, o importer.Options) (*ImportReport, error) {
			return s.PlanImport(ctx, actor, data, opts(o))
		},
		Apply: func(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, o importer.Options) (*ImportReport, error) {
			if err := actor.Require(core.PermPeopleWrite); err != nil {
				return nil, err
			}
			return s.importIn(ctx, tx, actor, data, opts(o))
		},
	}, {
		Name: KindUnits, Label: "Org units", Perm: core.PermPeopleWrite,
		Help: "Org-unit files need code, name and kind (company, division, department or team) and may name a parent code. Units missing from the file are kept.",
		Plan: func(ctx context.Context, actor *core.Actor, data []byte, o importer.Options) (*ImportReport, error) {
			return s.PlanUnitImport(ctx, actor, data, opts(o))
		},
		Apply: func(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, o importer.Options) (*ImportReport, error) {
			if err := actor.Require(core.PermPeopleWrite); err != nil {
				return nil, err
			}
			return s.importUnitsIn(ctx, tx, actor, data, opts(o))
		},
	}}
}
