package xapi

import (
	"strconv"
	"strings"
)

// The xAPI versions the LRS serves, as it names them in the X-Experience-API-Version header.
const (
	V103 = "1.0.3"
	V200 = "2.0.0"
)

// VersionHeader is the HTTP header that carries the xAPI version of a request or response.
const VersionHeader = "X-Experience-API-Version"

// NegotiateVersion maps the X-Experience-API-Version header of a request to the version the
// LRS serves it with: "1.0" and "1.0.x" to V103 (Communication 3.3: 1.0 is read as 1.0.0 and
// every 1.0.x patch is accepted), "2.0" and "2.0.x" to V200 (LRSs 4.1.7). Anything else, an
// empty header included, is an *Error with Path "X-Experience-API-Version": versions before
// 1.0.0 and from 1.1.0 (2.1.0) on are rejected.
func NegotiateVersion(header string) (string, error) {
	h := strings.TrimSpace(header)
	switch {
	case h == "":
		return "", badRequest(VersionHeader, "the header is required; this LRS serves %s and %s", V103, V200)
	case versionIn(h, "1.0"):
		return V103, nil
	case versionIn(h, "2.0"):
		return V200, nil
	}
	return "", badRequest(VersionHeader, "version %s is not supported; this LRS serves %s and %s", strconv.Quote(h), V103, V200)
}

// versionIn reports whether v is minor ("1.0") or minor followed by "." and a patch number.
func versionIn(v, minor string) bool {
	if v == minor {
		return true
	}
	if !strings.HasPrefix(v, minor+".") {
		return false
	}
	patch := v[len(minor)+1:]
	return patch != "" && allDigit(patch)
}

// validStatementVersion reports whether a statement's "version" property is acceptable when the
// request is served as version. Under 1.0.3 it must be 1.0 or 1.0.x (Data 2.4.10). Under 2.0.0
// the statement model of 1.0.x is a subset of 2.0.0's, so 1.0.x and 2.0.x are both accepted
// (LRSs 4.2.4.2 says an otherwise valid statement should not be rejected for its version alone);
// versions the LRS does not know the model of are rejected.
func validStatementVersion(v, version string) bool {
	if versionIn(v, "1.0") {
		return true
	}
	return version == V200 && versionIn(v, "2.0")
}

func knownVersion(version string) bool { return version == V103 || version == V200 }
