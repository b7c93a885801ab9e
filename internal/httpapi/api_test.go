package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"concord"
)

// samplePath fills a route's wildcards.
func samplePath(p string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(p, "1")
}

func TestEveryV1RouteNeedsCredentials(t *testing.T) {
	e := newEnv(t)
	paths := []struct{ method, path string }{{"GET", "/v1/nope"}, {"DELETE", "/v1/me"}}
	for _, rt := range e.srv.routes {
		if rt.public || !strings.HasPrefix(rt.path, "/v1/") || rt.method == "" {
			continue
		}
		paths = append(paths, struct{ method, path string }{rt.method, samplePath(rt.path)})
	}
	for _, p := range paths {
		for _, cred := range []string{"", "cct_0000000000000000_notatokennotatokennotatoken", "ccs_nope", "garbage"} {
			r := e.do(p.method, p.path, cred, "{}") // "" sends no Authorization header
			if r.Code != http.StatusUnauthorized || r.errCode() != concord.EUNAUTHORIZED {
				t.Errorf("%s %s with %q: %d %s, want 401 unauthorized", p.method, p.path, cred, r.Code, r.Body)
			}
			if r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: no WWW-Authenticate", p.method, p.path)
			}
		}
	}
	// Public ones answer without credentials.
	e.must(200, e.do("GET", "/v1/openapi.json", "", nil))
	e.must(200, e.do("GET", "/healthz", "", nil))
	e.must(400, e.do("POST", "/v1/auth/login", "", "{}"))
}

func TestOpenAPIDescribesExactlyTheRoutes(t *testing.T) {
	e := newEnv(t)
	r := e.must(200, e.do("GET", "/v1/openapi.json", "", nil))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	described := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			described[strings.ToUpper(m)+" "+p] = true
		}
	}
	registered := map[string]bool{}
	for _, rt := range e.srv.routes {
		if rt.method != "" {
			registered[rt.pattern()] = true
		}
	}
	for k := range registered {
		if !described[k] {
			t.Errorf("route %s is not in openapi.json", k)
		}
	}
	for k := range described {
		if !registered[k] {
			t.Errorf("openapi.json describes %s, which no route serves", k)
		}
	}
	// Every $ref resolves.
	var all map[string]any
	json.Unmarshal(r.Body, &all)
	comps := all["components"].(map[string]any)
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/components/(\w+)/(\w+)"`).FindAllStringSubmatch(string(r.Body), -1) {
		if sec, ok := comps[ref[1]].(map[string]any); !ok || sec[ref[2]] == nil {
			t.Errorf("dangling $ref %s/%s", ref[1], ref[2])
		}
	}
}

func TestLoginSessionCookieLogout(t *testing.T) {
	e := newEnv(t)
	r := e.must(200, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-analyst", "password": testPassword}))
	var s struct {
		Token     string        `json:"token"`
		ExpiresAt string        `json:"expires_at"`
		User      *concord.User `json:"user"`
	}
	r.json(t, &s)
	if !strings.HasPrefix(s.Token, "ccs_") || s.User.Name != "es-analyst" || s.ExpiresAt == "" {
		t.Fatalf("login response %s", r.Body)
	}
	if strings.Contains(string(r.Body), "argon2") {
		t.Fatal("login response carries the password hash")
	}
	cookie := (&http.Response{Header: r.Header}).Cookies()
	if len(cookie) != 1 || cookie[0].Name != SessionCookie || cookie[0].Value != s.Token || !cookie[0].HttpOnly || cookie[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", cookie)
	}
	// The cookie authenticates.
	req := httptest.NewRequest("GET", "/v1/me", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.Token})
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	var me meResponse
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &me) != nil || me.User.Name != "es-analyst" ||
		me.Member == nil || me.Member.ID != "es" || !slices.Equal(me.Groups, []string{"ttwg"}) || me.Scopes != nil {
		t.Fatalf("/v1/me with cookie: %d %s", rec.Code, rec.Body)
	}
	// So does the bearer form; logout ends the session.
	e.must(200, e.do("GET", "/v1/me", s.Token, nil))
	e.must(204, e.do("POST", "/v1/auth/logout", s.Token, nil))
	e.must(401, e.do("GET", "/v1/me", s.Token, nil))
}

