// Package web is Concord's console: server-rendered html/template pages
// with their static assets embedded in the binary, served by concord serve
// at / beside the JSON API.
//
// It is one more adapter over the same services as the API
// (internal/service, with the same store contracts, matcher, job runner and
// authenticator): every page runs as the signed-in person's access.Viewer
// and reads through it, so a record the viewer may not see is missing from
// every page, count and error, exactly as in the API. It never imports a
// concrete store, nor the JSON API.
//
// Security: sessions from the authenticator (the API's lockout and
// backoff) in an HttpOnly, Secure, SameSite=Lax cookie; a CSRF token on
// every state-changing form (an HMAC keyed by the session credential) and
// net/http's cross-origin protection (Sec-Fetch-Site, Origin); a strict
// Content-Security-Policy with no inline script or style; html/template's
// contextual escaping for every value (names from lists and manifests are
// untrusted input).
//
// Adding a page: write its handler in the file of its page family (one
// file per family: search.go, entity.go, screen.go, review.go, ...), list
// its route in that file's xxxRoutes method (and that method in routes, in
// server.go, for a new family), and add templates/NAME.html defining
// "main"; s.render(w, r, q, status, "NAME", title, data) wraps it in the
// shared layout. Read through s.svc with q.v, never around it. Forms that
// change state post with the hidden csrf field ({{.CSRF}} in the layout's
// data). docs/console.md walks through it with an example.
package web
