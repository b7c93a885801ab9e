package search_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/internal/follow"
	"concord/match"
)

// follows starts a follower of w's store that applies changed entities to
// w's match index, as concord serve does, and waits until it has caught up.
func (w *world) follows(t *testing.T) *follow.Follower {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	from, err := w.store.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	f := &follow.Follower{Feed: w.store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Apply: func(ctx context.Context, cs []concord.Change) error {
			var ids []string
			for _, c := range cs {
				if c.Kind == concord.ChangeEntities {
					if len(c.IDs) == 0 {
						return w.svc.Rebuild(ctx)
					}
					ids = append(ids, c.IDs...)
				}
			}
			return w.svc.Apply(ctx, ids)
		},
		Reload: w.svc.Rebuild}
	done := make(chan struct{})
	go func() { defer close(done); _ = f.Run(ctx, from) }()
	t.Cleanup(func() { cancel(); <-done })
	for start := time.Now(); !f.CaughtUp(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the follower does not catch up")
		}
	}
	return f
}

// caughtUp waits until f has applied every change committed so far.
func (w *world) caughtUp(t *testing.T, f *follow.Follower) {
	t.Helper()
	last, err := w.store.LastChange(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); f.Position() < last; time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 20*time.Second {
			t.Fatalf("the follower is at %d of %d after 20 s", f.Position(), last)
		}
	}
}

// matchIDs returns what user gets from /v1/match for a name: the ids and
// the refs of the first result.
func (w *world) matchIDs(user, name string) ([]string, []string) {
	w.t.Helper()
	body, _ := json.Marshal(map[string]any{"queries": map[string]any{"q": map[string]any{"schema": "Person", "properties": map[string][]string{"name": {name}}}}})
	r := w.do("POST", "/v1/match", user, body, "application/json")
	var res struct {
		Responses map[string]struct {
			Results []struct {
				ID        string   `json:"id"`
				Referents []string `json:"referents"`
			} `json:"results"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(r.Body, &res); err != nil || r.Code != 200 {
		w.t.Fatalf("match: %d %s", r.Code, r.Body)
	}
	var ids, refs []string
	for i, x := range res.Responses["q"].Results {
		ids = append(ids, x.ID)
		if i == 0 {
			refs = x.Referents
		}
	}
	return ids, refs
}

// A write on one store handle — an import, a list refresh, a contribution,
// a reshare, a retraction — is matched through a server on another handle
// of the same store within 2 s, on SQLite (another process's handle on the
// same directory) and PostgreSQL (another node's on the same database).
func TestWritesElsewhereReachTheIndex(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			ctx := concord.WithActor(context.Background(), concord.Actor{User: "system", Via: "test"})
			loc := storeAt(t, backend)
			clock := &stepClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
			writer := &fixture{t: t, ctx: ctx, db: openAt(t, backend, loc, clock)}
			if err := writer.db.LoadCoalition(ctx, &concord.Coalition{
				Members: []concord.Member{{ID: "es", Country: "ES", Name: "Spain"}, {ID: "fr", Country: "FR", Name: "France"}},
			}); err != nil {
				t.Fatal(err)
			}
			writer.list("un", [3]string{"un-1", "Abdulrahman Qasim Haddad", "1975"})
			node := serve(t, openAt(t, backend, loc, clock), clock, []concord.User{
				{Name: "es-analyst", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}, PasswordHash: "x"},
				{Name: "fr-analyst", Member: "fr", Roles: []concord.Role{concord.RoleAnalyst}, PasswordHash: "x"},
			})
			node.follows(t)
			alias := concord.StatementID("un-1", "alias", "Zebulon Quartermaine", "", "member-es", "es")
			steps := []struct {
				name  string
				write func()
				user  string
				query string
				want  []string // ids, and the refs of the first, after the write
				refs  []string
			}{
				{"a list is imported", func() {
					writer.list("xl", [3]string{"xl-1", "Bartholomew Quixley", "1960"}, [3]string{"xl-2", "Haddad Abdulrahman Qasim", "1975-02-03"})
				}, "fr-analyst", "Bartholomew Quixley", []string{"xl-1"}, []string{"xl:xl-1"}},
				{"... and merged with the UN record of the same person", func() {}, "fr-analyst", "Abdulrahman Qasim Haddad",
					[]string{"un-1"}, []string{"un:un-1", "xl:xl-2"}},
				{"a member contributes an alias for the coalition", func() {
					writer.contribute("es", concord.AudienceCoalition, concord.TLPGreen, "un-1", "alias", "Zebulon Quartermaine")
				}, "fr-analyst", "Zebulon Quartermaine", []string{"un-1"}, []string{"un:un-1", "xl:xl-2", "es:un-1"}},
				{"it narrows it to itself", func() {
					if err := writer.db.Reshare(ctx, "es", []string{alias}, concord.MemberAudience("es"), concord.TLPRed); err != nil {
						t.Fatal(err)
					}
				}, "fr-analyst", "Zebulon Quartermaine", nil, nil},
				{"... which it still sees", func() {}, "es-analyst", "Zebulon Quartermaine", []string{"un-1"}, []string{"un:un-1", "xl:xl-2", "es:un-1"}},
				{"it retracts it", func() {
					if err := writer.db.Retract(ctx, "es", []string{alias}); err != nil {
						t.Fatal(err)
					}
				}, "es-analyst", "Zebulon Quartermaine", nil, nil},
				{"the list is refreshed without a record", func() {
					writer.list("xl", [3]string{"xl-2", "Haddad Abdulrahman Qasim", "1975-02-03"})
				}, "fr-analyst", "Bartholomew Quixley", nil, nil},
			}
			for _, st := range steps {
				st.write()
				start := time.Now()
				for {
					ids, refs := node.matchIDs(st.user, st.query)
					if slices.Equal(ids, st.want) && slices.Equal(refs, st.refs) {
						t.Logf("%s: matched as expected after %v", st.name, time.Since(start).Round(time.Millisecond))
						break
					}
					if time.Since(start) > 2*time.Second {
						t.Fatalf("%s: %s gets %v %v for %q, want %v %v, 2 s after the write", st.name, st.user, ids, refs, st.query, st.want, st.refs)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			if ms, err := node.svc.Match(ctx, viewerFR, match.Query{Name: "Abdulrahman Qasim Haddad"}, match.Options{}); err != nil || len(ms) != 1 {
				t.Errorf("after the steps: %+v %v", ms, err)
			}
		})
	}
}
