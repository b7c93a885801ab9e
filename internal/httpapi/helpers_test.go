package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/internal/auth"
	"concord/internal/mediabank"
	"concord/internal/pgtest"
	"concord/internal/pnr"
	"concord/internal/store"
	"concord/match"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// cheap argon2id parameters keep tests fast.
var cheap = auth.Params{Memory: 256, Time: 1, Threads: 1}

// env is a server on a real SQLite store with a small coalition: members
// es, fr, uz and sec (the secretariat); group ttwg = {es, fr}, group
// africa = {fr}. Users are named <member>-<role>; tokens[name] is a token of
// every scope.
type env struct {
	t       *testing.T
	clock   *testClock
	store   Store
	srv     *Server
	matcher *testMatcher
	jobs    *testJobs
	bank    *mediabank.Bank
	pnr     *pnr.Service
	tokens  map[string]string

	mu      sync.Mutex
	changed []string
}

var testUsers = []struct {
	name, member string
	roles        []concord.Role
}{
	{"es-viewer", "es", []concord.Role{concord.RoleViewer}},
	{"es-analyst", "es", []concord.Role{concord.RoleAnalyst}},
	{"es-reviewer", "es", []concord.Role{concord.RoleReviewer}},
	{"es-admin", "es", []concord.Role{concord.RoleAdmin}},
	{"fr-viewer", "fr", []concord.Role{concord.RoleViewer}},
	{"fr-analyst", "fr", []concord.Role{concord.RoleAnalyst}},
	{"fr-reviewer", "fr", []concord.Role{concord.RoleReviewer}},
	{"uz-viewer", "uz", []concord.Role{concord.RoleViewer}},
	{"uz-analyst", "uz", []concord.Role{concord.RoleAnalyst}},
	{"sec-secretariat", "sec", []concord.Role{concord.RoleSecretariat}},
}

const testPassword = "correct horse battery"

func newEnv(t *testing.T) *env { return newEnvOn(t, "sqlite") }

