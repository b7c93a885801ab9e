// Package pgtest gives tests a fresh PostgreSQL schema on the server named by
// CONCORD_TEST_POSTGRES (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable),
// dropped when the test ends. Without the variable the test is skipped;
// .ci/run sets it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable naming the test server.
const Env = "CONCORD_TEST_POSTGRES"

// Available reports whether a test server is configured.
func Available() bool { return os.Getenv(Env) != "" }

// URL creates a fresh schema and returns a URL whose search_path is it.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skipf("%s is not set: skipping PostgreSQL tests", Env)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := pgx.Connect(context.Background(), base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
