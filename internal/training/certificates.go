package training

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/learnloop/learnloop/internal/audit"
	"github.com/learnloop/learnloop/internal/certificate"
	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/notify"
)

// Certificate is a certificate issued for completing a certifying item or path. It keeps the
// name and title as they were when issued.
type Certificate struct {
	ID           string     `json:"id"`
	Number       string     `json:"number"`
	PersonID     string     `json:"person_id"`
	ItemID       string     `json:"item_id"`
	EnrollmentID string     `json:"enrollment_id"`
	PersonName   string     `json:"person_name"`
	Title        string     `json:"title"`
	Kind         string     `json:"kind"`
	IssuedOn     core.Date  `json:"issued_on"`
	ExpiresOn    core.Date  `json:"expires_on"`
	Score        *float64   `json:"score,omitempty"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	// Code is the secret part of the verification address, shown to the holder and to those
	// who run training.
	Code string `json:"verification_code,omitempty"`
}

// State says whether a certificate is valid, expired or revoked on day d.
func (c *Certificate) State(d core.Date) string {
	switch {
	case c.RevokedAt != nil:
		return "revoked"
	case !c.ExpiresOn.IsZero() && c.ExpiresOn.Before(d):
		return "expired"
	}
	return "valid"
}

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomCode returns n random bytes in base32, lower case: unguessable and easy to read out.
func randomCode(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(codeEncoding.EncodeToString(b))
}

// certificateColumnsIn are the columns of a new certificate row, in certificateRow's order.
var certificateColumnsIn = []string{"id", "code", "number", "person_id", "item_id", "enrollment_id", "person_name", "title", "kind", "issued_on",
	"expires_on", "score", "created_at"}

// certificateRow is a new certificate of a completion: a random verification code (160 bits)
// and number (64 bits, so that a million certificates do not share one).
func certificateRow(personID, personName, enrollmentID string, it *Item, c completion, expires core.Date, now time.Time) []any {
	kind := certificate.KindCourse
	if it.Kind == KindPath {
		kind = certificate.KindPath
	}
	issued := core.DateOf(c.at.UTC())
	number := fmt.Sprintf("LL-%d-%s", issued.Year, strings.ToUpper(randomCode(8)))
	return []any{core.NewID(), randomCode(20), number, personID, it.ID, enrollmentID, personName, it.Title, kind, issued, expires, c.score, now}
}

// issueCertificate records a certificate for a completed enrollment and tells its holder.
func (s *Service) issueCertificate(ctx context.Context, tx *db.Tx, e *Enrollment, it *Item, c completion, expires core.Date, now time.Time) (string, error) {
	row := certificateRow(e.PersonID, e.PersonName, e.ID, it, c, expires, now)
	id := row[0].(string)
	if err := db.InsertMany(ctx, tx, "certificates", certificateColumnsIn, [][]any{row}); err != nil {
		return "", fmt.Errorf("issue certificate: %w", err)
	}
	return id, notify.Send(ctx, tx, now, notify.Message{PersonID: e.PersonID, Kind: notify.KindCompletion,
		Text: fmt.Sprintf("Your certificate for %q is ready.", it.Title), Link: "/training/certificates/" + id})
}

const certificateColumns = `c.id, c.number, c.person_id, c.item_id, c.enrollment_id, c.person_name, c.title, c.kind, c.issued_on, c.expires_on, c.score,
	c.revoked_at, c.revoke_reason, c.created_at, c.code`

func scanCertificate(row interface{ Scan(...any) error }) (*Certificate, error) {
	var c Certificate
	if err := row.Scan(&c.ID, &c.Number, &c.PersonID, &c.ItemID, &c.EnrollmentID, &c.PersonName, &c.Title, &c.Kind, &c.IssuedOn, &c.ExpiresOn, &c.Score,
		&c.RevokedAt, &c.RevokeReason, &c.CreatedAt, &c.Code); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	utc(c.RevokedAt)
	return &c, nil
}

// FindCertificates returns a person's certificates, newest first (the actor's own when personID
// is "").
func (s *Service) FindCertificates(ctx context.Context, actor *core.Actor, personID string) ([]*Certificate, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	if personID == "" {
		personID = actor.PersonID
	}
	if err := s.seePerson(ctx, actor, personID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+certificateColumns+` FROM certificates c WHERE c.person_id = ? ORDER BY c.issued_on DESC, c.id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("find certificates: %w", err)
	}
	defer rows.Close()
	var out []*Certificate
	for rows.Next() {
		c, err := scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		if c.PersonID != actor.PersonID && !mayRun(actor) {
			c.Code = ""
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindCertificateByID returns a certificate its holder, their managers or those who run
// training may see.
func (s *Service) FindCertificateByID(ctx context.Context, actor *core.Actor, id string) (*Certificate, error) {
	if err := actor.Require(core.PermTrainingRead); err != nil {
		return nil, err
	}
	if !core.ValidID(id) {
		return nil, core.NotFound("certificate")
	}
	c, err := scanCertificate(s.DB.QueryRowContext(ctx, `SELECT `+certificateColumns+` FROM certificates c WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFoundIn("certificate", err)
	}
	if err := s.seePerson(ctx, actor, c.PersonID); err != nil {
		return nil, core.NotFound("certificate")
	}
	if c.PersonID != actor.PersonID && !mayRun(actor) {
		c.Code = ""
	}
	return c, nil
}

// VerifyURL is the public address that checks a certificate.
func VerifyURL(baseURL, code string) string {
	return strings.TrimSuffix(baseURL, "/") + "/certificates/verify/" + code
}

// CertificatePDF renders a certificate for its holder (or those who run training). A revoked
// certificate is not rendered.
func (s *Service) CertificatePDF(ctx context.Context, actor *core.Actor, id, baseURL string) (*Certificate, []byte, error) {
	c, err := s.FindCertificateByID(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if c.PersonID != actor.PersonID && !mayRun(actor) {
		return nil, nil, core.NotFound("certificate")
	}
	if c.RevokedAt != nil {
		return nil, nil, core.Errorf(core.ECONFLICT, "this certificate was revoked on %s", c.RevokedAt.Format("2006-01-02"))
	}
	var code string
	if err := s.DB.QueryRowContext(ctx, `SELECT code FROM certificates WHERE id = ?`, id).Scan(&code); err != nil {
		return nil, nil, err
	}
	d := certificate.Data{Number: c.Number, Recipient: c.PersonName, Title: c.Title, Kind: c.Kind, Organization: s.organization(ctx),
		IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn, VerifyURL: VerifyURL(baseURL, code)}
	if c.Score != nil {
		sc := int(math.Round(*c.Score))
		d.Score = &sc
	}
	it, err := s.findItem(ctx, s.DB.Reader(), c.ItemID)
	if err == nil {
		d.Hours = math.Round(float64(it.DurationMinutes)/6) / 10
		for _, sk := range it.Skills {
			d.Skills = append(d.Skills, sk.SkillName)
		}
	}
	b, err := certificate.Render(d)
	if err != nil {
		return nil, nil, err
	}
	return c, b, nil
}

// organization is the name printed on certificates: Service.Organization when set, else the
// name of the organization's one top unit (the company), else none.
func (s *Service) organization(ctx context.Context) string {
	if s.Organization != "" {
		return s.Organization
	}
	var names []string
	rows, err := s.DB.QueryContext(ctx, `SELECT name FROM org_units WHERE parent_id IS NULL LIMIT 2`)
	if err != nil {
		return ""
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return ""
}

// Verification is what the public verification page shows: enough to tell a genuine
// certificate, nothing more about the person.
type Verification struct {
	Number     string     `json:"number"`
	PersonName string     `json:"person_name"`
	Title      string     `json:"title"`
	Kind       string     `json:"kind"`
	IssuedOn   core.Date  `json:"issued_on"`
	ExpiresOn  core.Date  `json:"expires_on"`
	State      string     `json:"state"` // valid, expired or revoked
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Verify looks a certificate up by its verification code, for anyone holding it.
func (s *Service) Verify(ctx context.Context, code string) (*Verification, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	if len(code) != 32 {
		return nil, core.NotFound("certificate")
	}
	c, err := scanCertificate(s.DB.QueryRowContext(ctx, `SELECT `+certificateColumns+` FROM certificates c WHERE c.code = ?`, code))
	if err != nil {
		return nil, notFoundIn("certificate", err)
	}
	return &Verification{Number: c.Number, PersonName: c.PersonName, Title: c.Title, Kind: c.Kind, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn,
		State: c.State(today(s.Clock.Now(), "")), RevokedAt: c.RevokedAt}, nil
}

// RevokeCertificate withdraws a certificate issued in error or obtained dishonestly; its
// verification page says so from then on. Those who run training revoke, with a reason.
func (s *Service) RevokeCertificate(ctx context.Context, actor *core.Actor, id, reason string) (*Certificate, error) {
	if err := actor.Require(core.PermTrainingWrite); err != nil {
		return nil, err
	}
	reason, err := reasonText("reason", reason, true, "say why the certificate is revoked")
	if err != nil {
		return nil, err
	}
	c, err := s.FindCertificateByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if c.RevokedAt != nil {
		return nil, core.Errorf(core.ECONFLICT, "this certificate was revoked already")
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL`,
			now, nullID(actor.PersonID), reason, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, audit.Entry{Action: "training.certificate_revoke", TargetType: "person", TargetID: c.PersonID,
			Summary: fmt.Sprintf("Revoked certificate %s (%q) of %s: %s", c.Number, c.Title, c.PersonName, reason)})
	})
	if err != nil {
		return nil, err
	}
	return s.FindCertificateByID(ctx, actor, id)
}
