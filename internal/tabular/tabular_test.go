package tabular_test

import (
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/tabular"
)

func TestReadDetectsSeparatorsAndEncodings(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		opts  tabular.Options
		comma rune
		cell  string // row 1, column 2
	}{
		{"comma", "a,b,c\n1,2,3\n", tabular.Options{}, ',', "2"},
		{"semicolon from a comma-decimal Excel", "a;b;c\n1;2,5;3\n", tabular.Options{}, ';', "2,5"},
		{"tab", "a\tb\tc\n1\t2\t3\n", tabular.Options{}, '\t', "2"},
		{"quoted commas do not count", "\"a,x,y\";b;c\n1;2;3\n", tabular.Options{}, ';', "2"},
		{"UTF-8 byte-order mark", "\ufeffa,b,c\n1,é,3\n", tabular.Options{}, ',', "é"},
		{"CRLF line ends", "a,b,c\r\n1,2,3\r\n", tabular.Options{}, ',', "2"},
		{"windows-1252 when asked", "a,b,c\n1,\xe9,3\n", tabular.Options{Encoding: "windows-1252"}, ',', "é"},
		{"blank lines are skipped", "\na,b,c\n\n1,2,3\n,,\n", tabular.Options{}, ',', "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := tabular.Read([]byte(tt.data), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Comma != tt.comma || len(tab.Rows) != 1 || tab.Rows[0].Fields[1] != tt.cell {
				t.Errorf("comma %q rows %+v", tab.Comma, tab.Rows)
			}
		})
	}
}

func TestReadReportsBadFiles(t *testing.T) {
	for _, tt := range []struct{ data, want string }{
		{"", "empty"},
		{"a,b\n1,\xff\n", "line 2: the file is not UTF-8"},
		{"PK\x03\x04\x00\x00", "not text"},
		{"\"a,b\n", "header line is not valid CSV"},
	} {
		_, err := tabular.Read([]byte(tt.data), tabular.Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.data, err, tt.want)
		}
	}
	tab, err := tabular.Read([]byte("a,b\n1,2,3\n4\n5,6\n"), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Problems) != 2 || tab.Problems[0].Line != 2 || tab.Problems[1].Line != 3 || len(tab.Rows) != 1 || tab.Rows[0].Line != 4 {
		t.Errorf("problems %+v rows %+v", tab.Problems, tab.Rows)
	}
}

func TestMapColumns(t *testing.T) {
	tab, _ := tabular.Read([]byte("Employee ID, First-Name ,shoe size\n1,Ann,38\n"), tabular.Options{})
	aliases := map[string][]string{"employee_number": {"employee id"}, "given_name": {"first name"}, "family_name": {"last name"}}
	cols, probs := tab.MapColumns(aliases, []string{"employee_number", "family_name"})
	if len(probs) != 1 || !strings.Contains(probs[0].Reason, "missing column family_name") {
		t.Errorf("problems %+v", probs)
	}
	if cols.Get(tab.Rows[0], "given_name") != "Ann" || cols.Name("given_name") != "First-Name" || len(cols.Unknown) != 1 {
		t.Errorf("columns %+v", cols)
	}
}

func TestEscapeRoundTrips(t *testing.T) {
	for _, s := range []string{"=SUM(A1)", "+1", "-x", "@user", "plain", "", "'quoted", "'=x", "''-1"} {
		if got := tabular.Unescape(tabular.Escape(s)); got != s {
			t.Errorf("%q → %q", s, got)
		}
		if e := tabular.Escape(s); strings.ContainsAny(e[:min(1, len(e))], "=+-@") {
			t.Errorf("Escape(%q) = %q still starts like a formula", s, e)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), "")
	f.Add([]byte("\ufeffa;b\n\"x\"\"y\";2\n"), "")
	f.Add([]byte("\xff\xfea\x00,\x00b\x00\n\x00"), "")
	f.Add([]byte("a\n\"open"), "windows-1252")
	f.Fuzz(func(t *testing.T, data []byte, enc string) {
		tab, err := tabular.Read(data, tabular.Options{Encoding: enc})
		if err != nil {
			if _, ok := err.(*tabular.FileError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, r := range tab.Rows {
			if len(r.Fields) != len(tab.Header) || r.Line < 1 {
				t.Fatalf("row %+v does not fit header %v", r, tab.Header)
			}
		}
	})
}
