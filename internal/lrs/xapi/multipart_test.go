package xapi

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
)

const boundary = "-------314159265358979323846"

var (
	text1 = []byte("here is a simple attachment")
	text2 = []byte("here is another simple attachment")
)

func sha256hex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
func sha512hex(b []byte) string { s := sha512.Sum512(b); return hex.EncodeToString(s[:]) }

// mpart is one part of a test body: header lines and data.
type mpart struct {
	headers []string
	data    []byte
}

func jsonPart(js []byte) mpart { return mpart{[]string{"Content-Type: application/json"}, js} }

func dataPart(data []byte, sum string) mpart {
	return mpart{[]string{"Content-Type: text/plain", "Content-Transfer-Encoding: binary", HashHeader + ": " + sum}, data}
}

// body joins parts into a multipart/mixed body with CRLF line endings.
func body(parts ...mpart) []byte {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n")
		for _, h := range p.headers {
			b.WriteString(h + "\r\n")
		}
		b.WriteString("\r\n")
		b.Write(p.data)
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

// attached is baseStatement with attachments whose data travels as parts.
func attached(t *testing.T, datas ...[]byte) []byte {
	var edits []edit
	for i, d := range datas {
		edits = append(edits, set("attachments["+strconv.Itoa(i)+"]", `{"usageType": "http://example.com/attachment-usage/test",
			"display": {"en-US": "A test attachment"}, "contentType": "text/plain", "length": `+strconv.Itoa(len(d))+`, "sha2": "`+sha256hex(d)+`"}`))
	}
	return build(t, baseStatement, edits...)
}

const mixed = "multipart/mixed; boundary=" + boundary

func TestParseMultipart(t *testing.T) {
	withURL := build(t, baseStatement, set("attachments", "["+validAttachment+"]"))
	twoStatements := []byte("[" + string(attached(t, text1)) + "," + string(build(t, string(attached(t, text2)), set("id", `"fd41c918-b88b-4b20-a0a5-a4c32391aaa1"`))) + "]")
	cases := []struct {
		name        string
		contentType string
		body        []byte
		limit       int64
		path        string
		msg         string
		status      int
		parts       int
	}{
		{name: "one attachment", body: body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1))), parts: 1},
		{name: "two attachments", body: body(jsonPart(attached(t, text1, text2)), dataPart(text1, sha256hex(text1)), dataPart(text2, sha256hex(text2))), parts: 2},
		{name: "a batch", body: body(jsonPart(twoStatements), dataPart(text2, sha256hex(text2)), dataPart(text1, sha256hex(text1))), parts: 2},
		{name: "no attachments", body: body(jsonPart([]byte(baseStatement))), parts: 0},
		{name: "fileUrl attachments only", body: body(jsonPart(withURL)), parts: 0},
		{name: "quoted boundary", contentType: `multipart/mixed; boundary="` + boundary + `"`, body: body(jsonPart([]byte(baseStatement)))},
		{name: "SHA-512 hash", body: body(jsonPart(build(t, string(attached(t, text1)), set("attachments[0].sha2", `"`+sha512hex(text1)+`"`))), dataPart(text1, sha512hex(text1))), parts: 1},
		{name: "upper-case hash header", body: body(jsonPart(attached(t, text1)), dataPart(text1, strings.ToUpper(sha256hex(text1)))), parts: 1},
		{name: "no Content-Transfer-Encoding", body: body(jsonPart(attached(t, text1)),
			mpart{[]string{"Content-Type: text/plain", HashHeader + ": " + sha256hex(text1)}, text1}), parts: 1},
		{name: "a copy of a part", body: body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1)), dataPart(text1, sha256hex(text1))), parts: 1},
		{name: "LF line endings", body: []byte(strings.ReplaceAll(string(body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1)))), "\r\n", "\n")), parts: 1},
		{name: "wrong hash", body: body(jsonPart(attached(t, text1)), dataPart(text2, sha256hex(text1))), path: "part 2", msg: "hash is"},
		{name: "part for no attachment", body: body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1)), dataPart(text2, sha256hex(text2))), path: "part 3", msg: "no attachment"},
		{name: "missing part", body: body(jsonPart(attached(t, text1, text2)), dataPart(text1, sha256hex(text1))), path: rootPath, msg: "neither a fileUrl nor a part"},
		{name: "no parts at all", body: body(jsonPart(attached(t, text1))), path: rootPath, msg: "neither a fileUrl nor a part"},
		{name: "missing hash header", body: body(jsonPart(attached(t, text1)), mpart{[]string{"Content-Type: text/plain", "Content-Transfer-Encoding: binary"}, text1}), path: "part 2", msg: HashHeader},
		{name: "hash not hexadecimal", body: body(jsonPart(attached(t, text1)), dataPart(text1, strings.Repeat("z", 64))), path: "part 2"},
		{name: "not binary", body: body(jsonPart(attached(t, text1)),
			mpart{[]string{"Content-Type: text/plain", "Content-Transfer-Encoding: base64", HashHeader + ": " + sha256hex(text1)}, text1}), path: "part 2", msg: "binary"},
		{name: "content type differs", body: body(jsonPart(attached(t, text1)),
			mpart{[]string{"Content-Type: image/png", HashHeader + ": " + sha256hex(text1)}, text1}), path: "part 2", msg: "contentType"},
		{name: "length differs", body: body(jsonPart(build(t, string(attached(t, text1)), set("attachments[0].length", "28"))), dataPart(text1, sha256hex(text1))), path: "part 2", msg: "length"},
		{name: "Content-Length differs", body: body(jsonPart(attached(t, text1)),
			mpart{[]string{"Content-Type: text/plain", "Content-Length: 5", HashHeader + ": " + sha256hex(text1)}, text1}), path: "part 2", msg: "Content-Length"},
		{name: "first part not JSON", body: body(mpart{[]string{"Content-Type: text/plain"}, attached(t, text1)}, dataPart(text1, sha256hex(text1))), path: "Content-Type", msg: "application/json"},
		{name: "first part without Content-Type", body: body(mpart{nil, attached(t, text1)}, dataPart(text1, sha256hex(text1))), path: "Content-Type"},
		{name: "statements in two parts", body: body(jsonPart(attached(t, text1)), jsonPart([]byte(baseStatement)), dataPart(text1, sha256hex(text1))), path: "part 2", msg: HashHeader},
		{name: "invalid statement", body: body(jsonPart(build(t, string(attached(t, text1)), remove("verb"))), dataPart(text1, sha256hex(text1))), path: "verb"},
		{name: "malformed part header", body: body(jsonPart(attached(t, text1)), mpart{[]string{"Content-Type: text/plain", sha256hex(text1)}, text1}), path: rootPath, msg: "malformed"},
		{name: "no boundary in the header", contentType: "multipart/mixed;", body: body(jsonPart([]byte(baseStatement))), path: "Content-Type", msg: "boundary"},
		{name: "boundary too long", contentType: "multipart/mixed; boundary=" + strings.Repeat("b", 71), body: body(jsonPart([]byte(baseStatement))), path: "Content-Type", msg: "boundary"},
		{name: "wrong boundary in the body", contentType: "multipart/mixed; boundary=other", body: body(jsonPart([]byte(baseStatement))), path: rootPath, msg: "no statement part"},
		{name: "form-data", contentType: "multipart/form-data; boundary=" + boundary, body: body(jsonPart([]byte(baseStatement))), path: "Content-Type", msg: "multipart/mixed"},
		{name: "application/json", contentType: "application/json", body: []byte(baseStatement), path: "Content-Type"},
		{name: "empty body", body: nil, path: rootPath},
		{name: "truncated body", body: body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1)))[:400], path: rootPath, msg: "malformed"},
		{name: "over the limit", body: body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1))), limit: 300, status: 413},
		{name: "just under the limit", body: body(jsonPart(attached(t, text1)), dataPart(text1, sha256hex(text1))), limit: 10000, parts: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ct := c.contentType
			if ct == "" {
				ct = mixed
			}
			sts, _, parts, err := ParseMultipart(bytes.NewReader(c.body), ct, c.limit, V103)
			if c.status == 413 {
				var xe *Error
				if !errors.As(err, &xe) || xe.Status != 413 {
					t.Fatalf("want a 413 *Error, got %v", err)
				}
				return
			}
			checkErr(t, err, c.path, c.msg)
			if c.path != "" {
				return
			}
			if len(sts) == 0 || len(parts) != c.parts {
				t.Fatalf("%d statements, %d parts; want %d parts", len(sts), len(parts), c.parts)
			}
			for _, p := range parts {
				var want []byte
				switch p.SHA2 {
				case sha256hex(text1), sha512hex(text1):
					want = text1
				case sha256hex(text2):
					want = text2
				}
				if !bytes.Equal(p.Data, want) || p.ContentType != "text/plain" {
					t.Errorf("part %s = %q (%s)", p.SHA2, p.Data, p.ContentType)
				}
			}
		})
	}
}

