package xapi

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// Part is the raw data of one attachment of a multipart/mixed request or response, with the
// SHA-2 hash (lower-case hexadecimal) that names it and its content type.
type Part struct {
	SHA2, ContentType string
	Data              []byte
}

// HashHeader is the part header that names an attachment part by its SHA-2 hash.
const HashHeader = "X-Experience-API-Hash"

// ParseMultipart reads a statement request with attachments (Communication 1.5.2, LRSs 4.1.3):
// a multipart/mixed body (RFC 2046) whose first part is the statement or array of statements
// (application/json) and whose further parts hold the raw data of attachments. contentType is the
// request's Content-Type, with its boundary; limit bounds the bytes read from body (0 or less: no
// bound). The statements are validated as by ParseStatements, except that attachments may have
// their data in a part instead of a fileUrl.
//
// Every rule of the transmission format is checked:
//   - the Content-Type is multipart/mixed with a valid boundary, and the body is well-formed;
//   - the first part has Content-Type application/json;
//   - each further part has an X-Experience-API-Hash header that is the SHA-256, SHA-384,
//     SHA-512 (or SHA-224) digest of its content and the sha2 of an attachment of the statements;
//     a part that matches no attachment is rejected, and a second part with the same hash is
//     dropped as a copy (Communication 1.5.2.s2.b2.b5);
//   - a Content-Transfer-Encoding header, when present, is "binary" (when absent, binary is
//     assumed, Communication 1.5.2.s3.b6);
//   - where a part states its Content-Type or Content-Length and the attachment its contentType or
//     length, they agree (media type compared without parameters), and every part holds exactly
//     the attachment's length in octets;
//   - every attachment without a fileUrl has a part;
//   - every statement signed by a signature attachment with a part passes VerifySignature.
//
// It returns the statements, whether the first part was an array, and one Part per distinct
// hash. Errors are *Error with Status 400, or 413 when the body is larger than limit.
func ParseMultipart(body io.Reader, contentType string, limit int64, version string) (sts []*Statement, array bool, parts []Part, err error) {
	mt, params, perr := mime.ParseMediaType(contentType)
	if perr != nil || mt != "multipart/mixed" {
		return nil, false, nil, badRequest("Content-Type", "must be multipart/mixed with a boundary, not %s", strconv.Quote(contentType))
	}
	boundary := params["boundary"]
	if !validBoundary(boundary) {
		return nil, false, nil, badRequest("Content-Type", "the boundary %s is missing or not valid by RFC 2046", strconv.Quote(boundary))
	}
	lr := &limitReader{r: body, left: limit, unlimited: limit <= 0}
	mr := multipart.NewReader(lr, boundary)

	first, nerr := mr.NextRawPart()
	if nerr != nil {
		return nil, false, nil, multipartError(lr, nerr, "the body has no statement part")
	}
	if ct := first.Header.Get("Content-Type"); mediaTypeOf(ct) != "application/json" {
		return nil, false, nil, badRequest("Content-Type", "the first part must be application/json, not %s", strconv.Quote(ct))
	}
	data, rerr := io.ReadAll(first)
	if rerr != nil {
		return nil, false, nil, multipartError(lr, rerr, "")
	}
	sts, array, err = parseStatements(data, version, true)
	if err != nil {
		return nil, false, nil, err
	}

	// The attachments of the statements, by hash.
	wanted := map[string][]Attachment{}
	for _, st := range sts {
		for _, a := range st.Attachments {
			wanted[a.SHA2] = append(wanted[a.SHA2], a)
		}
	}
	for i := 1; ; i++ {
		p, nerr := mr.NextRawPart()
		if nerr == io.EOF {
			break
		}
		if nerr != nil {
			return nil, false, nil, multipartError(lr, nerr, "")
		}
		where := "part " + strconv.Itoa(i+1)
		part, perr := readPart(lr, p, where, wanted)
		if perr != nil {
			return nil, false, nil, perr
		}
		if !hasPart(parts, part.SHA2) {
			parts = append(parts, part)
		}
	}

	for _, st := range sts {
		for _, a := range st.Attachments {
			if a.FileURL == "" && !hasPart(parts, a.SHA2) {
				return nil, false, nil, badRequest("", "attachment %s has neither a fileUrl nor a part with X-Experience-API-Hash %s", strconv.Quote(a.UsageType), a.SHA2)
			}
		}
	}
	for _, st := range sts {
		for _, a := range st.Attachments {
			if a.UsageType != SignatureUsage {
				continue
			}
			for _, p := range parts {
				if p.SHA2 == a.SHA2 {
					if err := VerifySignature(st, p.Data); err != nil {
						return nil, false, nil, err
					}
				}
			}
		}
	}
	return sts, array, parts, nil
}

