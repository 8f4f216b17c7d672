package xapi

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// signatureAlgs are the JWS algorithms a statement signature may use (Data 2.6.s4.b4,
// LRSs 4.2.6).
var signatureAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512}

// VerifySignature checks a signed statement (Data 2.6, LRSs 4.2.6). jws is the data of the
// statement's signature attachment (usageType SignatureUsage, contentType
// application/octet-stream, which ParseStatements already enforces): a JWS in compact
// serialization whose algorithm is RS256, RS384 or RS512. The LRS must, and this does:
//   - decode the JWS and read the signed statement from its payload, which must be a JSON
//     object;
//   - check that the payload is equivalent to the statement as received by the Statement
//     Comparison Requirements (Equivalent), which ignore attachments and so the signature
//     attachment itself; in addition, since neither statement has yet been through the LRS, an id
//     or a timestamp present in both must be the same (the id without regard to case, the
//     timestamp as an instant). A payload equivalent to the statement's sub-statement is accepted
//     too, as the signature of a signature attachment of the sub-statement;
//   - when the JWS header has an x5c certificate chain, verify the signature with the public key
//     of its first certificate. The chain is not validated against trusted roots: the spec makes
//     this a check for mistakes, not a security measure.
//
// Any failure is an *Error with Status 400 saying what is wrong.
func VerifySignature(st *Statement, jws []byte) error {
	s := strings.TrimSpace(string(jws))
	segs := strings.Split(s, ".")
	if len(segs) != 3 {
		return badRequest("signature", "is not a JWS in compact serialization (three base64url segments separated by dots)")
	}
	hdrJSON, err := base64.RawURLEncoding.DecodeString(segs[0])
	if err != nil {
		return badRequest("signature", "the JWS header is not base64url: %v", err)
	}
	tree, perr := parseJSON(hdrJSON, nil)
	if perr != nil {
		return badRequest("signature", "the JWS header is not a JSON object: %s", perr.Message)
	}
	hdr, ok := tree.(map[string]any)
	if !ok {
		return badRequest("signature", "the JWS header is not a JSON object")
	}
	alg, _ := hdr["alg"].(string)
	if alg != "RS256" && alg != "RS384" && alg != "RS512" {
		return badRequest("signature", "the JWS algorithm must be RS256, RS384 or RS512, not %s", strconv.Quote(alg))
	}
	obj, err := jose.ParseSignedCompact(s, signatureAlgs)
	if err != nil {
		return badRequest("signature", "is not a valid JWS: %v", err)
	}
	var payload []byte
	if x5c, ok := hdr["x5c"]; ok {
		pub, msg := x5cKey(x5c)
		if msg != "" {
			return badRequest("signature", "%s", msg)
		}
		if payload, err = obj.Verify(pub); err != nil {
			return badRequest("signature", "does not verify with the key of the x5c certificate")
		}
	} else {
		payload = obj.UnsafePayloadWithoutVerification()
	}
	signed, perr := parseJSON(payload, nil)
	if perr != nil {
		return badRequest("signature", "the JWS payload is not a JSON serialization of the statement: %s", perr.Message)
	}
	sm, ok := signed.(map[string]any)
	if !ok {
		return badRequest("signature", "the JWS payload is not a JSON serialization of a statement")
	}
	received := withoutSignature(st.Tree)
	if Equivalent(sm, received) && sameIfBoth(sm, received, "id", eqFold) && sameIfBoth(sm, received, "timestamp", eqInstant) {
		return nil
	}
	// A signature attachment of a sub-statement signs the sub-statement.
	if obj, ok := st.Tree["object"].(map[string]any); ok && obj["objectType"] == "SubStatement" && eqStatement(sm, withoutSignature(obj), true) {
		return nil
	}
	return badRequest("signature", "the signed statement in the JWS payload differs from the statement sent")
}

// x5cKey returns the RSA public key of the first certificate of an x5c header, or a message
// saying why there is none.
func x5cKey(x5c any) (*rsa.PublicKey, string) {
	chain, ok := x5c.([]any)
	if !ok || len(chain) == 0 {
		return nil, "the JWS x5c header must be a non-empty array of certificates"
	}
	b64, ok := chain[0].(string)
	if !ok {
		return nil, "the JWS x5c header must hold base64 certificates"
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, "the first x5c certificate is not base64"
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, "the first x5c certificate is not an X.509 certificate: " + err.Error()
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, "the x5c certificate does not hold an RSA key"
	}
	return pub, ""
}

// withoutSignature returns the statement without its signature attachments.
func withoutSignature(st map[string]any) map[string]any {
	atts, ok := st["attachments"].([]any)
	if !ok {
		return st
	}
	out := make(map[string]any, len(st))
	for k, v := range st {
		out[k] = v
	}
	var kept []any
	for _, a := range atts {
		if am, ok := a.(map[string]any); ok && am["usageType"] == SignatureUsage {
			continue
		}
		kept = append(kept, a)
	}
	if len(kept) == 0 {
		delete(out, "attachments")
	} else {
		out["attachments"] = kept
	}
	return out
}

// sameIfBoth compares property k of two objects when both have it.
func sameIfBoth(a, b map[string]any, k string, eq func(a, b any) bool) bool {
	av, ok1 := a[k]
	bv, ok2 := b[k]
	return !ok1 || !ok2 || eq(av, bv)
}
