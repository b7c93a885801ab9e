package httpapi

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"concord"
)

// auditRows counts the audit rows, to show that a refused request wrote none.
func (e *env) auditRows() int {
	e.t.Helper()
	n := 0
	if err := e.store.EachAuditEvent(context.Background(), func(*concord.AuditEvent) error { n++; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// Bad values get a 400 that names the field, and change nothing: not the
// store, not the audit.
func TestValuesRefused(t *testing.T) {
	e := newEnv(t)
	contribute := func(props string) string {
		return `{"schema":"Person","audience":"member:es","handling":"AMBER","properties":` + props + `}`
	}
	match := func(props string) string {
		return `{"queries":{"q1":{"schema":"Person","properties":` + props + `}}}`
	}
	for _, c := range []struct {
		name, method, path, body string
		want                     string // in the error message
	}{
		{"NUL in a value", "POST", "/v1/statements", contribute(`{"name":["Abu\u0000Bakr"]}`), "properties.name[0]: contains a NUL byte"},
		{"NUL in a match name", "POST", "/v1/match", match(`{"name":["x","Abu\u0000Bakr"]}`), "queries.q1.properties.name[1]: contains a NUL byte"},
		{"invalid UTF-8", "POST", "/v1/statements", contribute("{\"name\":[\"Abu \xff Bakr\"]}"), "properties.name[0]: is not valid UTF-8 (byte 0xFF)"},
		{"invalid UTF-8 in a key", "POST", "/v1/statements", contribute("{\"na\xc3me\":[\"x\"]}"), `properties key "na`},
		{"lone surrogate", "POST", "/v1/statements", contribute(`{"name":["Abu \ud800 Bakr"]}`), `properties.name[0]: holds a lone UTF-16 surrogate (\uD800)`},
		{"low surrogate first", "POST", "/v1/match", match(`{"name":["\udc00\ud800"]}`), "lone UTF-16 surrogate"},
		{"bell", "POST", "/v1/statements", contribute(`{"notes":["ring \u0007"]}`), "properties.notes[0]: contains the control character U+0007"},
		{"newline in a name", "POST", "/v1/statements", contribute(`{"name":["two\nlines"]}`), "properties.name[0]: contains the control character U+000A"},
		{"not a date", "POST", "/v1/statements", contribute(`{"name":["X"],"birthDate":["not a date"]}`), `properties.birthDate[0]: "not a date" is not a date`},
		{"not a date in a match", "POST", "/v1/match", match(`{"name":["X"],"birthDate":["1971","31/12/1971"]}`), `queries.q1.properties.birthDate[1]: "31/12/1971" is not a date`},
		{"bad gender", "POST", "/v1/statements", contribute(`{"name":["X"],"gender":["yes"]}`), `properties.gender[0]: "yes": want male, female or other`},
		{"unknown country", "POST", "/v1/statements", contribute(`{"name":["X"],"nationality":["Atlantis"]}`), `properties.nationality[0]: unknown country "Atlantis"`},
		{"value too long", "POST", "/v1/statements", contribute(`{"name":["` + strings.Repeat("n", 5000) + `"]}`), "properties.name[0]: 5000 bytes, at most 4096"},
		{"a 1 MB entity id", "GET", "/v1/entities/" + strings.Repeat("x", 1<<20), "", "path parameter id: 1048576 bytes, at most 128"},
		{"an entity id with a NUL", "GET", "/v1/entities/a%00b/statements", "", "path parameter id: "},
		{"a job id with a space", "GET", "/v1/jobs/job%20x", "", "path parameter id: "},
		{"NUL in a query parameter", "GET", "/v1/search?q=abu%00bakr", "", "parameter q: contains a NUL byte"},
		{"invalid UTF-8 in a query parameter", "GET", "/v1/search?q=abu%FFbakr", "", "parameter q: is not valid UTF-8"},
		{"long query parameter", "GET", "/v1/alerts?status=" + strings.Repeat("p", 2000), "", "parameter status: 2000 bytes, at most 1024"},
		{"long query string", "GET", "/v1/search?q=x&" + strings.Repeat("a=b&", 3000), "", "query string: "},
		{"bad query string", "GET", "/v1/search?q=%zz", "", "query string: "},
		{"a long query key", "POST", "/v1/match", `{"queries":{"` + strings.Repeat("k", 200) + `":{"schema":"Person","properties":{"name":["x"]}}}}`, "queries: key "},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.auditRows()
			r := e.do(c.method, c.path, "es-analyst", c.body, "Content-Type", "application/json")
			var b errorBody
			r.json(t, &b)
			if r.Code != 400 || b.Error.Code != concord.EINVALID || !strings.Contains(b.Error.Message, c.want) {
				t.Errorf("%d %.300s, want 400 with %q", r.Code, b.Error.Message, c.want)
			}
			if len(r.Body) > 600 {
				t.Errorf("error body of %d bytes", len(r.Body))
			}
			if after := e.auditRows(); after != before {
				t.Errorf("a refused request wrote %d audit rows", after-before)
			}
		})
	}
	// Tabs and line breaks in free text, escaped non-ASCII and surrogate
	// pairs are text.
	e.must(201, e.do("POST", "/v1/statements", "es-analyst", contribute(`{"name":["\u0623\u0628\u0648 \ud83d\ude00"],"notes":["line one\nline\ttwo"],"birthDate":["1971-07"]}`)))
	e.must(200, e.do("POST", "/v1/match", "es-analyst", match(`{"name":["\u0623\u0628\u0648 \\u0000 not a NUL"],"birthDate":["1971-07-28"]}`)))
}

func TestWildcards(t *testing.T) {
	for p, want := range map[string]string{
		"/v1/entities/{id}":        "id",
		"/v1/alerts/{id}/decision": "id",
		"/v1/match/{dataset}":      "dataset",
		"/v1/a/{x}/b/{y}":          "x,y",
		"/v1/files/{path...}":      "path",
		"/v1/exact/{$}":            "",
		"/v1/jobs":                 "",
	} {
		if got := strings.Join(wildcards(p), ","); got != want {
			t.Errorf("wildcards(%q) = %q, want %q", p, got, want)
		}
	}
}

// A member path parameter may be "*" (every member, for PUT
// /v1/retention/*/{kind}); no other path parameter may.
func TestStarPathParameter(t *testing.T) {
	e := newEnv(t)
	e.must(200, e.do("PUT", "/v1/retention/*/case", "sec-secretariat", map[string]any{"months": 60}))
	e.must(400, e.do("PUT", "/v1/retention/**/case", "sec-secretariat", map[string]any{"months": 60}))
	e.must(400, e.do("GET", "/v1/entities/*", "es-analyst", nil))
}

func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":["\u0000"]}`, "{\"a\":\"\xff\"}", `{"a":"\ud800"}`, `[1,"x",{"k":null}]`, `"\\u0000"`, `{"":"\udbff\udfff"}`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := checkJSONText(b)
		if err != nil && concord.ErrorCode(err) != concord.EINVALID {
			t.Fatalf("code %s: %v", concord.ErrorCode(err), err)
		}
		if err != nil && len(err.Error()) > 600 {
			t.Fatalf("error of %d bytes", len(err.Error()))
		}
	})
}

