package xapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func statementSeeds(f *testing.F) {
	for _, s := range []string{baseStatement, richStatement, formatStatement, subStatement, "[" + baseStatement + "," + richStatement + "]", "[]",
		`{"actor":{"mbox":"mailto:a@b"},"verb":{"id":"x:y"},"object":{"id":"x:z"}}`, `{"a":` + `[[[[[[[[[[1]]]]]]]]]]` + `}`,
		`{"actor": {"name": "\u00fc\ud83d\ude00"}}`, "\xef\xbb\xbf[]", `{"id":1e999}`} {
		f.Add([]byte(s))
	}
}

// FuzzParseStatements checks that no input makes the parser panic or fail with anything but a
// 400 *Error, and that every statement it accepts is equivalent to itself and to its exact and
// canonical formats, and that every format of it parses again.
func FuzzParseStatements(f *testing.F) {
	statementSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, version := range []string{V103, V200} {
			sts, _, err := ParseStatements(data, version)
			if err != nil {
				var xe *Error
				if !errors.As(err, &xe) || xe.Status != 400 {
					t.Fatalf("error %v is not a 400 *Error", err)
				}
				continue
			}
			for _, st := range sts {
				if !Equivalent(st.Tree, st.Tree) {
					t.Fatal("a statement is not equivalent to itself")
				}
				for _, format := range []string{"exact", "ids", "canonical"} {
					out := Format(st.Tree, format, []string{"en-US", "*"})
					js, err := json.Marshal(out)
					if err != nil {
						t.Fatalf("%s: marshal: %v", format, err)
					}
					again, err := ParseStatement(js, version)
					if err != nil {
						t.Fatalf("%s format does not parse again: %v\n%s", format, err, js)
					}
					if format != "ids" && !Equivalent(st.Tree, again.Tree) {
						t.Fatalf("%s format is not equivalent to the statement:\n%s", format, js)
					}
				}
			}
		}
	})
}

// FuzzParseMultipart checks that no body makes ParseMultipart panic or fail with anything but a
// 400 or 413 *Error.
func FuzzParseMultipart(f *testing.F) {
	st := []byte(`{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},` +
		`"attachments":[{"usageType":"http://example.com/u","display":{"en":"a"},"contentType":"text/plain","length":27,"sha2":"` + sha256hex(text1) + `"}]}`)
	f.Add(body(jsonPart(st), dataPart(text1, sha256hex(text1))))
	f.Add(body(jsonPart(st), dataPart(text1, sha256hex(text1)), dataPart(text2, sha256hex(text2))))
	f.Add(body(jsonPart([]byte(baseStatement))))
	f.Add(body(mpart{nil, st}))
	f.Add([]byte("\r\n--" + boundary + "\r\nContent-Type:application/json\r\n\r\n" + string(st) + "\r\n--" + boundary + "--"))
	f.Add([]byte("--" + boundary + "\nContent-Type: application/json\n\n[]\n--" + boundary + "--\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sts, _, parts, err := ParseMultipart(bytes.NewReader(data), mixed, 1<<16, V103)
		if err != nil {
			var xe *Error
			if !errors.As(err, &xe) || (xe.Status != 400 && xe.Status != 413) {
				t.Fatalf("error %v is not a 400 or 413 *Error", err)
			}
			return
		}
		for _, p := range parts {
			found := false
			for _, st := range sts {
				for _, a := range st.Attachments {
					found = found || a.SHA2 == p.SHA2
				}
			}
			if !found {
				t.Fatalf("part %s matches no attachment", p.SHA2)
			}
		}
	})
}
