package httpx

import (
	"net/http"
	"strings"
)

// Router registers handlers on a ServeMux and remembers every route, so tests can compare the
// routes with the API document and metrics can be labelled by route.
type Router struct {
	Mux    *http.ServeMux
	routes []string
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{Mux: http.NewServeMux()} }

// HandleFunc registers h for pattern ("GET /people/{id}").
func (rt *Router) HandleFunc(pattern string, h http.HandlerFunc) {
	rt.routes = append(rt.routes, pattern)
	rt.Mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if i := InfoFrom(r.Context()); i != nil {
			i.Pattern = pattern
		}
		h(w, r)
	})
}

// Handle registers h for pattern.
func (rt *Router) Handle(pattern string, h http.Handler) { rt.HandleFunc(pattern, h.ServeHTTP) }

// Routes returns the registered patterns that start with prefix (after the method).
func (rt *Router) Routes(prefix string) []string {
	var out []string
	for _, p := range rt.routes {
		path := p
		if i := strings.IndexByte(p, ' '); i >= 0 {
			path = p[i+1:]
		}
		if strings.HasPrefix(path, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// Cookie names.
const (
	SessionCookie = "ll_session"
	CSRFCookie    = "ll_csrf"
	CSRFField     = "csrf_token"
	CSRFHeader    = "X-CSRF-Token"
)

// IsSafe reports whether a method only reads.
func IsSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}
