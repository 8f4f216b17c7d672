package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
)

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		remote, xff string
		trusted     []netip.Prefix
		want        string
	}{
		{"203.0.113.9:5000", "", nil, "203.0.113.9"},
		{"203.0.113.9:5000", "1.2.3.4", nil, "203.0.113.9"},                           // not behind a trusted proxy: the header is ignored
		{"10.1.1.1:5000", "198.51.100.7", proxies, "198.51.100.7"},                    // the proxy tells who connected
		{"10.1.1.1:5000", "6.6.6.6, 198.51.100.7, 10.2.2.2", proxies, "198.51.100.7"}, // a forged first hop is skipped
		{"10.1.1.1:5000", "garbage", proxies, "10.1.1.1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := httpx.ClientIP(r, tt.trusted); got != tt.want {
			t.Errorf("ClientIP(%s, %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestDecodeJSONNamesTheField(t *testing.T) {
	type in struct {
		Name  string    `json:"name"`
		Count int       `json:"count"`
		Day   core.Date `json:"day"`
	}
	tests := []struct{ body, field string }{
		{`{"name": 1}`, "name"},
		{`{"count": "many"}`, "count"},
		{`{"colour": "red"}`, "colour"},
		{`{"name": "x"`, "body"},
		{`[]`, "body"},
		{`{"day": "tomorrow"}`, "body"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
		var v in
		err := httpx.DecodeJSON(w, r, &v)
		if e := core.AsError(err); e == nil || e.Code != core.EINVALID || e.Field != tt.field {
			t.Errorf("%s: %v, want invalid %s", tt.body, err, tt.field)
		}
	}
}

func TestStatusOfEveryCode(t *testing.T) {
	for code, want := range map[string]int{core.EINVALID: 422, core.ENOTFOUND: 404, core.ECONFLICT: 409, core.EUNAUTHORIZED: 401,
		core.EFORBIDDEN: 403, core.ETOOMANY: 429, core.ETOOLARGE: 413, core.EMETHOD: 405, core.EINTERNAL: 500} {
		if got := httpx.Status(core.Errorf(code, "x")); got != want {
			t.Errorf("%s → %d, want %d", code, got, want)
		}
	}
	if httpx.Status(http.ErrAbortHandler) != 500 {
		t.Error("a plain error is not internal")
	}
}

func TestFileSendsHeadersWithTheFirstByte(t *testing.T) {
	rec := httptest.NewRecorder()
	f := &httpx.File{W: rec, ContentType: "text/csv; charset=utf-8", Filename: `gaps "2026".csv`}
	if f.Started() || rec.Header().Get("Content-Disposition") != "" {
		t.Fatal("headers before any byte")
	}
	// Nothing written yet: the handler may still answer an error.
	httpx.WriteProblem(rec, httptest.NewRequest("GET", "/x", nil), nil, core.Invalid("format", "no"))
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" || rec.Header().Get("Content-Disposition") != "" {
		t.Fatalf("an error before the file is no attachment: %q", ct)
	}
	rec = httptest.NewRecorder()
	f = &httpx.File{W: rec, ContentType: "text/csv; charset=utf-8", Filename: `gaps "2026".csv`}
	if _, err := f.Write([]byte("a,b\n")); err != nil || !f.Started() {
		t.Fatal(err)
	}
	if rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" || rec.Header().Get("Content-Disposition") != `attachment; filename="gaps 2026.csv"` || rec.Body.String() != "a,b\n" {
		t.Fatalf("headers %v body %q", rec.Header(), rec.Body.String())
	}
}
