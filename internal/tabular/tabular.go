// Package tabular reads the spreadsheets people bring from other systems (CSV exported by an
// HRIS or by Excel): it detects the encoding and the separator, maps columns by header name and
// reports every problem with its line and column, so importers can validate everything before
// they change anything.
package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Problem is one thing wrong with an input file, located as precisely as possible.
type Problem struct {
	Line   int    `json:"line"`             // 1-based line in the file; 0 for the whole file
	Column string `json:"column,omitempty"` // the column's header as written in the file
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, "%s: ", p.Column)
	}
	b.WriteString(p.Reason)
	return b.String()
}

// FileError is a problem with the file as a whole (not text, no header, no rows).
type FileError struct{ Problem }

func (e *FileError) Error() string { return e.Problem.String() }

// Encodings the reader accepts besides UTF-8 (which it also detects from a byte-order mark).
var Encodings = map[string]encoding.Encoding{
	"windows-1252": charmap.Windows1252,
	"iso-8859-1":   charmap.ISO8859_1,
	"iso-8859-15":  charmap.ISO8859_15,
}

// Options tunes Read.
type Options struct {
	// Encoding is "", "utf-8" or a key of Encodings.
	Encoding string
	// Comma forces a separator; 0 detects one of , ; or tab from the header line.
	Comma rune
}

// Row is one record with the line it starts on.
type Row struct {
	Line   int
	Fields []string
}

// Table is a parsed file: its header and its non-empty rows.
type Table struct {
	Header []string
	Rows   []Row
	Comma  rune
	// Problems found while reading: rows whose field count differs from the header, bad quoting.
	Problems []Problem
}

// Read parses a whole CSV file. It fails with a *FileError when the file cannot be read as a
// table at all; row-level problems are collected in Table.Problems.
func Read(data []byte, opts Options) (*Table, error) {
	text, err := decode(data, opts.Encoding)
	if err != nil {
		return nil, err
	}
	comma := opts.Comma
	if comma == 0 {
		comma = sniffComma(text)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	t := &Table{Comma: comma}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if t.Header == nil {
					return nil, &FileError{Problem{Line: pe.StartLine, Reason: "the header line is not valid CSV: " + pe.Err.Error()}}
				}
				t.Problems = append(t.Problems, Problem{Line: pe.StartLine, Reason: "not valid CSV: " + pe.Err.Error() + " (a quote inside a field must be doubled)"})
				if len(t.Problems) > 1000 {
					return nil, &FileError{Problem{Reason: "more than 1000 lines are not valid CSV; is this the right file and separator?"}}
				}
				continue
			}
			return nil, &FileError{Problem{Reason: err.Error()}}
		}
		if blank(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		if t.Header == nil {
			for i := range rec {
				rec[i] = strings.TrimSpace(rec[i])
			}
			t.Header = rec
			continue
		}
		if len(rec) != len(t.Header) {
			t.Problems = append(t.Problems, Problem{Line: line, Reason: fmt.Sprintf("has %d fields but the header has %d", len(rec), len(t.Header))})
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Fields: rec})
	}
	if t.Header == nil {
		return nil, &FileError{Problem{Reason: "the file has no header line"}}
	}
	return t, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// decode turns the file into UTF-8 text: a byte-order mark selects UTF-8 or UTF-16, otherwise the