// The body the conformance suite's signStatement builds: a leading CRLF, headers without a space
// after the colon and no CRLF after the closing delimiter.
func TestParseMultipartSuiteFraming(t *testing.T) {
	st := attached(t, text1)
	b := "\r\n--" + boundary + "\r\nContent-Type:application/json\r\n\r\n" + string(st) +
		"\r\n--" + boundary + "\r\nContent-Type:text/plain\r\nContent-Transfer-Encoding:binary\r\n" + HashHeader + ":" + sha256hex(text1) + "\r\n\r\n" +
		string(text1) + "\r\n--" + boundary + "--"
	_, array, parts, err := ParseMultipart(strings.NewReader(b), mixed, 1<<20, V200)
	if err != nil {
		t.Fatal(err)
	}
	if array || len(parts) != 1 || !bytes.Equal(parts[0].Data, text1) {
		t.Fatalf("array %v, parts %v", array, parts)
	}
}

func TestWriteMultipartRoundTrip(t *testing.T) {
	st := attached(t, text1, text2)
	parts := []Part{{SHA2: sha256hex(text1), ContentType: "text/plain", Data: text1}, {SHA2: sha256hex(text2), ContentType: "text/plain", Data: text2}}
	var buf bytes.Buffer
	ct, err := WriteMultipart(&buf, st, parts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "multipart/mixed; boundary=") {
		t.Fatalf("content type %q", ct)
	}
	sts, _, got, err := ParseMultipart(&buf, ct, 0, V103)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 1 || len(got) != 2 {
		t.Fatalf("%d statements, %d parts", len(sts), len(got))
	}
	for i := range parts {
		if got[i].SHA2 != parts[i].SHA2 || !bytes.Equal(got[i].Data, parts[i].Data) || got[i].ContentType != parts[i].ContentType {
			t.Errorf("part %d = %+v, want %+v", i, got[i], parts[i])
		}
	}
	// A part without a content type is sent as application/octet-stream.
	buf.Reset()
	if _, err := WriteMultipart(&buf, []byte(`{"statements": []}`), []Part{{SHA2: sha256hex(text1), Data: text1}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Content-Type: application/octet-stream") || !strings.Contains(buf.String(), "Content-Transfer-Encoding: binary") {
		t.Errorf("part headers missing:\n%s", buf.String())
	}
}
