package store_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/audit"
)

var update = flag.Bool("update", false, "rewrite golden files")

// legacy restores a database written by the stores this package replaced
// (testdata/legacy: fixture/main.go run at commit 97cc5cb) into a fresh target.
var legacy = map[string]func(t *testing.T, d dialect) string{
	"sqlite": func(t *testing.T, d dialect) string {
		dir := t.TempDir()
		b, err := os.ReadFile("testdata/legacy/concord.db")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "concord.db"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		return dir
	},
	"postgres": func(t *testing.T, d dialect) string {
		u := d.target(t)
		dump, err := os.ReadFile("testdata/legacy/postgres.sql")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.exec(u)(t.Context(), string(dump)); err != nil {
			t.Fatal(err)
		}
		return u
	},
}

// TestLegacy: a database made by the previous stores (SQLite data directory,
// PostgreSQL schema) opens, is migrated forward, reads back exactly what was
// written (the same golden state on both dialects), keeps a verifiable audit
// chain and takes new writes.
func TestLegacy(t *testing.T) {
	each(t, func(t *testing.T, d dialect) {
		db := d.openAt(t, legacy[d.name](t, d))
		ctx := t.Context()
		state := map[string]any{}
		get := func(name string, v any, err error) {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			state[name] = v
		}
		ms, err := db.Members(ctx)
		get("members", ms, err)
		gs, err := db.Groups(ctx)
		get("groups", gs, err)
		ds, err := db.Datasets(ctx)
		get("datasets", ds, err)
		for _, id := range []string{"un-1", "un-2", "es-1"} {
			st, err := db.Statements(ctx, concord.Filter{All: true, IncludeRetracted: true}, id)
			get("statements "+id, st, err)
		}
		us, err := db.Users(ctx, "")
		get("users", us, err)
		ts, err := db.Tokens(ctx, "amina")
		get("tokens", ts, err)
		s, err := db.SessionByHash(ctx, "sess1")
		get("session", s, err)
		js, err := db.Jobs(ctx, "")
		get("jobs", js, err)
		rows, err := db.JobRows(ctx, "job-1", -1, 0)
		get("job rows", rows, err)
		as, err := db.Alerts(ctx, concord.AlertQuery{All: true})
		get("alerts", as, err)
		evs, err := db.AuditEvents(ctx, concord.AuditQuery{})
		get("audit", evs, err)
		got, err := json.MarshalIndent(state, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden := "testdata/legacy/state.golden.json"
		if *update && d.name == "sqlite" {
			if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
			t.Errorf("state of the legacy database differs from %s:\n%s", golden, got)
		}
		if len(evs) != 10 || len(us) != 1 || len(ts) != 1 || len(as) != 1 || as[0].Status != concord.AlertDismissed {
			t.Errorf("legacy state: %d audit rows, %d users, %d tokens, %d alerts", len(evs), len(us), len(ts), len(as))
		}

		// New writes chain on, and the old rows verify with the new ones.
		sec := concord.WithActor(ctx, concord.Actor{User: "sec", Via: "cli"})
		if err := db.CreateUser(sec, &concord.User{Name: "carol", Member: "uz", Roles: []concord.Role{concord.RoleViewer}}); err != nil {
			t.Fatal(err)
		}
		if err := db.Audit(sec, "match", "q2", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(sec, &concord.ImportBatch{Dataset: "un", Version: "2", Statements: []concord.Statement{
			{EntityID: "un-2", Schema: "Person", Prop: "name", Value: "Seif al Adel", SourceRef: "un:un-2",
				Audience: concord.AudiencePublic, Handling: concord.TLPClear}}}); err != nil {
			t.Fatal(err)
		}
		// The job left unfinished is claimed and finished like a new one.
		l, err := db.ClaimRows(sec, concord.JobClaim{Node: "n1", Rows: 10, TTL: time.Minute, PerMember: 1})
		if err != nil || l == nil || len(l.Rows) != 1 || l.Rows[0].N != 1 || l.Job.ID != "job-1" {
			t.Fatalf("claim of the legacy job: %+v %v", l, err)
		}
		if err := db.CompleteRows(sec, "job-1", []concord.JobRow{{N: 1, Result: []byte(`{}`)}}, nil); err != nil {
			t.Fatal(err)
		}
		if j, err := db.Job(ctx, "job-1"); err != nil || j.Status != concord.JobDone {
			t.Errorf("legacy job after its last row: %+v %v", j, err)
		}
		br, n, err := audit.Check(ctx, db)
		if err != nil || br != nil || n.Rows != 15 {
			t.Errorf("audit after the upgrade: %+v, break %v, %v", n, br, err)
		}
		u, err := db.User(ctx, "amina")
		if err != nil || strings.Join(toStrings(u.Roles), ",") != "analyst,reviewer" {
			t.Errorf("amina after the upgrade: %+v, %v", u, err)
		}
	})
}

func toStrings[S ~string](vals []S) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}
