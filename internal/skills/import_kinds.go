package skills

import (
	"context"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/importer"
	"github.com/learnloop/learnloop/internal/tabular"
)

// KindFramework is the import kind of a skills framework file.
const KindFramework = "skills"

// ImportKinds are the files this package imports: the skills framework.
func (s *Service) ImportKinds() []*importer.Kind {
	framework := func(o importer.Options) FrameworkOptions {
		return FrameworkOptions{Encoding: o.Encoding, Filename: o.Filename}
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
	}}
}
