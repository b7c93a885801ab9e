package search_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/auth"
	"concord/internal/httpapi"
	"concord/internal/job"
	"concord/internal/pgtest"
	"concord/internal/search"
	"concord/internal/store"
)

// stepClock is a clock that moves only when told: two worlds that do the
// same things write the same times.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Step moves the clock one second on.
func (c *stepClock) Step() { c.mu.Lock(); c.t = c.t.Add(time.Second); c.mu.Unlock() }

// backends are the stores a world runs on: SQLite always, PostgreSQL when
// CONCORD_TEST_POSTGRES names a server.
func backends() []string {
	if pgtest.Available() {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// openStore opens a fresh store of the backend, closed when the test ends.
func openStore(t testing.TB, backend string, clock concord.Clock) concord.Store {
	t.Helper()
	return openAt(t, backend, storeAt(t, backend), clock)
}

// storeAt returns where a fresh store of the backend lives: a directory,
// or the URL of a fresh PostgreSQL schema.
func storeAt(t testing.TB, backend string) string {
	t.Helper()
	switch backend {
	case "sqlite":
		return t.TempDir()
	case "postgres":
		return pgtest.URL(t)
	}
	t.Fatalf("unknown backend %q", backend)
	return ""
}

// openAt opens a handle on the store at loc, closed when the test ends.
func openAt(t testing.TB, backend, loc string, clock concord.Clock) concord.Store {
	t.Helper()
	ctx := context.Background()
	var st concord.Store
	var err error
	if backend == "postgres" {
		st, err = store.OpenPostgres(ctx, loc, clock)
	} else {
		st, err = store.OpenSQLite(ctx, loc, clock)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// world is a Concord node as `concord serve` assembles it: the real store,
// the search service, the job runner and the HTTP API, with one API token
// per user.
type world struct {
	t      *testing.T
	store  concord.Store
	svc    *search.Service
	runner *job.Runner
	srv    *httpapi.Server
	tokens map[string]string
	clock  *stepClock
	stop   func()
}

// serve starts the node's services on st (whose data is already loaded).
func serve(t *testing.T, st concord.Store, clock *stepClock, users []concord.User) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, store: st, tokens: map[string]string{}, clock: clock}
	for i := range users {
		u := users[i]
		u.CreatedAt = clock.Now()
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		plain, tok, err := auth.NewToken(u.Name, "test", auth.ValidScopes, clock.Now(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		w.tokens[u.Name] = plain
	}
	var err error
	if w.svc, err = search.New(ctx, st); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	w.runner = &job.Runner{Store: st, Match: w.svc.Match, Clock: clock, Log: logger, Workers: 2,
		Viewer: func(ctx context.Context, name string) (access.Viewer, error) {
			u, err := st.User(ctx, name)
			if err != nil {
				return access.Viewer{}, err
			}
			groups, err := st.MemberGroups(ctx, u.Member)
			return access.Viewer{User: u.Name, Member: u.Member, Roles: u.Roles, Groups: groups}, err
		}}
	a, err := auth.New(auth.Config{Users: st, Groups: st, Clock: clock, CacheTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	w.srv, err = httpapi.New(httpapi.Config{Store: st, Matcher: w.svc, Jobs: w.runner, Auth: a, Clock: clock, Logger: logger,
		OnChange: func(id string) {
			if err := w.svc.Refresh(context.Background(), id); err != nil {
				t.Errorf("refresh %s: %v", id, err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := w.runner.Run(runCtx); err != nil {
			t.Errorf("runner: %v", err)
		}
	}()
	w.stop = func() { cancel(); wg.Wait() }
	t.Cleanup(w.stop)
	return w
}

// reply is one recorded response.
type reply struct {
	Code int
	Body []byte
}

// do sends a request as user through the real HTTP handler, a second
// after the one before.
func (w *world) do(method, path, user string, body []byte, contentType string) reply {
	w.t.Helper()
	w.clock.Step()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "192.0.2.10:51000"
	req.Header.Set("Authorization", "Bearer "+w.tokens[user])
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	return reply{rec.Code, rec.Body.Bytes()}
}

// waitJob waits, reading the store (not the API, whose reads are audited),
// until job id is done.
func (w *world) waitJob(id string) {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		j, err := w.store.Job(context.Background(), id)
		if err != nil {
			w.t.Fatal(err)
		}
		switch j.Status {
		case concord.JobDone:
			return
		case concord.JobFailed:
			w.t.Fatalf("job %s failed: %s", id, j.Error)
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.t.Fatalf("job %s not done after 30 s", id)
}
