package skills

import (
	"context"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/tabular"
)

// Import kinds: a skills framework file, and levels from a skills matrix.
const (
	KindFramework = "skills"
	KindMatrix    = "skills_matrix"
)

// ImportKinds are the files this package imports: the skills framework, and levels edited in a
// skills matrix (the matrix export, or any sheet with a person column and one column per skill).
func (s *Service) ImportKinds() []*importer.Kind {
	framework := func(o importer.Options) FrameworkOptions {
		return FrameworkOptions{Encoding: o.Encoding, Filename: o.Filename}
	}
	matrix := func(o importer.Options) MatrixImportOptions {
		return MatrixImportOptions{Source: o.Source, Encoding: o.Encoding, Filename: o.Filename}
	}
	return []*importer.Kind{{
		Name: KindFramework, Label: "Skills framework", Perm: core.PermSkillsWrite,
		Help: "Skills framework files have one row per skill: skill (name or alias), category (a path such as Engineering / Backend, created when missing), type (technical, soft, language, certification, tool, domain), description, aliases (separated by semicolons) and retired (yes or no). A file changes only the columns it has; skills missing from it are kept.",
		Plan: func(ctx context.Context, actor *core.Actor, data []byte, o importer.Options) (*tabular.Report, error) {
			return s.PlanFrameworkImport(ctx, actor, data, framework(o))
		},
		Apply: func(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, o importer.Options) (*tabular.Report, error) {
			opts := framework(o)
			return s.importFrameworkIn(ctx, tx, actor, orFile(opts.Filename, "a skills framework file"), func(q db.Queryer) (*frameworkPlan, error) {
				return s.planFramework(ctx, q, data, opts)
			})
		},
	}, {
		Name: KindMatrix, Label: "Skill levels from a skills matrix", Perm: core.PermSkillsRate, Uses: []string{"source"}, Sources: MatrixImportSources,
		// Managers rate their reporting line; skills administrators record test results.
		Offer: func(a *core.Actor) bool { return a.IsManager || a.Can(core.PermSkillsWrite) },
		Help:  "Skills matrix files (XLSX or CSV) have one row per person, identified by employee number or email, and one column per skill (its name or an alias) holding a whole level of the scale; other columns (name, job role, org unit) are ignored, and so are the other sheets of a workbook exported from learnloop. An empty cell changes nothing; each changed cell records a rating from the chosen source: manager (you rate the people below you) or test.",
		Plan: func(ctx context.Context, actor *core.Actor, data []byte, o importer.Options) (*tabular.Report, error) {
			return s.PlanMatrixImport(ctx, actor, data, matrix(o))
		},
		Apply: func(ctx context.Context, tx *db.Tx, actor *core.Actor, data []byte, o importer.Options) (*tabular.Report, error) {
			return s.importMatrixIn(ctx, tx, actor, data, matrix(o))
		},
	}}
}
