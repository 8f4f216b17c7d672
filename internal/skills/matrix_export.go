package skills

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/tabular"
)

// Matrix file layout: the first columns say who, the rest are skills; a cell holds the person's
// current level (empty without evidence). The importer reads the same layout.
var matrixPersonColumns = []string{"Employee number", "Name", "Job role", "Org unit"}

// Names of the sheets of an exported workbook.
const (
	SheetMatrix   = "Matrix"
	SheetRequired = "Required"
	SheetLegend   = "Legend"
)

// ExportMatrix writes the whole matrix of f (every page of people, every skill) as "csv" or
// "xlsx". Rows are written as they are read, a page at a time, so memory stays flat however many
// people the selection holds.
func (s *Service) ExportMatrix(ctx context.Context, actor *core.Actor, f MatrixFilter, format string, w io.Writer) (int, error) {
	f.Limit, f.Offset, f.Cursor, f.SkillOffset, f.SkillLimit = 200, 0, "", 0, 0
	// The selection, its columns and requirements are worked out once, not for every page. Each
	// page holds every column: a page of the screen's 300 would drop the rest of a wide
	// selection's skills without a word.
	fr, err := s.matrixFrame(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	first, err := s.matrixPage(ctx, actor, f, fr, 0)
	if err != nil {
		return 0, err
	}
	var out matrixWriter
	switch format {
	case "csv":
		out = &csvMatrix{w: csv.NewWriter(w)}
	case "xlsx":
		scale, err := s.Scale(ctx, actor)
		if err != nil {
			return 0, err
		}
		out = &xlsxMatrix{w: w, scale: scale}
	default:
		return 0, core.Invalid("format", "choose csv or xlsx")
	}
	if err := out.start(first.Skills); err != nil {
		return 0, err
	}
	n := 0
	for page := first; ; {
		for _, row := range page.Rows {
			if err := out.row(row); err != nil {
				return n, err
			}
			n++
		}
		if page.NextCursor == "" && page.NextOffset == 0 {
			break
		}
		f.Cursor, f.Offset = page.NextCursor, page.NextOffset
		if page, err = s.matrixPage(ctx, actor, f, fr, 0); err != nil {
			return n, err
		}
	}
	return n, out.finish()
}

type matrixWriter interface {
	start(skills []MatrixSkill) error
	row(r MatrixRow) error
	finish() error
}

// levelText writes a level as people read it: "3" or "3.3"; empty without evidence.
func levelText(c MatrixCell) string {
	if !c.Rated {
		return ""
	}
	return strconv.FormatFloat(c.Level, 'f', -1, 64)
}

type csvMatrix struct{ w *csv.Writer }

func (c *csvMatrix) start(skills []MatrixSkill) error {
	header := append([]string{}, matrixPersonColumns...)
	for _, s := range skills {
		header = append(header, tabular.Escape(s.Name))
	}
	return c.w.Write(header)
}

func (c *csvMatrix) row(r MatrixRow) error {
	rec := []string{tabular.Escape(r.EmployeeNumber), tabular.Escape(r.Name), tabular.Escape(r.JobRole), tabular.Escape(r.OrgUnit)}
	for _, cell := range r.Cells {
		rec = append(rec, levelText(cell))
	}
	return c.w.Write(rec)
}

func (c *csvMatrix) finish() error { c.w.Flush(); return c.w.Error() }

// xlsxMatrix streams a workbook: the matrix with frozen headers and conditional colours, the
// required levels in the same cells of a second sheet (which the colours compare with), and a
// legend.
type xlsxMatrix struct {
	w        io.Writer
	scale    []ScaleLevel
	f        *excelize.File
	matrix   *excelize.StreamWriter
	required *excelize.StreamWriter
	skills   int
	rowNum   int
}

func (x *xlsxMatrix) start(skills []MatrixSkill) error {
	x.f, x.skills, x.rowNum = excelize.NewFile(), len(skills), 1
	if err := x.f.SetSheetName("Sheet1", SheetMatrix); err != nil {
		return err
	}
	if _, err := x.f.NewSheet(SheetRequired); err != nil {
		return err
	}
	if err := x.legend(); err != nil {
		return err
	}
	last := len(matrixPersonColumns) + len(skills)
	if len(skills) > 0 {
		if err := x.colours(last); err != nil {
			return err
		}
	}
	// Set before the sheets stream: afterwards, excelize would read every streamed row back into
	// memory to mark the tab, the very thing streaming avoids.
	x.f.SetActiveSheet(0)
	var err error
	if x.matrix, err = x.f.NewStreamWriter(SheetMatrix); err != nil {
		return err
	}
	if x.required, err = x.f.NewStreamWriter(SheetRequired); err != nil {
		return err
	}
	bold, err := x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	header := make([]any, 0, last)
	for _, c := range matrixPersonColumns {
		header = append(header, excelize.Cell{Value: c, StyleID: bold})
	}
	for _, s := range skills {
		header = append(header, excelize.Cell{Value: s.Name, StyleID: bold})
	}
	for _, sw := range []*excelize.StreamWriter{x.matrix, x.required} {
		if err := sw.SetColWidth(1, 1, 16); err != nil {
			return err
		}
		if err := sw.SetColWidth(2, 4, 24); err != nil {
			return err
		}
		if last > 4 {
			if err := sw.SetColWidth(5, last, 12); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 48}); err != nil {
			return err
		}
	}
	return nil
}

