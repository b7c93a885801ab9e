package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/access"
	"concord/graph"
	"concord/internal/auth"
	"concord/internal/httpapi"
	"concord/internal/importer"
	"concord/internal/importer/unxml"
	"concord/internal/job"
	"concord/internal/pnr"
	"concord/internal/search"
	"concord/internal/seed"
	"concord/internal/service"
	"concord/internal/store"
	"concord/match"
)

// site is a real Concord node for the console's tests: the SQLite store
// with a small coalition and the bundled UN list, the match index, the job
// runner, the JSON API and the console, listening on 127.0.0.1 port 0.
type site struct {
	t     testing.TB
	URL   string
	store concord.Store
	index *search.Service
	auth  *auth.Authenticator
	// services are shared by the API and the console.
	services *service.Service
	pnr      *pnr.Service
	// slow delays every screened query (to watch progress); set before
	// submitting.
	mu         sync.Mutex
	slow       time.Duration
	firstStart bool            // what the sign-in page is told
	fourEyes   map[string]bool // members that want two reviewers
}

// cheap argon2id parameters keep tests fast.
var cheap = auth.Params{Memory: 256, Time: 1, Threads: 1}

const password = "correct horse battery staple"

// siteUsers are the accounts of every site: <member>-<role>, and admin.
var siteUsers = []struct {
	name, member string
	roles        []concord.Role
}{
	{"es-analyst", "es", []concord.Role{concord.RoleAnalyst}},
	{"es-reviewer", "es", []concord.Role{concord.RoleAnalyst, concord.RoleReviewer}},
	{"es-admin", "es", []concord.Role{concord.RoleAdmin}},
	{"es-viewer", "es", []concord.Role{concord.RoleViewer}},
	{"uz-analyst", "uz", []concord.Role{concord.RoleAnalyst, concord.RoleReviewer}},
	{"admin", "secretariat", []concord.Role{concord.RoleAdmin, concord.RoleSecretariat}},
}

// siteTemplate is a data directory made once per test binary: the coalition,
// the ISIL (Da'esh) and Al-Qaida part of the bundled UN list (persons QDi,
// entities QDe) and the users. Each site starts from a copy of it.
var (
	siteTemplate = sync.OnceValues(makeTemplate)
	templateDir  string // removed by TestMain
)

