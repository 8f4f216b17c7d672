package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/outbox"
)

// Events published in a transaction are there only if it commits, come back in order until
// delivered, and keep what they say.
func TestEventsAreDeliveredOnceInOrderAndOnlyIfTheirChangeCommitted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		orgs := org.NewService(d, core.SystemClock{})
		p, err := orgs.CreatePerson(ctx, core.System, org.PersonInput{EmployeeNumber: "E1", GivenName: "Ana", FamilyName: "Alves", Email: "ana@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		score := 87.5
		ok := true
		first := outbox.Event{Type: outbox.Passed, PersonID: p.ID, At: at, Object: outbox.Ref{Kind: "item", ID: "i1"}, Score: &score, Success: &ok}
		second := outbox.Event{Type: outbox.Rated, PersonID: p.ID, At: at.Add(time.Hour), Object: outbox.Ref{Kind: "skill", ID: "s1", Name: "Negotiation"}, Level: 3, Source: "manager"}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return outbox.Publish(ctx, tx, first, second) }); err != nil {
			t.Fatal(err)
		}
		rolledBack := d.WithTx(ctx, func(tx *db.Tx) error {
			if err := outbox.Publish(ctx, tx, outbox.Event{Type: outbox.Completed, PersonID: p.ID, At: at}); err != nil {
				return err
			}
			return core.Errorf(core.EINVALID, "the change failed")
		})
		if rolledBack == nil {
			t.Fatal("the failing change committed")
		}
		evs, err := outbox.Undelivered(ctx, d.Reader(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Type != outbox.Passed || evs[1].Type != outbox.Rated || evs[0].Seq >= evs[1].Seq {
			t.Fatalf("undelivered %+v", evs)
		}
		if e := evs[0]; e.ID == "" || !e.At.Equal(at) || e.Score == nil || *e.Score != score || e.Success == nil || !*e.Success || e.Object.ID != "i1" {
			t.Fatalf("the first event came back as %+v", e)
		}
		if e := evs[1]; e.Level != 3 || e.Source != "manager" || e.Object.Name != "Negotiation" {
			t.Fatalf("the second event came back as %+v", e)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return outbox.MarkDelivered(ctx, tx, at, []int64{evs[0].Seq}) }); err != nil {
			t.Fatal(err)
		}
		if evs, _ := outbox.Undelivered(ctx, d.Reader(), 10); len(evs) != 1 || evs[0].Type != outbox.Rated {
			t.Fatalf("after delivering the first: %+v", evs)
		}
	})
}
