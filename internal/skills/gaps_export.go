package skills

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/tabular"
)

// GapFormats are the formats ExportGaps writes.
var GapFormats = []string{"csv", "json"}

// MaxGapExport bounds the rows of an exported ranking: more means a grouping too fine to read (a
// location per person, say), which the filters should narrow first.
const MaxGapExport = 100_000

// ExportGaps writes every row of the gap ranking f chooses, whatever f.Limit and f.Offset say, as
// "csv" (values a spreadsheet would run as formulas escaped) or "json" (a GapRanking), and
// returns the number of rows. Everything is read before the first byte is written, so an error
// leaves w untouched.
func (s *Service) ExportGaps(ctx context.Context, actor *core.Actor, f GapFilter, format string, w io.Writer) (int, error) {
	if err := seesOrganization(actor); err != nil {
		return 0, err
	}
	if !slices.Contains(GapFormats, format) {
		return 0, core.Invalid("format", "choose %s", strings.Join(GapFormats, " or "))
	}
	rk, err := s.fullGapRanking(ctx, f)
	if err != nil {
		return 0, err
	}
	if format == "json" {
		return len(rk.Rows), json.NewEncoder(w).Encode(rk)
	}
	c := csv.NewWriter(w)
	if err := c.Write([]string{"Rank", "Skill", "Category", "Group", "Criticality", "People required", "People short", "Levels missing", "Mean gap", "Priority"}); err != nil {
		return 0, err
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for i, r := range rk.Rows {
		if err := c.Write([]string{strconv.Itoa(i + 1), tabular.Escape(r.Skill), tabular.Escape(r.Category), tabular.Escape(r.Group), r.Criticality,
			strconv.Itoa(r.Required), strconv.Itoa(r.Short), num(r.GapSum), num(r.MeanGap), num(r.Priority)}); err != nil {
			return i, err
		}
	}
	c.Flush()
	return len(rk.Rows), c.Error()
}

// gapExportPage is how many rows fullGapRanking reads at a time: few enough for the parameters
// of the query that names them.
const gapExportPage = 1000

// fullGapRanking reads every row of the ranking f chooses, a page at a time, for an actor already
// allowed. Every page must come from the same refresh of the statistics: should a refresh land
// between two pages, it reads them all again.
func (s *Service) fullGapRanking(ctx context.Context, f GapFilter) (*GapRanking, error) {
	for range 3 {
		f.Offset = 0
		out, err := s.gapRanking(ctx, f, gapExportPage)
		if err != nil {
			return nil, err
		}
		if out.Total > MaxGapExport {
			return nil, core.Errorf(core.EINVALID, "the ranking has %d rows, more than %d: choose an org unit, a category or a criticality", out.Total, MaxGapExport)
		}
		same := true
		for len(out.Rows) < out.Total && same {
			f.Offset = len(out.Rows)
			page, err := s.gapRanking(ctx, f, gapExportPage)
			if err != nil {
				return nil, err
			}
			same = page.AsOf.Equal(out.AsOf) && page.Total == out.Total && len(page.Rows) > 0
			out.Rows = append(out.Rows, page.Rows...)
		}
		if same {
			return out, nil
		}
	}
	return nil, core.Errorf(core.ECONFLICT, "the figures were being brought up to date while they were read: try again")
}
