package httpapi

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// scrape reads the metrics as Prometheus would, with token if not empty.
func (e *env) scrape(t *testing.T, token string) string {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.srv.MetricsHandler(token).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// The metrics are not on the API: whoever can reach the API (any member,
// anyone on the network) does not read them there.
func TestMetricsNotOnTheAPI(t *testing.T) {
	e := newEnv(t)
	for _, user := range []string{"", "es-viewer", "sec-secretariat"} {
		r := e.do("GET", "/metrics", user, nil)
		if r.Code != http.StatusNotFound || strings.Contains(string(r.Body), "concord_") {
			t.Errorf("GET /metrics on the API as %q: %d %.100s", user, r.Code, r.Body)
		}
	}
}

func TestMetricsToken(t *testing.T) {
	e := newEnv(t)
	h := e.srv.MetricsHandler("s3cret-scrape-token")
	for _, c := range []struct {
		method, path, auth string
		status             int
	}{
		{"GET", "/metrics", "Bearer s3cret-scrape-token", 200},
		{"HEAD", "/metrics", "Bearer s3cret-scrape-token", 200},
		{"GET", "/metrics", "", 401},
		{"GET", "/metrics", "Bearer s3cret-scrape-tokeN", 401},
		{"GET", "/metrics", "Bearer s3cret-scrape-token ", 401},
		{"GET", "/metrics", "Basic czNjcmV0", 401},
		{"POST", "/metrics", "Bearer s3cret-scrape-token", 405},
		{"GET", "/v1/me", "Bearer s3cret-scrape-token", 404},
		{"GET", "/", "", 404},
	} {
		req := httptest.NewRequest(c.method, c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Errorf("%s %s %q: %d, want %d", c.method, c.path, c.auth, rec.Code, c.status)
		}
		if rec.Code != 200 && strings.Contains(rec.Body.String(), "concord_") {
			t.Errorf("%s %s %q: metrics in a refusal", c.method, c.path, c.auth)
		}
	}
}

// Members' work leaves no trace in the metrics: after contributions, a
// reshare, jobs and decisions, nothing counts them and no series names a
// member, a user or a record.
func TestMetricsCarryNoMemberActivity(t *testing.T) {
	e := newEnv(t)
	before := e.scrape(t, "")
	e.must(201, e.do("POST", "/v1/statements", "es-analyst", map[string]any{
		"schema": "Person", "properties": map[string][]string{"name": {"Hidden Person"}},
		"audience": "member:es", "handling": "RED"}))
	e.must(202, e.do("POST", "/v1/jobs", "fr-analyst", "id,name\nt1,Abu Bakr al-Baghdadi\n", "Content-Type", "text/csv"))
	after := e.scrape(t, "")
	series := regexp.MustCompile(`(?m)^(concord_\w+)(\{[^}]*\})? `)
	names := func(body string) map[string]bool {
		out := map[string]bool{}
		for _, m := range series.FindAllStringSubmatch(body, -1) {
			out[m[1]+m[2]] = true
		}
		return out
	}
	b, a := names(before), names(after)
	for k := range a {
		if !b[k] && !strings.HasPrefix(k, "concord_http_") {
			t.Errorf("a member's work added the series %s", k)
		}
	}
	for _, bad := range []string{"m-es-", "Hidden Person", "es-analyst", "fr-analyst", "Abu Bakr"} {
		if strings.Contains(after, bad) {
			t.Errorf("metrics mention %q", bad)
		}
	}
	// Route patterns name endpoints; no metric counts what members do there.
	for k := range a {
		name, _, _ := strings.Cut(k, "{")
		for _, bad := range []string{"member", "contribution", "decision", "job", "alert", "result", "statement", "hit"} {
			if strings.Contains(name, bad) {
				t.Errorf("metric %s counts members' work", name)
			}
		}
	}
	// Only the request counters moved, by route pattern.
	if !strings.Contains(after, `concord_http_requests_total{method="POST",route="POST /v1/statements",status="201"} 1`) {
		t.Error("request counts by route are missing")
	}
}
