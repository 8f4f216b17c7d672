// Package apitest helps tests check the API's answers against its OpenAPI document, so that a
// handler and the document cannot drift apart unnoticed.
package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/learnloop/learnloop/internal/api"
)

// docURL names the API document inside the schema compiler; "#/components/schemas/…" references
// in the document resolve against it.
const docURL = "openapi.json"

var (
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled = map[string]*jsonschema.Schema{}
)

// Schema returns the compiled component schema called name ("Person" for
// #/components/schemas/Person), compiling it on first use. Formats (uuid, date-time) are
// asserted, not only annotations.
func Schema(name string) (*jsonschema.Schema, error) {
	mu.Lock()
	defer mu.Unlock()
	if sch, ok := compiled[name]; ok {
		return sch, nil
	}
	if compiler == nil {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPI()))
		if err != nil {
			return nil, fmt.Errorf("read the API document: %w", err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		if err := c.AddResource(docURL, doc); err != nil {
			return nil, fmt.Errorf("add the API document: %w", err)
		}
		compiler = c
	}
	sch, err := compiler.Compile(docURL + "#/components/schemas/" + name)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", name, err)
	}
	compiled[name] = sch
	return sch, nil
}

// ValidateSchema fails t unless body is one JSON value matching the component schema called
// schemaName in the API document.
func ValidateSchema(t testing.TB, schemaName string, body []byte) {
	t.Helper()
	sch, err := Schema(schemaName)
	if err != nil {
		t.Fatalf("%v", err)
		return
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the body is not JSON (%v):\n%s", err, body)
		return
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("the body does not match schema %s: %v\nbody: %s", schemaName, err, body)
	}
}

// ResponseSchema returns the name of the component schema the API document gives for an answer
// of status to the operation on route ("GET /api/v1/people/{id}"), and whether the document
// describes that answer at all. An answer without a JSON body has an empty name.
func ResponseSchema(route string, status int) (name string, documented bool, err error) {
	method, path, ok := strings.Cut(route, " ")
	if !ok {
		return "", false, fmt.Errorf("route %q has no method", route)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Responses map[string]operationResponse `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		return "", false, err
	}
	raw, ok := doc.Paths[path][strings.ToLower(method)]
	if !ok {
		return "", false, fmt.Errorf("the document has no operation %s", route)
	}
	var op struct {
		Responses map[string]operationResponse `json:"responses"`
	}
	if err := json.Unmarshal(raw, &op); err != nil {
		return "", false, err
	}
	r, ok := op.Responses[strconv.Itoa(status)]
	if !ok {
		return "", false, nil
	}
	if ref, found := strings.CutPrefix(r.Ref, "#/components/responses/"); found {
		r = doc.Components.Responses[ref]
	}
	for ct, c := range r.Content {
		if strings.Contains(ct, "json") {
			name, _ = strings.CutPrefix(c.Schema.Ref, "#/components/schemas/")
		}
	}
	return name, true, nil
}

type operationResponse struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Schema struct {
			Ref string `json:"$ref"`
		} `json:"schema"`
	} `json:"content"`
}

// ValidateResponse fails t when an answer to route is not described by the API document: an
// undocumented status, or a JSON body that does not match the documented schema.
func ValidateResponse(t testing.TB, route string, status int, body []byte) {
	t.Helper()
	name, documented, err := ResponseSchema(route, status)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	if !documented {
		t.Errorf("%s answered %d, which the API document does not list", route, status)
		return
	}
	if name != "" {
		ValidateSchema(t, name, body)
	}
}
