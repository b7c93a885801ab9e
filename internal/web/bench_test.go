package web

import (
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkPages serves the console's main pages to a signed-in analyst on
// the test node (the ISIL and Al-Qaida part of the UN list): one request
// per iteration, through the real handler stack (session, CSRF, CSP,
// services, audit, templates).
//
//	go test ./internal/web -run '^$' -bench Pages -benchtime 200x
func BenchmarkPages(b *testing.B) {
	for _, bc := range []struct{ name, path string }{
		{"search-latin", "/search?q=" + url.QueryEscape("Aiman al-Zawahiri")},
		{"search-arabic", "/search?q=" + url.QueryEscape("أيمن الظواهري")},
		{"entity", "/entities/un-QDi.006"},
		{"home", "/"},
		{"screen-form", "/screen"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := newSite(b)
			c := s.signIn("es-analyst")
			req, _ := http.NewRequest("GET", s.URL+bc.path, nil)
			b.ResetTimer()
			for range b.N {
				if code, _ := c.do(req); code != 200 {
					b.Fatalf("%s: %d", bc.path, code)
				}
			}
		})
	}
}
