// Package apitest helps tests check the API's answers against its OpenAPI document, so that a
// handler and the document cannot drift apart unnoticed.
package apitest

import (
	"bytes"
	"fmt"
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
