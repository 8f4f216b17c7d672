package xapi

import (
	"encoding/json"
	"testing"
)

// AppendJSON writes what encoding/json writes for the same tree, for the trees the parser makes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"b":1,"a":[true,false,null,"x"],"c":{"z":"\u0001\n\t\"\\ é 日本","y":-1.5e3}}`,
		`{"actor":{"mbox":"mailto:a@b.c"},"result":{"score":{"scaled":0.12345678901234567890}},"extensions":{"http://x.com/e":{"deep":[[1],[2,{"k":"v"}]]}}}`,
		`{"empty":{},"list":[],"s":""}`,
	} {
		tree, perr := parseJSON([]byte(in), nil)
		if perr != nil {
			t.Fatal(perr)
		}
		got, err := AppendJSON(nil, tree)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(tree)
		if string(got) != string(want) {
			t.Errorf("AppendJSON(%s)\n got %s\nwant %s", in, got, want)
		}
	}
	if _, err := AppendJSON(nil, map[string]any{"x": struct{}{}}); err == nil {
		t.Error("an unknown type was encoded")
	}
}
