package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"concord/internal/storetest"
)

func TestService(t *testing.T) {
	storetest.RunService(t, func(t *testing.T) (storetest.Service, storetest.Exec) {
		u := schemaURL(t)
		db := open(t, u)
		return db, func(ctx context.Context, query string) error {
			c, err := pgx.Connect(ctx, u)
			if err != nil {
				return err
			}
			defer c.Close(context.Background())
			_, err = c.Exec(ctx, query)
			return err
		}
	})
}

// TestAuditShared: two nodes on one schema append at once.
func TestAuditShared(t *testing.T) {
	u := schemaURL(t)
	storetest.AuditShared(t, open(t, u), open(t, u))
}

// TestAuditFailure: a trigger refuses some audit rows.
func TestAuditFailure(t *testing.T) {
	u := schemaURL(t)
	db := open(t, u)
	exec := func(ctx context.Context, query string) error {
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			return err
		}
		defer c.Close(context.Background())
		_, err = c.Exec(ctx, query)
		return err
	}
	storetest.AuditFailure(t, db, exec,
		[]string{`CREATE FUNCTION audit_reject() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.object = 'reject' THEN RAISE EXCEPTION 'audit row refused'; END IF;
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER audit_reject BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_reject()`},
		[]string{`DROP TRIGGER audit_reject ON audit`})
}