// An upload over the limit is refused with 413, whether it says its length
// (refused before reading) or streams without one (refused on reaching it).
func TestUploadTooLarge(t *testing.T) {
	e := newEnv(t)
	e.srv.cfg.MaxJobBody = 1000
	body := "id,name\n" + strings.Repeat("r1,Someone Somebody\n", 100)
	e.mustRefuseOversized("/v1/jobs", "text/csv", []byte(body))
	if js, _ := e.store.Jobs(context.Background(), ""); len(js) != 0 {
		t.Errorf("an oversized upload made a job: %+v", js)
	}
	e.must(202, e.do("POST", "/v1/jobs", "es-analyst", "id,name\nr1,Someone\n", "Content-Type", "text/csv"))
}

// mustRefuseOversized posts body to path as es-analyst twice, with its
// length and streamed without one (chunked), and wants 413 too_large both
// times.
func (e *env) mustRefuseOversized(path, contentType string, body []byte) {
	e.t.Helper()
	for _, chunked := range []bool{false, true} {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tokens["es-analyst"])
		req.Header.Set("Content-Type", contentType)
		if chunked {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != 413 || !strings.Contains(rec.Body.String(), `"too_large"`) {
			e.t.Errorf("%s chunked=%v: %d %s", path, chunked, rec.Code, rec.Body)
		}
	}
}
