// Package mail sends the messages learnloop writes to people (password resets for now). Without
// an SMTP server configured, messages go to the log, which is enough for development and demos.
package mail

import (
	"context"
	"log/slog"
	"sync"
)

// Message is one plain-text email.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Mailer delivers messages.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// LogMailer writes messages to the log instead of sending them.
type LogMailer struct {
	Log *slog.Logger
}

// Send logs m.
func (l LogMailer) Send(ctx context.Context, m Message) error {
	l.Log.InfoContext(ctx, "email (no SMTP server configured; shown here instead of sent)", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}

// Outbox keeps the messages it is given instead of sending them: for tests, and for checking what
// learnloop would send.
type Outbox struct {
	mu   sync.Mutex
	Sent []Message
}

// Send records m.
func (o *Outbox) Send(_ context.Context, m Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.Sent = append(o.Sent, m)
	return nil
}

// Last returns the newest message, or an empty one.
func (o *Outbox) Last() Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.Sent) == 0 {
		return Message{}
	}
	return o.Sent[len(o.Sent)-1]
}
