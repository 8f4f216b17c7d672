package xapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// baseStatement is a minimal valid statement the validation tables edit.
const baseStatement = `{
	"id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
	"actor": {"objectType": "Agent", "name": "Sample Agent", "mbox": "mailto:sample.agent@example.com"},
	"verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
	"object": {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
}`

// subStatement is a valid SubStatement object for edits at "object".
const subStatement = `{
	"objectType": "SubStatement",
	"actor": {"objectType": "Agent", "mbox": "mailto:sub@example.com"},
	"verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
	"object": {"objectType": "Activity", "id": "http://example.com/website"}
}`

// edit sets (or with del, removes) the value at a path such as "context.contextActivities.
// parent[0].id" in a statement tree; value is JSON.
type edit struct {
	path  string
	value string
}

const del = "\x00delete"

func set(path, value string) edit { return edit{path, value} }
func remove(path string) edit     { return edit{path, del} }

// build returns base with the edits applied, as JSON.
func build(t testing.TB, base string, edits ...edit) []byte {
	t.Helper()
	tree, err := decode(base)
	if err != nil {
		t.Fatalf("base: %v", err)
	}
	for _, e := range edits {
		var val any
		if e.value != del {
			if val, err = decode(e.value); err != nil {
				t.Fatalf("edit %s: value %s: %v", e.path, e.value, err)
			}
		}
		tree = apply(t, tree, splitPath(e.path), val, e.value == del)
	}
	out, err := json.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decode reads JSON with numbers kept as json.Number, as the package's own parser does.
func decode(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// splitPath splits "a.b[2].c" into "a", "b", "[2]", "c".
func splitPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		for {
			i := strings.IndexByte(part, '[')
			if i < 0 {
				if part != "" {
					out = append(out, part)
				}
				break
			}
			if i > 0 {
				out = append(out, part[:i])
			}
			j := strings.IndexByte(part, ']')
			out = append(out, part[i:j+1])
			part = part[j+1:]
		}
	}
	return out
}

func apply(t testing.TB, node any, path []string, val any, remove bool) any {
	t.Helper()
	if len(path) == 0 {
		return val
	}
	seg := path[0]
	if strings.HasPrefix(seg, "[") {
		i, _ := strconv.Atoi(seg[1 : len(seg)-1])
		list, _ := node.([]any)
		for len(list) <= i {
			list = append(list, map[string]any{})
		}
		if remove && len(path) == 1 {
			return append(list[:i], list[i+1:]...)
		}
		list[i] = apply(t, list[i], path[1:], val, remove)
		return list
	}
	m, ok := node.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	if remove && len(path) == 1 {
		delete(m, seg)
		return m
	}
	m[seg] = apply(t, m[seg], path[1:], val, remove)
	return m
}

// rootPath in a test case stands for an error with an empty Path.
const rootPath = "<root>"

// checkErr asserts err is an *Error at wantPath (any error when wantPath is "*", an empty path
// when it is rootPath, none when it is "") whose message contains wantMsg.
func checkErr(t *testing.T, err error, wantPath, wantMsg string) {
	t.Helper()
	if wantPath == "" {
		if err != nil {
			t.Fatalf("want no error, got %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want an error at %s, got none", wantPath)
	}
	var xe *Error
	if !errors.As(err, &xe) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if xe.Status != 400 {
		t.Errorf("status = %d, want 400", xe.Status)
	}
	if wantPath == rootPath {
		wantPath = ""
	}
	if wantPath != "*" && xe.Path != wantPath {
		t.Errorf("path = %q, want %q (error: %v)", xe.Path, wantPath, err)
	}
	if wantMsg != "" && !strings.Contains(xe.Message, wantMsg) {
		t.Errorf("message = %q, want it to contain %q", xe.Message, wantMsg)
	}
}