// readPart reads and checks one attachment part.
func readPart(lr *limitReader, p *multipart.Part, where string, wanted map[string][]Attachment) (Part, *Error) {
	if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "" && !strings.EqualFold(strings.TrimSpace(cte), "binary") {
		return Part{}, badRequest(where, "Content-Transfer-Encoding must be binary, not %s", strconv.Quote(cte))
	}
	sum := strings.ToLower(strings.TrimSpace(p.Header.Get(HashHeader)))
	if sum == "" {
		return Part{}, badRequest(where, "the %s header is required on every attachment part", HashHeader)
	}
	h := hashFor(sum)
	if h == nil || !validSHA2(sum) {
		return Part{}, badRequest(where, "%s %s is not a hexadecimal SHA-256, SHA-384 or SHA-512 hash", HashHeader, strconv.Quote(sum))
	}
	atts, ok := wanted[sum]
	if !ok {
		return Part{}, badRequest(where, "no attachment of the statements has the sha2 %s", sum)
	}
	data, err := io.ReadAll(p)
	if err != nil {
		return Part{}, multipartError(lr, err, "")
	}
	h.Write(data)
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return Part{}, badRequest(where, "the content's hash is %s, not the %s %s", got, HashHeader, sum)
	}
	ct := p.Header.Get("Content-Type")
	if cl := p.Header.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64); err != nil || n != int64(len(data)) {
			return Part{}, badRequest(where, "Content-Length %s does not match the part's %d octets", strconv.Quote(cl), len(data))
		}
	}
	for _, a := range atts {
		if ct != "" && mediaTypeOf(ct) != mediaTypeOf(a.ContentType) {
			return Part{}, badRequest(where, "Content-Type %s does not match the attachment's contentType %s", strconv.Quote(ct), strconv.Quote(a.ContentType))
		}
		if a.Length != int64(len(data)) {
			return Part{}, badRequest(where, "the part has %d octets but the attachment's length is %d", len(data), a.Length)
		}
	}
	if ct == "" {
		ct = atts[0].ContentType
	}
	return Part{SHA2: sum, ContentType: ct, Data: data}, nil
}

func hasPart(parts []Part, sum string) bool {
	for _, p := range parts {
		if p.SHA2 == sum {
			return true
		}
	}
	return false
}

// hashFor returns the SHA-2 function whose hexadecimal digest has the length of sum.
func hashFor(sum string) hash.Hash {
	switch len(sum) {
	case 56:
		return sha256.New224()
	case 64:
		return sha256.New()
	case 96:
		return sha512.New384()
	case 128:
		return sha512.New()
	}
	return nil
}

// validBoundary reports whether b is a boundary by RFC 2046 section 5.1.1: 1 to 70 characters
// of bchars, not ending with a space.
func validBoundary(b string) bool {
	if b == "" || len(b) > 70 || b[len(b)-1] == ' ' {
		return false
	}
	for i := 0; i < len(b); i++ {
		if c := b[i]; !isAlnum(c) && strings.IndexByte("'()+_,-./:=? ", c) < 0 {
			return false
		}
	}
	return true
}

// errTooLarge is returned by limitReader once more than its limit has been read.
var errTooLarge = errors.New("request body too large")

type limitReader struct {
	r         io.Reader
	left      int64
	unlimited bool
	over      bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.unlimited {
		return l.r.Read(p)
	}
	if l.over {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		l.over = true
		return 0, errTooLarge
	}
	return n, err
}

// multipartError turns a read or format error into an *Error: 413 when the body went over the
// limit, 400 otherwise.
func multipartError(lr *limitReader, err error, msg string) *Error {
	if lr.over || errors.Is(err, errTooLarge) {
		return &Error{Message: "the request body is larger than this LRS accepts", Status: http.StatusRequestEntityTooLarge}
	}
	if msg == "" || !errors.Is(err, io.EOF) {
		msg = "malformed multipart/mixed body: " + err.Error()
	}
	return badRequest("", "%s", msg)
}

// WriteMultipart writes a multipart/mixed response (Communication 1.5.2): jsonBody as the first,
// application/json, part, then each Part with its Content-Type, Content-Transfer-Encoding: binary
// and X-Experience-API-Hash headers. It returns the Content-Type for the response, with the
// boundary.
func WriteMultipart(w io.Writer, jsonBody []byte, parts []Part) (contentType string, err error) {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(newBoundary(jsonBody, parts)); err != nil {
		return "", fmt.Errorf("set multipart boundary: %w", err)
	}
	hdr := textproto.MIMEHeader{"Content-Type": {"application/json"}}
	pw, err := mw.CreatePart(hdr)
	if err != nil {
		return "", fmt.Errorf("write statement part: %w", err)
	}
	if _, err := pw.Write(jsonBody); err != nil {
		return "", fmt.Errorf("write statement part: %w", err)
	}
	for _, p := range parts {
		ct := p.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		hdr := textproto.MIMEHeader{
			"Content-Type":              {ct},
			"Content-Transfer-Encoding": {"binary"},
			HashHeader:                  {p.SHA2},
		}
		pw, err := mw.CreatePart(hdr)
		if err != nil {
			return "", fmt.Errorf("write attachment part %s: %w", p.SHA2, err)
		}
		if _, err := pw.Write(p.Data); err != nil {
			return "", fmt.Errorf("write attachment part %s: %w", p.SHA2, err)
		}
	}
	if err := mw.Close(); err != nil {
		return "", fmt.Errorf("close multipart body: %w", err)
	}
	return "multipart/mixed; boundary=" + mw.Boundary(), nil
}

// newBoundary returns a random boundary that occurs in none of the contents.
func newBoundary(jsonBody []byte, parts []Part) string {
	for {
		var b [24]byte
		_, _ = rand.Read(b[:])
		boundary := "xapi-" + hex.EncodeToString(b[:])
		clash := bytes.Contains(jsonBody, []byte(boundary))
		for _, p := range parts {
			clash = clash || bytes.Contains(p.Data, []byte(boundary))
		}
		if !clash {
			return boundary
		}
	}
}
