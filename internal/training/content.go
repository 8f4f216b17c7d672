package training

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/blob"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Content is a file or a link of an item: slides, a handout, a video, the e-learning's address.
type Content struct {
	ID          string    `json:"id"`
	Position    int       `json:"position"`
	Title       string    `json:"title"`
	Kind        string    `json:"kind"` // file or link
	URL         string    `json:"url,omitempty"`
	Filename    string    `json:"filename,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	Inline      bool      `json:"inline"` // shown in the browser rather than downloaded
	CreatedAt   time.Time `json:"created_at"`
	blobKey     string
}

func findContent(ctx context.Context, q db.Queryer, itemID string) ([]*Content, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, position, title, kind, url, blob_key, filename, content_type, size, created_at
		FROM item_content WHERE item_id = ? ORDER BY position, id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("find content: %w", err)
	}
	defer rows.Close()
	var out []*Content
	for rows.Next() {
		var c Content
		if err := rows.Scan(&c.ID, &c.Position, &c.Title, &c.Kind, &c.URL, &c.blobKey, &c.Filename, &c.ContentType, &c.Size, &c.CreatedAt); err != nil {
			return nil, err
		}
		c.Inline, _ = blob.Describe(c.ContentType)
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, &c)
	}
	return out, rows.Err()
}

// safeFilename keeps the last element of a name a browser sent, without control characters or
// separators, so it can go into a Content-Disposition header and a download folder.
func safeFilename(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "."))
	if r := []rune(name); len(r) > 150 {
		name = string(r[len(r)-150:])
	}
	if name == "" {
		name = "file" + blob.Ext(contentType)
	}
	return name
}

// AddContentFile stores an uploaded file as content of an item. The file's type is decided by
// its content, not its name; types that could run in a browser are refused.
func (s *Service) AddContentFile(ctx context.Context, actor *core.Actor, itemID, title, filename string, r io.Reader) (*Content, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	if err := s.itemExists(ctx, s.DB.Reader(), itemID); err != nil {
		return nil, err
	}
	if s.Blobs == nil {
		return nil, core.Errorf(core.EINVALID, "this server has no place to keep files")
	}
	info, err := s.Blobs.Put(r, s.MaxUpload, "file")
	if err != nil {
		return nil, err
	}
	c := &Content{ID: core.NewID(), Kind: "file", Title: clean(title), Filename: safeFilename(filename, info.ContentType),
		ContentType: info.ContentType, Size: info.Size, Inline: info.Inline, blobKey: info.Key}
	if c.Title == "" {
		c.Title = strings.TrimSuffix(c.Filename, path.Ext(c.Filename))
	}
	if len([]rune(c.Title)) > maxTitle {
		return nil, core.Invalid("title", "must be at most %d characters", maxTitle)
	}
	return c, s.insertContent(ctx, actor, itemID, c)
}

// AddContentLink adds a link (an e-learning module elsewhere, a video on the intranet).
func (s *Service) AddContentLink(ctx context.Context, actor *core.Actor, itemID, title, link string) (*Content, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	link = strings.TrimSpace(link)
	var v core.Validation
	if !webAddress(link) {
		v.Add("url", "enter a web address starting with https://")
	}
	c := &Content{ID: core.NewID(), Kind: "link", Title: clean(title), URL: link}
	if c.Title == "" {
		v.Add("title", "name the link")
	} else if len([]rune(c.Title)) > maxTitle {
		v.Add("title", "must be at most %d characters", maxTitle)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.itemExists(ctx, s.DB.Reader(), itemID); err != nil {
		return nil, err
	}
	return c, s.insertContent(ctx, actor, itemID, c)
}

func (s *Service) insertContent(ctx context.Context, actor *core.Actor, itemID string, c *Content) error {
	c.CreatedAt = s.Clock.Now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(position), 0) + 1 FROM item_content WHERE item_id = ?`, itemID).Scan(&c.Position); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO item_content (id, item_id, position, title, kind, url, blob_key, filename, content_type, size, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, itemID, c.Position, c.Title, c.Kind, c.URL, c.blobKey, c.Filename, c.ContentType, c.Size, c.CreatedAt); err != nil {
			return fmt.Errorf("add content: %w", err)
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.content_add", TargetType: "learning_item", TargetID: itemID,
			Summary: fmt.Sprintf("Added %q (%s) to an item", c.Title, c.Kind)})
	})
}

// RemoveContent removes a file or link from an item. The stored file stays in the blob
// directory, where other items may share it.
func (s *Service) RemoveContent(ctx context.Context, actor *core.Actor, itemID, contentID string) error {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return err
	}
	if !core.ValidID(contentID) {
		return core.NotFound("content")
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var title string
		if err := tx.QueryRowContext(ctx, `SELECT title FROM item_content WHERE id = ? AND item_id = ?`, contentID, itemID).Scan(&title); err != nil {
			return notFoundIn("content", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM item_content WHERE id = ?`, contentID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.content_remove", TargetType: "learning_item", TargetID: itemID,
			Summary: fmt.Sprintf("Removed %q from an item", title)})
	})
}

// OpenContent opens an item's file for anyone who may see the item; opening it starts the
// actor's enrollment in the item, when they have one not started yet. The caller closes the file.
func (s *Service) OpenContent(ctx context.Context, actor *core.Actor, itemID, contentID string) (*Content, *os.File, error) {
	it, err := s.FindItemByID(ctx, actor, itemID)
	if err != nil {
		return nil, nil, err
	}
	if actor.PersonID != "" {
		if err := s.startOpen(ctx, actor.PersonID, itemID); err != nil {
			return nil, nil, err
		}
	}
	for _, c := range it.Content {
		if c.ID == contentID && c.Kind == "file" {
			if s.Blobs == nil {
				return nil, nil, core.NotFound("file")
			}
			f, err := s.Blobs.Open(c.blobKey)
			if err != nil {
				return nil, nil, err
			}
			return c, f, nil
		}
	}
	return nil, nil, core.NotFound("content")
}

// startOpen marks the person's enrollment in the item in progress, if it has not started.
func (s *Service) startOpen(ctx context.Context, personID, itemID string) error {
	var status string
	err := s.DB.QueryRowContext(ctx, `SELECT open_status FROM training_status WHERE person_id = ? AND item_id = ?`, personID, itemID).Scan(&status)
	if db.IsNoRows(err) || err == nil && status != EnrollmentEnrolled {
		return nil
	}
	if err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.openEnrollment(ctx, tx, personID, itemID)
		if err != nil || e == nil {
			return err
		}
		return s.start(ctx, tx, e, s.Clock.Now())
	})
}

// ETag is the stored file's content hash, a strong validator for range requests.
func (c *Content) ETag() string { return `"` + c.blobKey + `"` }
