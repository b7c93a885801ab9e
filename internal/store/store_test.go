package store_test

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"concord"
	"concord/internal/pgtest"
	"concord/internal/store"
	"concord/internal/storetest"
)

// dialect opens fresh stores of one dialect for the shared tests. A
// PostgreSQL store lives in a fresh schema of the server named by
// CONCORD_TEST_POSTGRES (see internal/pgtest); without it, its tests skip.
type dialect struct {
	name string
	// target is a fresh database: a data directory or a schema URL.
	target func(t testing.TB) string
	open   func(ctx context.Context, target string, clock concord.Clock) (*store.DB, error)
	// raw opens the database bypassing the store, as someone with access to
	// the file or the server would.
	raw func(target string) (*sql.DB, error)
	// refuse makes the database refuse audit rows whose object is 'reject'
	// (for storetest.AuditFailure), and allow undoes it.
	refuse, allow []string
}

var dialects = []dialect{
	{
		name:   "sqlite",
		target: func(t testing.TB) string { return t.TempDir() },
		open:   store.OpenSQLite,
		raw: func(dir string) (*sql.DB, error) {
			return sql.Open("sqlite", dir+"/concord.db?_pragma=busy_timeout(10000)")
		},
		refuse: []string{`CREATE TRIGGER audit_reject BEFORE INSERT ON audit WHEN NEW.object = 'reject'
			BEGIN SELECT RAISE(ABORT, 'audit row refused'); END`},
		allow: []string{`DROP TRIGGER audit_reject`},
	},
	{
		name:   "postgres",
		target: func(t testing.TB) string { return pgtest.URL(t) },
		open:   store.OpenPostgres,
		raw:    func(url string) (*sql.DB, error) { return sql.Open("pgx", url) },
		refuse: []string{`CREATE FUNCTION audit_reject() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.object = 'reject' THEN RAISE EXCEPTION 'audit row refused'; END IF;
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER audit_reject BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_reject()`},
		allow: []string{`DROP TRIGGER audit_reject ON audit`},
	},
}

// each runs fn as a subtest per dialect.
func each(t *testing.T, fn func(t *testing.T, d dialect)) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) { fn(t, d) })
	}
}

// openAt opens a store on target, closed when the test ends.
func (d dialect) openAt(t testing.TB, target string) *store.DB {
	t.Helper()
	db, err := d.open(t.Context(), target, storetest.NewClock())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fresh opens a store on a fresh database.
func (d dialect) fresh(t testing.TB) *store.DB { return d.openAt(t, d.target(t)) }

// exec runs raw SQL on target outside the store.
func (d dialect) exec(target string) storetest.Exec {
	return func(ctx context.Context, query string) error {
		raw, err := d.raw(target)
		if err != nil {
			return err
		}
		defer raw.Close()
		_, err = raw.ExecContext(ctx, query)
		return err
	}
}

func TestConformance(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		storetest.Run(t, func(t *testing.T) concord.Store { return d.fresh(t) })
	})
}

func TestService(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		storetest.RunService(t, func(t *testing.T) (storetest.Service, storetest.Exec) {
			target := d.target(t)
			return d.openAt(t, target), d.exec(target)
		})
	})
}

// TestPNR: bookings, versions, links, the schedule of the law's limits and
// scenario rules.
func TestPNR(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		storetest.RunPNR(t, func(t *testing.T) storetest.Service { return d.fresh(t) })
	})
}

// TestAuditShared: two stores on one database, as the server and the CLI on
// one data directory or two nodes on one PostgreSQL, append at once.
func TestAuditShared(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		target := d.target(t)
		storetest.AuditShared(t, d.openAt(t, target), d.openAt(t, target))
	})
}

// TestAuditFailure: a trigger refuses some audit rows.
func TestAuditFailure(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		target := d.target(t)
		storetest.AuditFailure(t, d.openAt(t, target), d.exec(target), d.refuse, d.allow)
	})
}

// TestReopen: a store opens again on its own database, migrated once.
func TestReopen(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		target := d.target(t)
		for range 2 {
			db, err := d.open(t.Context(), target, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Import(t.Context(), storetest.SyntheticBatch("un", "1", 10, 2)); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
	})
}

// BenchmarkImport: see storetest.BenchImport.
func BenchmarkImport(b *testing.B) {
	for _, d := range dialects {
		b.Run(d.name, func(b *testing.B) { storetest.BenchImport(b, func(b *testing.B) concord.Store { return d.fresh(b) }) })
	}
}

// BenchmarkAudit: see storetest.BenchAudit.
func BenchmarkAudit(b *testing.B) {
	for _, d := range dialects {
		b.Run(d.name, func(b *testing.B) { storetest.BenchAudit(b, func(b *testing.B) concord.Store { return d.fresh(b) }) })
	}
}

// BenchmarkEntity: see storetest.BenchEntity.
func BenchmarkEntity(b *testing.B) {
	for _, d := range dialects {
		b.Run(d.name, func(b *testing.B) { storetest.BenchEntity(b, func(b *testing.B) concord.Store { return d.fresh(b) }) })
	}
}

// TestFeed: the change feed, read and waited for through a second store on
// the same database.
func TestFeed(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		storetest.RunFeed(t, func(t *testing.T) (concord.Store, concord.Store) {
			target := d.target(t)
			return d.openAt(t, target), d.openAt(t, target)
		})
	})
}

// TestQueue: two stores on one database share a job queue.
func TestQueue(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		storetest.RunQueue(t, d.name == "postgres", func(t *testing.T) (concord.Store, concord.Store) {
			target := d.target(t)
			return d.openAt(t, target), d.openAt(t, target)
		})
	})
}

// TestImportChunks runs the import tests again with imports written a few
// statements at a time (the large one 1,500 at a time), so that entities
// and records span chunks.
func TestImportChunks(t *testing.T) {
	chunked := func(d dialect, n int) func(t *testing.T) concord.Store {
		return func(t *testing.T) concord.Store {
			db := d.fresh(t)
			store.SetImportChunk(db, n)
			return db
		}
	}
	each(t, func(t *testing.T, d dialect) {
		storetest.RunImport(t, chunked(d, 3))
		storetest.RunImportLarge(t, chunked(d, 1500))
	})
}

// TestReferencesIndex: the partial index statements_references holds the
// values of exactly concord.EntityProps, and the lookup of the records
// referencing an entity reads it on both dialects.
func TestReferencesIndex(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		db := d.fresh(t)
		ixs, err := store.StatementIndexes(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		var ddl string
		for _, ix := range ixs {
			if strings.HasPrefix(ix, "statements_references:") {
				ddl = ix
			}
		}
		var props []string
		for _, m := range regexp.MustCompile(`'([A-Za-z]+)'`).FindAllStringSubmatch(ddl, -1) {
			props = append(props, m[1])
		}
		if !slices.Equal(props, concord.EntityProps) {
			t.Errorf("statements_references indexes %q, want concord.EntityProps %q (%s)", props, concord.EntityProps, ddl)
		}
		plan, err := store.ReferencingPlan(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "statements_references") {
			t.Errorf("the referencing lookup does not read statements_references: %s", plan)
		}
	})
}
