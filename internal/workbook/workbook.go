// Package workbook writes XLSX files of plain tables, as reports and exports hand them to people
// who open them in a spreadsheet: each table on its own sheet under a bold header row that stays
// in view, its rows streamed to the file so that a large export keeps memory flat.
package workbook

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Workbook is an XLSX file being written. Close it when done.
type Workbook struct {
	f      *excelize.File
	bold   int
	sheets int
}

// New starts an empty workbook.
func New() (*Workbook, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Workbook{f: f, bold: bold}, nil
}

// Close releases the workbook's temporary files.
func (w *Workbook) Close() error { return w.f.Close() }

// sheet adds a sheet called name; the first one takes the place of the new file's empty sheet.
func (w *Workbook) sheet(name string) error {
	w.sheets++
	if w.sheets == 1 {
		return w.f.SetSheetName(w.f.GetSheetName(0), name)
	}
	_, err := w.f.NewSheet(name)
	return err
}

// Table adds a sheet called name with header in bold and frozen, then the rows each yields, and
// returns how many rows it wrote. With filter, the header gets the spreadsheet's filter buttons.
// Values keep their Go types: numbers stay numbers, so they sort and sum.
func (w *Workbook) Table(name string, header []string, filter bool, each func(row func([]any) error) error) (int, error) {
	if err := w.sheet(name); err != nil {
		return 0, err
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return 0, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{Value: h, StyleID: w.bold}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return 0, err
	}
	n := 0
	if err := each(func(vals []any) error {
		n++
		return sw.SetRow("A"+strconv.Itoa(n+1), vals)
	}); err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	if filter {
		last, err := excelize.CoordinatesToCellName(len(header), n+1)
		if err != nil {
			return n, err
		}
		if err := w.f.AutoFilter(name, "A1:"+last, nil); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Rows adds a sheet called name of a few rows without a header, such as a summary.
func (w *Workbook) Rows(name string, rows [][]any) error {
	if err := w.sheet(name); err != nil {
		return err
	}
	for i, row := range rows {
		if err := w.f.SetSheetRow(name, "A"+strconv.Itoa(i+1), &row); err != nil {
			return err
		}
	}
	return nil
}

// WriteTo writes the workbook's file.
func (w *Workbook) WriteTo(out io.Writer) (int64, error) { return w.f.WriteTo(out) }

// Slice yields rows, for Table.
func Slice(rows [][]any) func(row func([]any) error) error {
	return func(row func([]any) error) error {
		for _, r := range rows {
			if err := row(r); err != nil {
				return err
			}
		}
		return nil
	}
}
