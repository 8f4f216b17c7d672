// Package mail sends the messages learnloop writes to people (password resets for now). Without
// an SMTP server configured, messages go to the log, which is enough for development and demos.
package mail

import (
	"context"
	"log/slog"
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
