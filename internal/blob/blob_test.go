package blob_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
)

func TestPutAndOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	tests := []struct {
		name   string
		data   []byte
		max    int64
		code   string
		ctype  string
		inline bool
	}{
		{"pdf", pdf, 1 << 20, "", "application/pdf", true},
		{"the same pdf again", pdf, 1 << 20, "", "application/pdf", true},
		{"plain text downloads", []byte("just some notes\nfor the session\n"), 1 << 20, "", "text/plain", false},
		{"html", []byte("<html><body><script>alert(1)</script></body></html>"), 1 << 20, core.EINVALID, "", false},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`), 1 << 20, core.EINVALID, "", false},
		{"javascript", []byte("#!/usr/bin/env node\nconsole.log(1)\n"), 1 << 20, core.EINVALID, "", false},
		{"exactly the limit", pdf, int64(len(pdf)), "", "application/pdf", true},
		{"one byte over", pdf, int64(len(pdf)) - 1, core.ETOOLARGE, "", false},
		{"empty", nil, 10, core.EINVALID, "", false},
	}
	for _, tt := range tests {
		info, err := s.Put(bytes.NewReader(tt.data), tt.max, "file")
		if got := core.ErrorCode(err); got != tt.code {
			t.Errorf("%s: code %q (%v), want %q", tt.name, got, err, tt.code)
			continue
		}
		if err != nil {
			if e := core.AsError(err); e.Field != "file" {
				t.Errorf("%s: the error names %q", tt.name, e.Field)
			}
			continue
		}
		if info.ContentType != tt.ctype || info.Inline != tt.inline || info.Size != int64(len(tt.data)) || !blob.ValidKey(info.Key) {
			t.Errorf("%s: %+v", tt.name, info)
		}
		f, err := s.Open(info.Key)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(b, tt.data) {
			t.Errorf("%s: stored bytes differ", tt.name)
		}
	}
	// Nothing of a refused upload is left behind, and only content-hash names are opened.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	for _, key := range []string{"", "../../etc/passwd", filepath.Join("..", "x"), "ABCDEF", "0000000000000000000000000000000000000000000000000000000000000000"} {
		if _, err := s.Open(key); core.ErrorCode(err) != core.ENOTFOUND {
			t.Errorf("Open(%q): %v", key, err)
		}
	}
}