// colours adds the conditional formats: a level at or above what the person's role requires is
// green, below it (or missing) orange; both compare with the same cell of the Required sheet.
func (x *xlsxMatrix) colours(last int) error {
	lastCol, err := excelize.ColumnNumberToName(last)
	if err != nil {
		return err
	}
	gap, err := x.f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"F8CBAD"}, Pattern: 1}})
	if err != nil {
		return err
	}
	met, err := x.f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"C6EFCE"}, Pattern: 1}})
	if err != nil {
		return err
	}
	area := fmt.Sprintf("E2:%s1048576", lastCol)
	return x.f.SetConditionalFormat(SheetMatrix, area, []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: "=", Format: &gap, Value: `AND(ISNUMBER(Required!E2),Required!E2>0,OR(E2="",E2<Required!E2))`},
		{Type: "formula", Criteria: "=", Format: &met, Value: `AND(ISNUMBER(Required!E2),Required!E2>0,E2>=Required!E2)`},
	})
}

func (x *xlsxMatrix) legend() error {
	if _, err := x.f.NewSheet(SheetLegend); err != nil {
		return err
	}
	rows := [][]any{
		{"learnloop skills matrix"},
		{"Each row is a person, each skill column holds their current level (derived from every rating, one decimal); an empty cell means no evidence yet."},
		{"The Required sheet holds, in the same cells, the level each person's job role requires (empty: not required)."},
		{"Green: at or above the required level. Orange: below it, or no evidence for a required skill."},
		{"To record new levels, change cells in the Matrix sheet and import the file: changed cells become ratings; unchanged cells change nothing."},
		{},
		{"Level", "Name", "Description"},
	}
	for _, l := range x.scale {
		rows = append(rows, []any{l.Level, l.Name, l.Description})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.f.SetSheetRow(SheetLegend, cell, &r); err != nil {
			return err
		}
	}
	return x.f.SetColWidth(SheetLegend, "A", "A", 12)
}

func (x *xlsxMatrix) row(r MatrixRow) error {
	x.rowNum++
	cell, _ := excelize.CoordinatesToCellName(1, x.rowNum)
	vals := []any{r.EmployeeNumber, r.Name, r.JobRole, r.OrgUnit}
	req := []any{r.EmployeeNumber, r.Name, r.JobRole, r.OrgUnit}
	for _, c := range r.Cells {
		if c.Rated {
			vals = append(vals, c.Level)
		} else {
			vals = append(vals, nil)
		}
		if c.Required > 0 {
			req = append(req, c.Required)
		} else {
			req = append(req, nil)
		}
	}
	if err := x.matrix.SetRow(cell, vals); err != nil {
		return err
	}
	return x.required.SetRow(cell, req)
}

func (x *xlsxMatrix) finish() error {
	if err := x.matrix.Flush(); err != nil {
		return err
	}
	if err := x.required.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.w)
	return err
}
