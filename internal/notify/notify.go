// Package notify keeps in-app notifications: short messages to one person with a link, such as a
// manager's nudge, a seat freed up on a waitlist or an enrollment approved. Other packages send
// them inside the transaction of the change they announce (Send), so a message never describes
// something that did not happen; people read theirs and mark them read. Email, chat and webhook
// delivery come later through the same messages.
package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
)

// Kinds of notification, for grouping and icons.
const (
	KindNudge      = "nudge"
	KindAssignment = "assignment"
	KindSession    = "session"
	KindApproval   = "approval"
	KindCompletion = "completion"
)

// Notification is one message to one person.
type Notification struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Message    string     `json:"message"`
	Link       string     `json:"link,omitempty"`
	SenderID   string     `json:"sender_id,omitempty"`
	SenderName string     `json:"sender_name,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at,omitempty"`
}

// Message is what Send delivers.
type Message struct {
	PersonID string
	Kind     string
	Text     string
	Link     string // a path inside learnloop ("/training/items/…")
	SenderID string // "" for learnloop itself
}

// Send stores messages inside ex, the transaction of the change they announce.
func Send(ctx context.Context, ex db.Execer, now time.Time, msgs ...Message) error {
	rows := make([][]any, 0, len(msgs))
	for _, m := range msgs {
		if !strings.HasPrefix(m.Link, "/") && m.Link != "" {
			return fmt.Errorf("notify: link %q is not a path inside learnloop", m.Link)
		}
		var sender any
		if m.SenderID != "" {
			sender = m.SenderID
		}
		rows = append(rows, []any{core.NewID(), m.PersonID, m.Kind, m.Text, m.Link, sender, now})
	}
	return db.InsertMany(ctx, ex, "notifications", []string{"id", "person_id", "kind", "message", "link", "sender_id", "created_at"}, rows)
}

// Service reads and marks a person's own notifications.
type Service struct {
	DB    *db.DB
	Clock core.Clock
}

// Recent returns the actor's latest notifications, newest first, and how many are unread.
//
// Every notification so far comes from training, so reading them needs training:read: an API
// token for people data alone does not read messages about training requests.
func (s *Service) Recent(ctx context.Context, actor *core.Actor, limit int) ([]*Notification, int, error) {
	if actor == nil || actor.PersonID == "" {
		return nil, 0, nil
	}
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT n.id, n.kind, n.message, n.link, COALESCE(n.sender_id, ''),
		COALESCE(p.given_name || ' ' || p.family_name, ''), n.created_at, n.read_at
		FROM notifications n LEFT JOIN people p ON p.id = n.sender_id
		WHERE n.person_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ?`, actor.PersonID, core.ClampLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("find notifications: %w", err)
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.Kind, &n.Message, &n.Link, &n.SenderID, &n.SenderName, &n.CreatedAt, &n.ReadAt); err != nil {
			return nil, 0, err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		out = append(out, &n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var unread int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE person_id = ? AND read_at IS NULL`, actor.PersonID).Scan(&unread); err != nil {
		return nil, 0, err
	}
	return out, unread, nil
}

// MarkRead marks the actor's notifications read: one by id, or all of them when id is "".
func (s *Service) MarkRead(ctx context.Context, actor *core.Actor, id string) error {
	if actor == nil || actor.PersonID == "" {
		return core.Forbidden
	}
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return err
	}
	now := s.Clock.Now()
	if id == "" {
		_, err := s.DB.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE person_id = ? AND read_at IS NULL`, now, actor.PersonID)
		return err
	}
	if !core.ValidID(id) {
		return core.NotFound("notification")
	}
	res, err := s.DB.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND person_id = ?`, now, id, actor.PersonID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return core.NotFound("notification")
	}
	return nil
}
