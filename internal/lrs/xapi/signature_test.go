package xapi

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

var (
	keyOnce  sync.Once
	testKey  *rsa.PrivateKey
	testCert []byte // DER of a self-signed certificate for testKey
	otherKey *rsa.PrivateKey
)

func keys(t *testing.T) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if testKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if otherKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "Example signer"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
		}
		if testCert, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &testKey.PublicKey, testKey); err != nil {
			panic(err)
		}
	})
}

// sign returns a compact JWS of payload.
func sign(t *testing.T, alg jose.SignatureAlgorithm, key any, payload []byte, x5c bool) []byte {
	t.Helper()
	opts := &jose.SignerOptions{}
	if x5c {
		opts = opts.WithHeader("x5c", []string{base64.StdEncoding.EncodeToString(testCert)})
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}

// signedStatement returns the statement as sent: payload with the signature attachment added.
func signedStatement(t *testing.T, payload []byte, jws []byte) *Statement {
	t.Helper()
	js := build(t, string(payload), set("attachments", `[{"usageType": "`+SignatureUsage+`", "display": {"en-US": "Signature"},
		"contentType": "application/octet-stream", "length": `+itoaLen(jws)+`, "sha2": "`+sha256hex(jws)+`"}]`))
	sts, _, err := parseStatements(js, V103, true)
	if err != nil {
		t.Fatal(err)
	}
	return sts[0]
}

func itoaLen(b []byte) string { return big.NewInt(int64(len(b))).String() }

func TestVerifySignature(t *testing.T) {
	keys(t)
	payload := build(t, baseStatement, set("timestamp", `"2013-04-01T12:00:00Z"`))
	other := build(t, baseStatement, set("verb.id", `"http://adlnet.gov/expapi/verbs/failed"`))
	good := sign(t, jose.RS256, testKey, payload, true)
	segs := strings.Split(string(good), ".")
	tampered := []byte(segs[0] + "." + base64.RawURLEncoding.EncodeToString(other) + "." + segs[2])
	hmac := sign(t, jose.HS256, []byte(strings.Repeat("k", 32)), payload, false)
	// Without x5c there is no key to check the signature with: only the payload is compared.
	noX5c := []byte(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + base64.RawURLEncoding.EncodeToString(other) + "." + segs[2])

	cases := []struct {
		name    string
		jws     []byte
		sent    []byte // the statement as sent, before the signature attachment is added
		wantMsg string
	}{
		{name: "RS256 with x5c", jws: good, sent: payload},
		{name: "RS384 with x5c", jws: sign(t, jose.RS384, testKey, payload, true), sent: payload},
		{name: "RS512 without x5c", jws: sign(t, jose.RS512, testKey, payload, false), sent: payload},
		{name: "trailing newline", jws: append(append([]byte{}, good...), '\r', '\n'), sent: payload},
		{name: "payload serialized differently", jws: sign(t, jose.RS256, testKey, []byte(strings.ReplaceAll(string(payload), ",", " ,\r\n ")), true), sent: payload},
		{name: "statement sent with its timestamp in another zone", jws: good, sent: build(t, string(payload), set("timestamp", `"2013-04-01T14:00:00+02:00"`))},
		{name: "payload differs from the statement", jws: sign(t, jose.RS256, testKey, other, true), sent: payload, wantMsg: "differs"},
		{name: "tampered payload", jws: tampered, sent: other, wantMsg: "does not verify"},
		{name: "tampered payload without x5c", jws: noX5c, sent: payload, wantMsg: "differs"},
		{name: "unverifiable without x5c", jws: noX5c, sent: other},
		{name: "signed by another key", jws: sign(t, jose.RS256, otherKey, payload, true), sent: payload, wantMsg: "does not verify"},
		{name: "HS256", jws: hmac, sent: payload, wantMsg: "RS256, RS384 or RS512"},
		{name: "other id", jws: sign(t, jose.RS256, testKey, build(t, string(payload), set("id", `"00000000-0000-4000-8000-000000000000"`)), true), sent: payload, wantMsg: "differs"},
		{name: "other timestamp", jws: sign(t, jose.RS256, testKey, build(t, string(payload), set("timestamp", `"2014-04-01T12:00:00Z"`)), true), sent: payload, wantMsg: "differs"},
		{name: "payload not JSON", jws: sign(t, jose.RS256, testKey, bytes.Replace(payload, []byte(`"`), []byte(`'`), 1), true), sent: payload, wantMsg: "not a JSON"},
		{name: "payload an array", jws: sign(t, jose.RS256, testKey, []byte("["+string(payload)+"]"), true), sent: payload, wantMsg: "not a JSON"},
		{name: "not compact", jws: []byte(`{"payload": "x", "signatures": []}`), sent: payload, wantMsg: "compact"},
		{name: "garbage header", jws: []byte("!!!." + segs[1] + "." + segs[2]), sent: payload, wantMsg: "base64url"},
		{name: "bad x5c", jws: []byte(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","x5c":["bm90IGEgY2VydA=="]}`)) + "." + segs[1] + "." + segs[2]), sent: payload, wantMsg: "*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := signedStatement(t, c.sent, c.jws)
			err := VerifySignature(st, c.jws)
			switch c.wantMsg {
			case "":
				checkErr(t, err, "", "")
			case "*":
				checkErr(t, err, "signature", "")
			default:
				checkErr(t, err, "signature", c.wantMsg)
			}
		})
	}
}

// A signed statement sent as multipart/mixed is verified while it is parsed.
func TestParseMultipartVerifiesSignatures(t *testing.T) {
	keys(t)
	payload := []byte(baseStatement)
	for _, c := range []struct {
		name string
		jws  []byte
		ok   bool
	}{
		{"good", sign(t, jose.RS256, testKey, payload, true), true},
		{"wrong statement", sign(t, jose.RS256, testKey, build(t, baseStatement, set("object.id", `"http://example.com/other"`)), true), false},
		{"HS256", sign(t, jose.HS256, []byte(strings.Repeat("k", 32)), payload, false), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := build(t, baseStatement, set("attachments", `[{"usageType": "`+SignatureUsage+`", "display": {"en-US": "Signed by the Test Suite"},
				"contentType": "application/octet-stream", "length": `+itoaLen(c.jws)+`, "sha2": "`+sha256hex(c.jws)+`"}]`))
			b := body(jsonPart(st), mpart{[]string{"Content-Type: application/octet-stream", "Content-Transfer-Encoding: binary", HashHeader + ": " + sha256hex(c.jws)}, c.jws})
			_, _, parts, err := ParseMultipart(bytes.NewReader(b), mixed, 0, V200)
			if c.ok {
				if err != nil || len(parts) != 1 {
					t.Fatalf("err %v, %d parts", err, len(parts))
				}
				return
			}
			checkErr(t, err, "signature", "")
		})
	}
}