func TestLoginErrorsAndRateLimit(t *testing.T) {
	e := newEnv(t)
	unknown := e.must(401, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "nobody", "password": "whatever it is"}))
	wrong := e.must(401, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-viewer", "password": "whatever it is"}))
	if string(unknown.Body) != string(wrong.Body) {
		t.Errorf("unknown user %s differs from wrong password %s", unknown.Body, wrong.Body)
	}
	for range 5 {
		e.must(401, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-viewer", "password": "still wrong"}))
	}
	// Six failures of one account from one address: that pair waits a second.
	r := e.must(429, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-viewer", "password": testPassword}))
	if r.errCode() != concord.ERATELIMIT || r.Header.Get("Retry-After") != "1" {
		t.Errorf("rate limited: %s, Retry-After %q", r.Body, r.Header.Get("Retry-After"))
	}
	// Another account behind the same address signs in.
	e.must(200, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "fr-viewer", "password": testPassword}))
	evs, err := e.store.AuditEvents(context.Background(), concord.AuditQuery{Action: "auth.login_failed"})
	if err != nil || len(evs) != 7 || evs[0].Object != "nobody" || evs[1].Object != "es-viewer" {
		t.Errorf("failed sign-ins audited: %+v %v", evs, err)
	}
	e.clock.Add(1e9)
	e.must(200, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-viewer", "password": testPassword}))
	e.must(400, e.do("POST", "/v1/auth/login", "", `{"user":"x","password":"y","extra":1}`))
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	var created tokenResponse
	e.must(201, e.do("POST", "/v1/tokens", "es-analyst", map[string]any{"name": "ci", "scopes": []string{"read"}})).json(t, &created)
	if !strings.HasPrefix(created.Secret, "cct_"+created.ID+"_") || !slices.Equal(created.Scopes, []string{"read"}) {
		t.Fatalf("token %+v", created)
	}
	ro := created.Secret
	e.must(200, e.do("GET", "/v1/entities/un-qdi-1", ro, nil))
	if r := e.do("POST", "/v1/match", ro, map[string]any{"queries": map[string]any{"q": map[string]any{"schema": "Person", "properties": map[string]any{"name": "x"}}}}); r.Code != 403 {
		t.Errorf("read-only token matched: %d", r.Code)
	}
	// A token cannot mint a wider one.
	if r := e.do("POST", "/v1/tokens", ro, map[string]any{"name": "wider", "scopes": []string{"read", "write"}}); r.Code != 403 {
		t.Errorf("read token minted a write token: %d %s", r.Code, r.Body)
	}
	e.must(400, e.do("POST", "/v1/tokens", "es-analyst", map[string]any{"name": "x", "scopes": []string{"root"}}))
	var list struct{ Tokens []concord.Token }
	e.must(200, e.do("GET", "/v1/tokens", "es-analyst", nil)).json(t, &list)
	if len(list.Tokens) != 2 || strings.Contains(string(e.do("GET", "/v1/tokens", "es-analyst", nil).Body), created.Secret) {
		t.Errorf("tokens %+v", list.Tokens)
	}
	// Another user's token is not found; the owner revokes it.
	e.must(404, e.do("DELETE", "/v1/tokens/"+created.ID, "fr-analyst", nil))
	e.must(204, e.do("DELETE", "/v1/tokens/"+created.ID, "es-analyst", nil))
	e.must(401, e.do("GET", "/v1/me", ro, nil))
}

func TestCreateUser(t *testing.T) {
	e := newEnv(t)
	mk := func(by, name, member string, roles ...string) *resp {
		return e.do("POST", "/v1/users", by, map[string]any{"name": name, "member": member, "roles": roles, "password": "a long enough password"})
	}
	e.must(201, mk("es-admin", "es-new", "es", "analyst"))
	e.must(409, mk("es-admin", "es-new", "es", "analyst"))
	e.must(403, mk("es-admin", "fr-new", "fr", "analyst"))
	e.must(403, mk("es-admin", "es-boss", "es", "secretariat"))
	e.must(403, mk("es-analyst", "es-other", "es", "viewer"))
	e.must(400, mk("es-admin", "es-x", "es", "overlord"))
	e.must(400, mk("sec-secretariat", "xx-new", "xx", "viewer"))
	e.must(201, mk("sec-secretariat", "fr-new", "fr", "reviewer"))
	e.must(200, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-new", "password": "a long enough password"}))
	e.must(400, e.do("POST", "/v1/users", "es-admin", map[string]any{"name": "es-short", "roles": []string{"viewer"}, "password": "short"}))
	// Without a password, one is generated and shown once: the account is
	// usable, and its password is not in the stored user.
	var created struct {
		Name, Member, Password string
	}
	e.must(201, e.do("POST", "/v1/users", "es-admin", map[string]any{"name": "es-nopw", "roles": []string{"viewer"}})).json(t, &created)
	if created.Member != "es" || len(created.Password) < 20 {
		t.Fatalf("created without password: %+v", created)
	}
	e.must(200, e.do("POST", "/v1/auth/login", "", map[string]string{"user": "es-nopw", "password": created.Password}))
	r := e.must(200, e.do("GET", "/v1/users", "es-admin", nil))
	if strings.Contains(string(r.Body), created.Password) || strings.Contains(string(r.Body), "argon2") {
		t.Error("the user list shows a password or its hash")
	}
	var users struct{ Users []concord.User }
	e.must(200, e.do("GET", "/v1/users", "es-admin", nil)).json(t, &users)
	for _, u := range users.Users {
		if u.Member != "es" {
			t.Errorf("es admin lists user %s of %s", u.Name, u.Member)
		}
	}
}

func TestCoalitionEndpoints(t *testing.T) {
	e := newEnv(t)
	var ms struct{ Members []concord.Member }
	e.must(200, e.do("GET", "/v1/coalition/members", "uz-viewer", nil)).json(t, &ms)
	if len(ms.Members) != 4 {
		t.Errorf("members %+v", ms.Members)
	}
	e.must(200, e.do("GET", "/v1/coalition/members/fr", "uz-viewer", nil))
	e.must(404, e.do("GET", "/v1/coalition/members/zz", "uz-viewer", nil))
	var g concord.Group
	e.must(200, e.do("GET", "/v1/coalition/groups/ttwg", "uz-viewer", nil)).json(t, &g)
	e.must(404, e.do("GET", "/v1/coalition/groups/none", "uz-viewer", nil))
	g.Members = append(g.Members, "uz")
	e.must(403, e.do("PUT", "/v1/coalition/groups/ttwg", "es-admin", g))
	var g2 concord.Group
	e.must(200, e.do("PUT", "/v1/coalition/groups/ttwg", "sec-secretariat", g)).json(t, &g2)
	if g2.Version <= g.Version || !slices.Contains(g2.Members, "uz") {
		t.Errorf("group after put %+v (before %+v)", g2, g)
	}
	g.Members = append(g.Members, "zz")
	e.must(400, e.do("PUT", "/v1/coalition/groups/ttwg", "sec-secretariat", g))
	e.must(400, e.do("PUT", "/v1/coalition/groups/other", "sec-secretariat", g2))
	e.must(200, e.do("PUT", "/v1/coalition/members/de", "sec-secretariat", concord.Member{Country: "DE", Name: "Germany"}))
	e.must(403, e.do("PUT", "/v1/coalition/members/de", "es-admin", concord.Member{Country: "DE", Name: "Germany"}))
	// Membership changes reach the viewer: uz now sees ttwg in /v1/me.
	var me meResponse
	e.must(200, e.do("GET", "/v1/me", "uz-viewer", nil)).json(t, &me)
	if !slices.Contains(me.Groups, "ttwg") {
		t.Errorf("uz groups %v", me.Groups)
	}
}

func TestErrorsAndLimits(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ method, path, allow string }{
		{"DELETE", "/v1/me", "GET"},
		{"GET", "/v1/match", "POST"},
		{"PUT", "/v1/jobs", "GET, POST"},
		{"GET", "/v1/alerts/7/decision", "POST"},
	} {
		r := e.must(405, e.do(c.method, c.path, "es-viewer", nil))
		if r.Header.Get("Allow") != c.allow || r.errCode() != concord.EMETHOD {
			t.Errorf("%s %s: Allow %q, %s", c.method, c.path, r.Header.Get("Allow"), r.Body)
		}
	}
	e.must(404, e.do("GET", "/v1/nope", "es-viewer", nil))
	e.must(404, e.do("GET", "/nope", "", nil))
	big := `{"schema":"Person","audience":"coalition","handling":"GREEN","properties":{"notes":["` + strings.Repeat("x", 2<<20) + `"]}}`
	if r := e.do("POST", "/v1/statements", "es-analyst", big); r.Code != 413 || r.errCode() != concord.ETOOLARGE {
		t.Errorf("2 MiB body: %d %s", r.Code, r.Body)
	}
	// An internal error shows no detail.
	e.matcher.err = errors.New("db at 10.0.0.7: secret detail")
	r := e.must(500, e.do("GET", "/v1/search?q=baghdadi", "es-viewer", nil))
	if strings.Contains(string(r.Body), "secret") || r.errCode() != concord.EINTERNAL {
		t.Errorf("internal error body %s", r.Body)
	}
	for code, status := range map[string]int{"invalid": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
		"conflict": 409, "rate_limited": 429, "not_supported": 501, "internal": 500, "too_large": 413, "method_not_allowed": 405} {
		if concord.HTTPStatus(code) != status {
			t.Errorf("%s → %d, want %d", code, concord.HTTPStatus(code), status)
		}
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	e := newEnv(t)
	e.must(200, e.do("GET", "/healthz", "", nil))
	e.must(200, e.do("GET", "/readyz", "", nil))
	e.srv.cfg.Ready = func(context.Context) error { return errors.New("index loading") }
	r := e.must(503, e.do("GET", "/readyz", "", nil))
	if strings.Contains(string(r.Body), "index loading") {
		t.Error("readyz leaks detail")
	}
	e.must(200, e.do("GET", "/v1/me", "es-viewer", nil))
	e.must(200, e.do("POST", "/v1/match", "es-viewer", map[string]any{"queries": map[string]any{"q": map[string]any{"schema": "Person", "properties": map[string]any{"name": "x"}}}}))
	e.do("GET", "/v1/me", "", nil)
	body := e.scrape(t, "")
	for _, want := range []string{
		`concord_http_requests_total{method="GET",route="GET /v1/me",status="200"} 1`,
		`concord_http_requests_total{method="GET",route="GET /v1/me",status="401"} 1`,
		`concord_http_request_duration_seconds_bucket{route="GET /v1/me",le="+Inf"} 2`,
		`concord_http_request_duration_seconds_count{route="POST /v1/match"} 1`,
		`concord_match_queries_total{kind="match"} 1`,
		"# TYPE concord_http_request_duration_seconds histogram",
		`concord_logins_total{result="rate_limited"} 0`,
		"concord_goroutines ",
		"concord_uptime_seconds ",
		"go_gc_duration_seconds",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// Clients cannot grow the series: odd methods count as OTHER, paths as the
// route pattern they match; each server counts in its own registry.
func TestMetricsBoundedAndPerServer(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		e.do("BREW", "/v1/entities/x"+strings.Repeat("y", i), "es-viewer", nil)
		e.do("GET", "/nothing/here/"+strings.Repeat("z", i), "", nil)
	}
	body := e.scrape(t, "")
	for _, bad := range []string{"BREW", "/nothing", "/v1/entities/x"} {
		if strings.Contains(body, bad) {
			t.Errorf("metrics carry client input %q", bad)
		}
	}
	if !strings.Contains(body, `method="OTHER"`) {
		t.Error("no OTHER method series")
	}
	other := newEnv(t)
	body = other.scrape(t, "")
	if strings.Contains(body, `method="OTHER"`) {
		t.Error("a second server shares the first one's counts")
	}
}

func TestNewRequiresDependencies(t *testing.T) {
	if _, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err == nil {
		t.Error("New without a store succeeded")
	}
}

func TestValuesDecode(t *testing.T) {
	for in, want := range map[string][]string{
		`"a"`:              {"a"},
		`["a","b"]`:        {"a", "b"},
		`[1.5,"x"]`:        {"1.5", "x"},
		`[null,"x",null]`:  {"x"},
		`["null"]`:         {"null"},
		`null`:             nil,
		`3`:                {"3"},
		`["a",["nested"]]`: nil, // error
	} {
		var v values
		err := json.Unmarshal([]byte(in), &v)
		if want == nil && in != "null" {
			if err == nil {
				t.Errorf("%s: no error (got %q)", in, v)
			}
			continue
		}
		if err != nil || !slices.Equal(v, want) {
			t.Errorf("%s: %q, %v; want %q", in, v, err, want)
		}
	}
}