func makeTemplate() (string, error) {
	dir, err := os.MkdirTemp("", "concord-web-test-")
	if err != nil {
		return "", err
	}
	templateDir = dir
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, dir, concord.SystemClock{})
	if err != nil {
		return "", err
	}
	defer st.Close()
	err = st.LoadCoalition(ctx, &concord.Coalition{Name: "test",
		Members: []concord.Member{
			{ID: "es", Country: "ES", Name: "Spain", Agency: "CNI"},
			{ID: "uz", Country: "UZ", Name: "Uzbekistan", Agency: "SGB"},
			{ID: "fr", Country: "FR", Name: "France", Agency: "DGSI"},
			{ID: "secretariat", Kind: "organisation", Name: "Coalition secretariat"},
		},
		Groups: []concord.Group{{ID: "ttwg", Name: "Terrorist Travel Working Group", Kind: concord.GroupWorkingGroup,
			Members: []string{"es", "fr"}, Leads: []string{"es"}}},
	})
	if err != nil {
		return "", err
	}
	var recs []importer.Record
	_, err = unxml.Read(seed.UNList(), seed.UNListName, func(r importer.Record) error {
		if strings.HasPrefix(r.Ref, "un:QDi.") || strings.HasPrefix(r.Ref, "un:QDe.") {
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if _, err := st.Import(ctx, importer.Batch("un", "2026-02-27", seed.UNListName, recs,
		concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear})); err != nil {
		return "", err
	}
	hash, err := auth.HashPasswordParams(password, cheap)
	if err != nil {
		return "", err
	}
	for _, u := range siteUsers {
		if err := st.CreateUser(ctx, &concord.User{Name: u.name, Member: u.member, Roles: u.roles, PasswordHash: hash, CreatedAt: time.Now()}); err != nil {
			return "", err
		}
	}
	return dir, nil
}

func newSite(t testing.TB) *site {
	t.Helper()
	ctx := context.Background()
	tmpl, err := siteTemplate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(tmpl)); err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(ctx, dir, concord.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	idx, err := search.New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{Users: st, Groups: st, Params: cheap, CacheTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, store: st, index: idx, auth: a}
	log := slog.New(slog.NewTextHandler(logSink(), nil))
	runner := &job.Runner{Store: st, Log: log, Workers: 2, Chunk: 2,
		Match: func(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error) {
			s.mu.Lock()
			d := s.slow
			s.mu.Unlock()
			if d > 0 {
				time.Sleep(d)
			}
			return idx.Match(ctx, v, q, opt)
		},
		Viewer: func(ctx context.Context, user string) (access.Viewer, error) {
			u, err := st.User(ctx, user)
			if err != nil {
				return access.Viewer{}, err
			}
			groups, err := st.MemberGroups(ctx, u.Member)
			return access.Viewer{User: u.Name, Member: u.Member, Roles: u.Roles, Groups: groups}, err
		},
	}
	onChange := func(id string) {
		if err := idx.Refresh(context.Background(), id); err != nil {
			t.Errorf("refresh %s: %v", id, err)
		}
	}
	network := &graph.Live{Load: func(ctx context.Context) (*graph.Index, error) { return graph.Load(ctx, st) }}
	if err := network.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	s.services = &service.Service{Store: st, Matcher: idx, OnChange: onChange,
		FourEyes: func(member string) bool { s.mu.Lock(); defer s.mu.Unlock(); return s.fourEyes[member] }}
	s.pnr, err = pnr.New(st, []byte("console tests: a node key of 32 bytes or more"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{Store: st, Matcher: idx, Jobs: runner, Auth: a, Logger: log, Service: s.services, Network: network.Current, PNR: s.pnr})
	if err != nil {
		t.Fatal(err)
	}
	console, err := New(Config{Store: st, Matcher: idx, Jobs: runner, Auth: a, Logger: log, Service: s.services, Network: network.Current, PNR: s.pnr,
		FirstStart: func(context.Context) bool { s.mu.Lock(); defer s.mu.Unlock(); return s.firstStart }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", api.Handler())
	mux.Handle("/", console.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	// Browsers treat localhost as a secure context; use that name so that
	// the console's Secure cookies behave as they do for a reader.
	s.URL = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(rctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

func (s *site) setSlow(d time.Duration) { s.mu.Lock(); s.slow = d; s.mu.Unlock() }

// client is a plain HTTP client of the console with its own cookies.
type client struct {
	t    testing.TB
	site *site
	hc   *http.Client
	csrf string
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// anonymous returns a client that has not signed in.
func (s *site) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: s.t, site: s, hc: &http.Client{Jar: secureJar{jar},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn returns a client signed in as user.
func (s *site) signIn(user string) *client {
	s.t.Helper()
	c := s.anonymous()
	code, body := c.get("/signin")
	if code != 200 {
		s.t.Fatalf("GET /signin: %d", code)
	}
	code, _ = c.post("/signin", url.Values{"user": {user}, "password": {password}, "csrf": {csrfOf(body)}})
	if code != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: %d", user, code)
	}
	_, home := c.get("/")
	c.csrf = csrfOf(home)
	return c
}

func csrfOf(body string) string {
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.site.URL+path, nil)
	return c.do(req)
}

// post sends a form; the client's CSRF token is added unless the form has
// one (or an empty one, to test refusals).
func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.site.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// secureJar keeps the console's Secure cookies for http://localhost, as
// browsers do for that secure context (net/http/cookiejar sends Secure
// cookies over https only).
type secureJar struct{ http.CookieJar }

func (j secureJar) SetCookies(u *url.URL, cs []*http.Cookie) { j.CookieJar.SetCookies(httpsOf(u), cs) }
func (j secureJar) Cookies(u *url.URL) []*http.Cookie        { return j.CookieJar.Cookies(httpsOf(u)) }

func httpsOf(u *url.URL) *url.URL {
	v := *u
	if v.Hostname() == "localhost" {
		v.Scheme = "https"
	}
	return &v
}

// apiStatus is the status of GET /v1/me with a bearer token.
func apiStatus(t *testing.T, s *site, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (s *site) setFirstStart(b bool) { s.mu.Lock(); s.firstStart = b; s.mu.Unlock() }

// upload posts a file to the screening form.
func (c *client) upload(name, content string) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", c.site.URL+"/jobs", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// waitAlert waits for a pending alert of member and returns its id.
func (s *site) waitAlert(t *testing.T, member string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		as, err := s.store.Alerts(context.Background(), concord.AlertQuery{Member: member, Status: concord.AlertPending})
		if err != nil {
			t.Fatal(err)
		}
		if len(as) > 0 {
			return strconv.FormatInt(as[len(as)-1].ID, 10)
		}
	}
	t.Fatalf("no alert for %s", member)
	return ""
}

// signInNew creates a user and signs in as it.
func (s *site) signInNew(t *testing.T, name, member string, roles ...concord.Role) *client {
	t.Helper()
	hash, err := auth.HashPasswordParams(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.CreateUser(context.Background(), &concord.User{Name: name, Member: member, Roles: roles, PasswordHash: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return s.signIn(name)
}

func (s *site) setFourEyes(member string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fourEyes == nil {
		s.fourEyes = map[string]bool{}
	}
	s.fourEyes[member] = true
}