// backends are the stores the access matrix runs on: SQLite always,
// PostgreSQL when CONCORD_TEST_POSTGRES names a server.
func backends() []string {
	if pgtest.Available() {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

func newEnvOn(t *testing.T, backend string) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, clock: &testClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}, tokens: map[string]string{}}
	var db *store.DB
	var err error
	switch backend {
	case "sqlite":
		db, err = store.OpenSQLite(ctx, t.TempDir(), e.clock)
	case "postgres":
		db, err = store.OpenPostgres(ctx, pgtest.URL(t), e.clock)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.store = db
	err = e.store.LoadCoalition(ctx, &concord.Coalition{
		Name: "test",
		Members: []concord.Member{
			{ID: "es", Country: "ES", Name: "Spain", Agency: "CNI"},
			{ID: "fr", Country: "FR", Name: "France", Agency: "DGSI"},
			{ID: "uz", Country: "UZ", Name: "Uzbekistan", Agency: "SGB"},
			{ID: "sec", Kind: "organisation", Name: "Coalition secretariat"},
		},
		Groups: []concord.Group{
			{ID: "ttwg", Name: "Terrorist Travel Working Group", Kind: concord.GroupWorkingGroup, Members: []string{"es", "fr"}},
			{ID: "africa", Name: "Africa Focus Group", Kind: concord.GroupTaskForce, Members: []string{"fr"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPasswordParams(testPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range testUsers {
		if err := e.store.CreateUser(ctx, &concord.User{Name: u.name, Member: u.member, Roles: u.roles, PasswordHash: hash, CreatedAt: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		plain, tok, err := auth.NewToken(u.name, "test", auth.ValidScopes, e.clock.Now(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		e.tokens[u.name] = plain
	}
	// A public list entry everyone sees.
	un := concord.NewEntity("un-qdi-1", "Person")
	un.Add("name", "Abu Bakr al-Baghdadi")
	un.Add("birthDate", "1971")
	un.Add("nationality", "iq")
	if _, err := e.store.Import(ctx, &concord.ImportBatch{Dataset: "un", Version: "1",
		Statements: un.Statements(concord.Provenance{Dataset: "un", SourceRef: "un:QDi.001", Audience: concord.AudiencePublic, Handling: concord.TLPClear})}); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{Users: e.store, Groups: e.store, Clock: e.clock, Params: cheap})
	if err != nil {
		t.Fatal(err)
	}
	e.matcher = &testMatcher{store: e.store}
	e.jobs = &testJobs{store: e.store, clock: e.clock}
	e.bank, err = mediabank.New(context.Background(), e.store)
	if err != nil {
		t.Fatal(err)
	}
	e.pnr, err = pnr.New(db, []byte("httpapi tests: a node key of 32 bytes or more"), e.clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.srv, err = New(Config{
		Store: e.store, Matcher: e.matcher, Jobs: e.jobs, Auth: a, Clock: e.clock, Media: e.bank, PNR: e.pnr,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnChange: func(id string) {
			e.mu.Lock()
			e.changed = append(e.changed, id)
			e.mu.Unlock()
			if err := e.bank.Refresh(context.Background(), id); err != nil {
				t.Error(err)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// resp is a recorded response.
type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

func (r *resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response %d %s: %v", r.Code, r.Body, err)
	}
}

// errCode returns the error code of an error body.
func (r *resp) errCode() string {
	var b errorBody
	json.Unmarshal(r.Body, &b)
	return b.Error.Code
}

// do sends a request as user ("" = anonymous); body is JSON-encoded unless
// it is a []byte or string.
func (e *env) do(method, path, user string, body any, hdr ...string) *resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "192.0.2.10:51000"
	if user != "" {
		tok, ok := e.tokens[user]
		if !ok {
			tok = user // a raw credential
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return &resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// must fails the test unless the response has the status.
func (e *env) must(status int, r *resp) *resp {
	e.t.Helper()
	if r.Code != status {
		e.t.Fatalf("status %d, want %d: %s", r.Code, status, r.Body)
	}
	return r
}

// testMatcher is a real match.Index built, for every call, from what the
// viewer sees: correct by construction, fine for small test data.
type testMatcher struct {
	store Store
	mu    sync.Mutex
	err   error               // returned when set
	refs  map[string][]string // entity id → refs of the merged record, when set
}

func (m *testMatcher) Match(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error) {
	m.mu.Lock()
	err := m.err
	m.mu.Unlock()
	if err != nil {
		return nil, err
	}
	var recs []match.Record
	err = m.store.EachEntity(ctx, v.Filter(), concord.EntityQuery{}, func(e *concord.Entity) error {
		if s := concord.SchemaByName(e.Schema); s != nil && s.Matchable {
			recs = append(recs, record(e))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ms := match.Build(slices.Values(recs)).Match(q, opt)
	for i := range ms {
		if r, ok := m.refs[ms[i].EntityID]; ok {
			ms[i].Refs = r
		}
	}
	return ms, nil
}

func record(e *concord.Entity) match.Record {
	p := e.Properties
	r := match.Record{ID: e.ID, Schema: e.Schema, Caption: e.Caption(), Names: e.Names(), WeakNames: p["weakAlias"],
		BirthDates: p["birthDate"], Identifiers: append(slices.Clone(p["passportNumber"]), p["idNumber"]...), Refs: e.Refs}
	r.Nationalities = append(slices.Clone(p["nationality"]), p["citizenship"]...)
	if g := p["gender"]; len(g) > 0 {
		r.Gender = g[0]
	}
	return r
}

// testJobs stores submitted jobs with one row per non-empty line after the
// header, as the real runner would before screening them.
type testJobs struct {
	store Store
	clock concord.Clock
	mu    sync.Mutex
	calls []jobCall
}

type jobCall struct {
	kind, source string
	threshold    float64
	limit        int
	user         string
}

func (j *testJobs) Submit(ctx context.Context, v access.Viewer, kind, source string, r io.Reader, threshold float64, limit int) (*concord.Job, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	n := len(j.calls)
	j.calls = append(j.calls, jobCall{kind, source, threshold, limit, v.User})
	j.mu.Unlock()
	job := &concord.Job{ID: "job-" + string(rune('a'+n)), Kind: kind, Source: source, Owner: v.User, Member: v.Member,
		Status: concord.JobQueued, Threshold: threshold, Limit: limit, CreatedAt: j.clock.Now(), UpdatedAt: j.clock.Now()}
	var rows []concord.JobRow
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if kind == "csv" && len(lines) > 1 {
		lines = lines[1:]
	}
	for i, l := range lines {
		q, _ := json.Marshal(map[string]string{"line": strings.TrimSpace(l)})
		rows = append(rows, concord.JobRow{JobID: job.ID, N: i, Key: "t" + string(rune('1'+i)), Query: q})
	}
	job.Total = len(rows)
	if err := j.store.CreateJob(ctx, job, concord.JobRows(rows)); err != nil {
		return nil, err
	}
	return job, nil
}

// storeFor is the store under test: the real SQLite store.