// named encoding, otherwise the text must already be valid UTF-8.
func decode(data []byte, enc string) (string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", &FileError{Problem{Reason: "the file is empty"}}
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := io.ReadAll(transform.NewReader(bytes.NewReader(data), xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()))
		if err != nil {
			return "", &FileError{Problem{Reason: "the file starts like UTF-16 text but cannot be decoded"}}
		}
		data = out
	default:
		switch strings.ToLower(enc) {
		case "", "utf-8", "utf8":
		default:
			e, ok := Encodings[strings.ToLower(enc)]
			if !ok {
				return "", &FileError{Problem{Reason: fmt.Sprintf("unknown encoding %q: use utf-8, windows-1252, iso-8859-1 or iso-8859-15", enc)}}
			}
			out, err := e.NewDecoder().Bytes(data)
			if err != nil {
				return "", &FileError{Problem{Reason: "the file cannot be decoded as " + enc}}
			}
			data = out
		}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", &FileError{Problem{Line: lineOf(data, i), Reason: "the file is not text (it contains NUL bytes); export it as CSV"}}
	}
	if !utf8.Valid(data) {
		i := firstInvalid(data)
		return "", &FileError{Problem{Line: lineOf(data, i), Reason: "the file is not UTF-8 text; save it as \"CSV UTF-8\" or choose its encoding (for example windows-1252)"}}
	}
	return string(data), nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func lineOf(b []byte, i int) int { return bytes.Count(b[:i], []byte{'\n'}) + 1 }

// sniffComma picks the separator that occurs most often in the first line outside quotes:
// Excel writes semicolons where the decimal separator is a comma.
func sniffComma(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
		}
		if r == '\n' && !quoted {
			break
		}
		if !quoted && (r == ',' || r == ';' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// Columns maps header names to fields. Aliases maps each field to the header names that mean it;
// names compare case-, space- and punctuation-insensitively ("Employee ID" = "employee_id").
type Columns struct {
	Index   map[string]int // field → column index
	Header  []string
	Unknown []string // headers that match no field, ignored
}

// Key normalizes a header name for comparison.
func Key(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MapColumns maps t's header through aliases. It reports a header used twice for one field and
// every required field without a column.
func (t *Table) MapColumns(aliases map[string][]string, required []string) (*Columns, []Problem) {
	lookup := map[string]string{}
	for field, names := range aliases {
		lookup[Key(field)] = field
		for _, n := range names {
			lookup[Key(n)] = field
		}
	}
	c := &Columns{Index: map[string]int{}, Header: t.Header}
	var probs []Problem
	for i, h := range t.Header {
		field, ok := lookup[Key(h)]
		if !ok {
			if h != "" {
				c.Unknown = append(c.Unknown, h)
			}
			continue
		}
		if j, dup := c.Index[field]; dup {
			probs = append(probs, Problem{Line: 1, Column: h, Reason: fmt.Sprintf("this column and %q both mean %s; keep one", t.Header[j], field)})
			continue
		}
		c.Index[field] = i
	}
	for _, f := range required {
		if _, ok := c.Index[f]; !ok {
			probs = append(probs, Problem{Line: 1, Reason: fmt.Sprintf("missing column %s (accepted headers: %s)", f, strings.Join(append([]string{f}, aliases[f]...), ", "))})
		}
	}
	return c, probs
}

// Has reports whether the file has a column for field.
func (c *Columns) Has(field string) bool { _, ok := c.Index[field]; return ok }

// Get returns the trimmed value of field in row ("" when the file has no such column). A leading
// apostrophe that protects a formula-like value in spreadsheets (see Escape) is removed.
func (c *Columns) Get(row Row, field string) string {
	i, ok := c.Index[field]
	if !ok {
		return ""
	}
	return Unescape(strings.TrimSpace(row.Fields[i]))
}

// Name returns the header the file uses for field.
func (c *Columns) Name(field string) string {
	if i, ok := c.Index[field]; ok {
		return c.Header[i]
	}
	return field
}

// Escape protects a value that a spreadsheet would run as a formula by prefixing an apostrophe
// (CSV injection); Unescape undoes it, so exported files re-import unchanged.
func Escape(s string) string {
	if escaped(s) {
		return "'" + s
	}
	return s
}

// escaped reports whether s starts like a formula, or is an apostrophe
// before such a value, which Escape must protect so Unescape gives it back.
func escaped(s string) bool {
	for s != "" && s[0] == '\'' {
		s = s[1:]
	}
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// Unescape removes the apostrophe Escape added.
func Unescape(s string) string {
	if len(s) >= 2 && s[0] == '\'' && escaped(s[1:]) {
		return s[1:]
	}
	return s
}
