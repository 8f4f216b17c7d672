// Package blob keeps uploaded files in a directory on disk, each named by the SHA-256 of its
// content: the same file uploaded twice is stored once, a name can never point outside the
// directory, and the name doubles as a strong ETag. On PostgreSQL with several instances the
// directory must be shared storage (a network file system or a mounted volume).
//
// Types are decided by the content, not by the name or the type the browser claimed, and only
// the types in Allowed are kept: documents, images, audio and video that browsers show without
// running anything, and office files offered for download. HTML, SVG, scripts and programs are
// refused, because a file served from learnloop's own address could otherwise run in its
// pages' origin.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"github.com/learnloop/learnloop/internal/core"
)

// Store is a directory of files named by content hash.
type Store struct {
	dir string
}

// Open returns the store in dir, creating the directory when missing.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("blob: empty directory name")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", dir, err)
	}
	return &Store{dir: dir}, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Info describes a stored file.
type Info struct {
	Key         string // the hex SHA-256 of the content
	Size        int64
	ContentType string
	// Inline says browsers may show the file in place; other allowed files are downloads.
	Inline bool
}

// kind is an allowed type: whether browsers show it inline, and its usual extension.
type kind struct {
	inline bool
	ext    string
}

// Allowed are the content types kept, as the content sniffer names them.
var Allowed = map[string]kind{
	"application/pdf": {true, ".pdf"},
	"image/png":       {true, ".png"},
	"image/jpeg":      {true, ".jpg"},
	"image/gif":       {true, ".gif"},
	"image/webp":      {true, ".webp"},
	"video/mp4":       {true, ".mp4"},
	"video/webm":      {true, ".webm"},
	"audio/mpeg":      {true, ".mp3"},
	"audio/mp4":       {true, ".m4a"},
	"audio/ogg":       {true, ".ogg"},
	"video/ogg":       {true, ".ogv"},
	"text/plain":      {false, ".txt"},
	"text/csv":        {false, ".csv"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {false, ".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {false, ".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {false, ".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {false, ".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                            {false, ".ods"},
	"application/vnd.oasis.opendocument.presentation":                           {false, ".odp"},
}

// Describe returns what the store would record for content of the given sniffed type.
func Describe(contentType string) (inline, ok bool) {
	k, ok := Allowed[contentType]
	return k.inline, ok
}

// Put stores what r holds, up to max bytes, and describes it. A file over max is refused with
// ETOOLARGE and a type not in Allowed with EINVALID naming field; nothing is kept of either.
func (s *Store) Put(r io.Reader, max int64, field string) (Info, error) {
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	// One byte more than allowed tells a file of exactly max bytes from a larger one.
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, max+1))
	if err != nil {
		return Info{}, fmt.Errorf("blob: write upload: %w", err)
	}
	if n > max {
		return Info{}, &core.Error{Code: core.ETOOLARGE, Field: field, Message: fmt.Sprintf("the file is larger than %s", Size(max))}
	}
	if n == 0 {
		return Info{}, core.Invalid(field, "the file is empty")
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	mt, err := mimetype.DetectReader(tmp)
	if err != nil {
		return Info{}, fmt.Errorf("blob: detect type: %w", err)
	}
	ct := baseType(mt)
	k, ok := Allowed[ct]
	if !ok {
		return Info{}, core.Invalid(field, "files of this type (%s) cannot be uploaded; use PDF, images, audio, video or office documents", ct)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	key := hex.EncodeToString(h.Sum(nil))
	dst := s.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	// Renaming within one directory tree is atomic: a reader sees the whole file or none.
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Info{}, fmt.Errorf("blob: store %s: %w", key, err)
	}
	keep = true
	return Info{Key: key, Size: n, ContentType: ct, Inline: k.inline}, nil
}

// baseType is the sniffed type without its parameters ("text/plain; charset=utf-16le" is
// text/plain). The sniffer's parent types are not consulted: HTML and SVG are text too, and
// must not pass as it.
func baseType(mt *mimetype.MIME) string {
	ct, _, _ := strings.Cut(mt.String(), ";")
	return ct
}

// Ext returns the usual file extension of an allowed content type.
func Ext(contentType string) string { return Allowed[contentType].ext }

// ValidKey reports whether key is a well-formed content hash, the only names the store opens.
func ValidKey(key string) bool {
	if len(key) != 64 {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil && strings.ToLower(key) == key
}

func (s *Store) path(key string) string {
	return filepath.Join(s.dir, key[:2], key)
}

// Open opens a stored file for reading.
func (s *Store) Open(key string) (*os.File, error) {
	if !ValidKey(key) {
		return nil, core.NotFound("file")
	}
	f, err := os.Open(s.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, core.NotFound("file")
	}
	return f, err
}

// Size formats a byte count for people ("64 MB").
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
