package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/service"
)

// Cookies of the console. Both are HttpOnly and Secure: browsers keep and
// send Secure cookies over https and, for the README's walkthrough, over
// plain http to localhost and 127.0.0.1, which they treat as a secure
// context (Chromium and Firefox do; Safari does not and needs https).
const (
	// SessionCookie carries the session credential (SameSite=Lax, so that
	// a link into the console from a mail or a ticket opens signed in;
	// state changes are guarded by the CSRF token and Sec-Fetch-Site).
	SessionCookie = "concord_console"
	// signinCookie carries the sign-in form's CSRF secret (SameSite=Strict,
	// /signin only): a site cannot sign a browser in as someone else.
	signinCookie = "concord_signin"
)

var errCSRF = concord.Errorf(concord.EFORBIDDEN, "this form has expired or did not come from the console: reload the page and try again")

// csrfToken is the CSRF token of a session: an HMAC keyed by the session
// credential, which only the browser holding the HttpOnly cookie and the
// server see. It needs no server state, so it is the same on every node.
func csrfToken(cred string) string {
	m := hmac.New(sha256.New, []byte(cred))
	m.Write([]byte("concord console csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF checks the token of a state-changing request: the form field
// csrf, or the X-CSRF-Token header of the console's own scripts.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func setCookie(w http.ResponseWriter, name, value, path string, expires time.Time, same http.SameSite) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, Expires: expires,
		HttpOnly: true, Secure: true, SameSite: same})
}

func clearCookie(w http.ResponseWriter, name string) {
	path := "/"
	if name == signinCookie {
		path = "/signin"
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true, Secure: true,
		SameSite: http.SameSiteLaxMode})
}

func (s *Server) authRoutes() []route {
	return []route{
		{"GET /signin", s.signinForm, true},
		{"POST /signin", s.signin, true},
		{"POST /signout", s.signout, false},
	}
}

// signinPage is the data of the sign-in page.
type signinPage struct {
	User, Next string
	FirstStart bool
	SignedOut  bool
	Error      string
}

// signinForm shows the sign-in form, with its CSRF cookie, and on a node
// that has only its first administrator, what the operator does next.
func (s *Server) signinForm(w http.ResponseWriter, r *http.Request, q *request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if q.signedIn() {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.showSignin(w, r, q, http.StatusOK, signinPage{Next: next, SignedOut: r.URL.Query().Has("signedout")})
}

func (s *Server) showSignin(w http.ResponseWriter, r *http.Request, q *request, status int, d signinPage) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	setCookie(w, signinCookie, secret, "/signin", s.clock.Now().Add(time.Hour), http.SameSiteStrictMode)
	q.csrf = secret
	d.FirstStart = s.cfg.FirstStart(r.Context())
	return s.render(w, r, q, status, "signin", "Sign in", d)
}

// signin checks the password through the authenticator — the API's
// lockout and backoff rules, the same audit of failures — and opens a
// session.
func (s *Server) signin(w http.ResponseWriter, r *http.Request, q *request) error {
	ck, err := r.Cookie(signinCookie)
	if err != nil || ck.Value == "" || !validCSRF(r, ck.Value) {
		return s.showSignin(w, r, q, http.StatusForbidden, signinPage{Next: safeNext(r.PostFormValue("next")),
			Error: "The sign-in form had expired. Please try again."})
	}
	name := strings.TrimSpace(r.PostFormValue("user"))
	d := signinPage{User: name, Next: safeNext(r.PostFormValue("next"))}
	sess, err := s.auth.Login(r.Context(), name, r.PostFormValue("password"), remoteAddr(r))
	switch concord.ErrorCode(err) {
	case "":
	case concord.EUNAUTHORIZED, concord.EINVALID:
		if concord.ErrorCode(err) == concord.EUNAUTHORIZED {
			if aerr := s.svc.Audit(r.Context(), "auth.login_failed", service.Truncate(name, 64), "remote="+remoteAddr(r)); aerr != nil {
				return aerr
			}
		}
		d.Error = concord.ErrorMessage(err)
		return s.showSignin(w, r, q, concord.HTTPStatus(concord.ErrorCode(err)), d)
	case concord.ERATELIMIT:
		var ra interface{ RetryAfter() time.Duration }
		if errors.As(err, &ra) {
			w.Header().Set("Retry-After", retrySeconds(ra.RetryAfter()))
			d.Error = "Too many failed sign-ins for this account or address. Try again in " + waitText(ra.RetryAfter()) + "."
		} else {
			d.Error = concord.ErrorMessage(err)
		}
		return s.showSignin(w, r, q, http.StatusTooManyRequests, d)
	default:
		return err
	}
	clearCookie(w, signinCookie)
	setCookie(w, SessionCookie, sess.Token, "/", sess.ExpiresAt, http.SameSiteLaxMode)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

// signout ends the session.
func (s *Server) signout(w http.ResponseWriter, r *http.Request, q *request) error {
	if err := s.auth.Logout(r.Context(), q.p); err != nil {
		return err
	}
	clearCookie(w, SessionCookie)
	http.Redirect(w, r, "/signin?signedout=1", http.StatusSeeOther)
	return nil
}