// The signed statement of the 1.0.3 spec's Appendix D, with CR LF line endings in its payload:
// the x5c certificate has expired, which does not matter to a check for mistakes.
func TestVerifySignatureSpecExample(t *testing.T) {
	payload := "{\r\n    \"version\": \"1.0.0\",\r\n    \"id\": \"33cff416-e331-4c9d-969e-5373a1756120\",\r\n    \"actor\": {\r\n        \"mbox\": \"mailto:example@example.com\",\r\n        \"name\": \"Example Learner\",\r\n        \"objectType\": \"Agent\"\r\n    },\r\n    \"verb\": {\r\n        \"id\": \"http://adlnet.gov/expapi/verbs/experienced\",\r\n        \"display\": {\r\n            \"en-US\": \"experienced\"\r\n        }\r\n    },\r\n    \"object\": {\r\n        \"id\": \"https://www.youtube.com/watch?v=xh4kIiH3Sm8\",\r\n        \"objectType\": \"Activity\",\r\n        \"definition\": {\r\n            \"name\": {\r\n                \"en-US\": \"Tax Tips & Information : How to File a Tax Return \"\r\n            },\r\n            \"description\": {\r\n                \"en-US\": \"Filing a tax return will require filling out either a 1040, 1040A or 1040EZ form\"\r\n            }\r\n        }\r\n    },\r\n    \"timestamp\": \"2013-04-01T12:00:00Z\"\r\n}"
	// The payload segment of the spec's JWS is exactly this serialization.
	if base64.RawURLEncoding.EncodeToString([]byte(payload))[:40] != "ew0KICAgICJ2ZXJzaW9uIjogIjEuMC4wIiwNCiAg" {
		t.Fatal("the example payload does not match the spec's JWS")
	}
	keys(t)
	jws := sign(t, jose.RS256, testKey, []byte(payload), true)
	st := signedStatement(t, []byte(payload), jws)
	if err := VerifySignature(st, jws); err != nil {
		t.Fatal(err)
	}
}

// A signature attachment of a sub-statement signs the sub-statement.
func TestVerifySubStatementSignature(t *testing.T) {
	keys(t)
	for _, c := range []struct {
		name    string
		payload string
		ok      bool
	}{
		{"the sub-statement", subStatement, true},
		{"another statement", baseStatement, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			jws := sign(t, jose.RS256, testKey, []byte(c.payload), true)
			js := build(t, baseStatement, set("object", subStatement), set("object.attachments", `[{"usageType": "`+SignatureUsage+`",
				"display": {"en-US": "Signature"}, "contentType": "application/octet-stream", "length": `+itoaLen(jws)+`, "sha2": "`+sha256hex(jws)+`"}]`))
			sts, _, err := parseStatements(js, V103, true)
			if err != nil {
				t.Fatal(err)
			}
			err = VerifySignature(sts[0], jws)
			if c.ok {
				checkErr(t, err, "", "")
			} else {
				checkErr(t, err, "signature", "differs")
			}
		})
	}
}
