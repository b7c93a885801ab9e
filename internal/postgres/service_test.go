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
