package org_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/db"
	"github.com/learnloop/learnloop/internal/db/dbtest"
	"github.com/learnloop/learnloop/internal/demo"
	"github.com/learnloop/learnloop/internal/org"
)

// benchPeople is the organization size of the import benchmarks (LEARNLOOP_BENCH_PEOPLE, default
// 100,000, the size the import target is set for).
func benchPeople(b *testing.B) int {
	if s := os.Getenv("LEARNLOOP_BENCH_PEOPLE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 100_000
}

// BenchmarkImport measures a first import of an HRIS file into an empty organization (units
// already imported), on each engine.
func BenchmarkImport(b *testing.B) {
	data, err := demo.Build(demo.Options{People: benchPeople(b), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range dbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				svc := freshOrg(b, d, data)
				b.StartTimer()
				rep, err := svc.Import(ctx, core.System, data.PeopleCSV, org.ImportOptions{})
				if err != nil || !rep.Applied {
					b.Fatalf("%v %+v", err, rep.Problems)
				}
			}
			b.ReportMetric(float64(benchPeople(b)), "people")
		})
	}
}

// BenchmarkReimportUnchanged measures importing the same file again: the daily HRIS sync case.
func BenchmarkReimportUnchanged(b *testing.B) {
	data, err := demo.Build(demo.Options{People: benchPeople(b), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range dbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			svc := freshOrg(b, d, data)
			if _, err := svc.Import(ctx, core.System, data.PeopleCSV, org.ImportOptions{}); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				rep, err := svc.Import(ctx, core.System, data.PeopleCSV, org.ImportOptions{Full: true})
				if err != nil || rep.Unchanged != benchPeople(b) {
					b.Fatalf("%v %s", err, rep.Summary())
				}
			}
		})
	}
}

func freshOrg(b *testing.B, d db.Dialect, data *demo.Data) *org.Service {
	var conn *db.DB
	if d == db.Postgres {
		conn = dbtest.Postgres(b)
	} else {
		conn = dbtest.SQLite(b)
	}
	svc := org.NewService(conn, core.SystemClock{})
	if rep, err := svc.ImportUnits(ctx, core.System, data.UnitsCSV, org.ImportOptions{}); err != nil || !rep.Applied {
		b.Fatalf("units: %v", err)
	}
	return svc
}

// BenchmarkFindPeople measures directory searches in the service, on each engine, over an
// organization of benchPeople people: the database's share of a directory page.
func BenchmarkFindPeople(b *testing.B) {
	data, err := demo.Build(demo.Options{People: benchPeople(b), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range dbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			svc := freshOrg(b, d, data)
			if _, err := svc.Import(ctx, core.System, data.PeopleCSV, org.ImportOptions{}); err != nil {
				b.Fatal(err)
			}
			sample, _, _, err := svc.FindPeople(ctx, core.System, org.PersonFilter{Limit: 500})
			if err != nil {
				b.Fatal(err)
			}
			manager := &core.Actor{PersonID: sample[0].ManagerID, IsManager: true}
			for _, c := range []struct {
				name  string
				actor *core.Actor
				f     func(i int) org.PersonFilter
			}{
				{"family-prefix", core.System, func(i int) org.PersonFilter {
					return org.PersonFilter{Query: string([]rune(sample[i%len(sample)].FamilyName)[:3])}
				}},
				{"full-name", core.System, func(i int) org.PersonFilter {
					p := sample[i%len(sample)]
					return org.PersonFilter{Query: p.GivenName + " " + p.FamilyName}
				}},
				{"first-page", core.System, func(int) org.PersonFilter { return org.PersonFilter{} }},
				{"manager-scope", manager, func(i int) org.PersonFilter {
					return org.PersonFilter{Query: string([]rune(sample[i%len(sample)].FamilyName)[:2])}
				}},
			} {
				b.Run(c.name, func(b *testing.B) {
					i := 0
					for b.Loop() {
						if _, _, _, err := svc.FindPeople(ctx, c.actor, c.f(i)); err != nil {
							b.Fatal(err)
						}
						i++
					}
				})
			}
		})
	}
}
