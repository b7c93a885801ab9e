package web

import (
	"context"
	"embed"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/graph"
	"concord/internal/auth"
	"concord/internal/httpkit"
	"concord/internal/pnr"
	"concord/internal/service"
)

// Jobs runs screening jobs in the background (the job runner).
type Jobs interface {
	Submit(ctx context.Context, v access.Viewer, kind, source string, body io.Reader, threshold float64, limit int) (*concord.Job, error)
}

// Config holds the console's dependencies: the same store, matcher, job
// runner and authenticator as the JSON API's. Store, Matcher, Jobs and Auth
// are required.
type Config struct {
	Store   service.Store
	Matcher service.Matcher
	Jobs    Jobs
	Auth    *auth.Authenticator
	Clock   concord.Clock // nil: the system clock
	Logger  *slog.Logger  // nil: slog.Default()
	// Ready reports whether the store is reachable and the match index
	// loaded (the health page); nil means always ready.
	Ready func(ctx context.Context) error
	// IndexSize tells how many records the match index holds (the health
	// page); nil: not shown.
	IndexSize func() int
	// OnChange is called with the id of each entity a contribution changed.
	OnChange func(entityID string)
	// FirstStart tells the sign-in page that the node has only its first
	// administrator, whose password the server printed; nil: never.
	FirstStart func(ctx context.Context) bool
	// Service runs the operations for viewers; nil builds one on Store,
	// Matcher, Clock and OnChange. concord serve passes the API's.
	Service *service.Service
	// PNR is the PNR unit's service (the /pnr pages); nil: no PNR pages.
	PNR       *pnr.Service
	MaxUpload int64 // screening uploads and PNR pushes; 0: 32 MiB
	// Network, if set, returns the network's current index (graph.Live):
	// the entity page then links to its picture of the network.
	Network func() *graph.Index
}

// Server is the console.
type Server struct {
	cfg   Config
	svc   *service.Service
	store service.Store
	auth  *auth.Authenticator
	clock concord.Clock
	log   *slog.Logger
	mux   *http.ServeMux
	pages *pages
	cop   *http.CrossOriginProtection
	// static serves the embedded assets; assetVersion busts caches.
	static http.Handler
}

//go:embed static
var staticFS embed.FS

// New returns a console server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Matcher == nil || cfg.Jobs == nil || cfg.Auth == nil {
		return nil, errors.New("web.New: Store, Matcher, Jobs and Auth are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = concord.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 32 << 20
	}
	if cfg.FirstStart == nil {
		cfg.FirstStart = func(context.Context) bool { return false }
	}
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, store: cfg.Store, auth: cfg.Auth, clock: cfg.Clock, log: cfg.Logger,
		svc:   cfg.Service,
		mux:   http.NewServeMux(),
		pages: pg,
		cop:   http.NewCrossOriginProtection(),
	}
	if s.svc == nil {
		s.svc = &service.Service{Store: cfg.Store, Matcher: cfg.Matcher, Clock: cfg.Clock, OnChange: cfg.OnChange}
	}
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, concord.Errorf(concord.EFORBIDDEN, "cross-site request refused: submit the form from the console itself"))
	}))
	s.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	return s, nil
}

// route is one page or action of the console.
type route struct {
	pattern string
	h       handler
	public  bool // served without a session
}

// handler is the signature of console handlers; q.p is nil on public
// routes when nobody is signed in.
type handler func(w http.ResponseWriter, r *http.Request, q *request) error

// request is what a handler knows about its caller.
type request struct {
	p    *auth.Principal // nil: not signed in
	v    access.Viewer
	cred string // the session credential (CSRF tokens derive from it)
	csrf string // the token forms must carry
}

// signedIn reports whether a person is signed in.
func (q *request) signedIn() bool { return q.p != nil }

// routes lists every page and action. Page families add their routes in
// their own file (see routes of search.go, screen.go, review.go, ...).
func (s *Server) routes() []route {
	rs := []route{
		{"GET /static/", s.serveStatic, true},
		{"GET /{$}", s.home, false},
		{"/", s.notFound, true},
	}
	rs = append(rs, s.authRoutes()...)
	rs = append(rs, s.searchRoutes()...)
	rs = append(rs, s.screenRoutes()...)
	rs = append(rs, s.reviewRoutes()...)
	rs = append(rs, s.contributeRoutes()...)
	rs = append(rs, s.coalitionRoutes()...)
	rs = append(rs, s.operateRoutes()...)
	rs = append(rs, s.networkRoutes()...)
	rs = append(rs, s.pnrRoutes()...)
	rs = append(rs, s.caseRoutes()...)
	rs = append(rs, s.workRoutes()...)
	return rs
}

// Handler returns the console's HTTP handler.
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP sets the security headers, refuses cross-site state changes,
// and dispatches with logging and panic recovery.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := httpkit.NewRecorder(w)
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(r.Context(), "panic", "panic", p, "stack", string(debug.Stack()))
			if !rec.Wrote {
				s.renderError(rec, r, nil, errors.New("panic"))
			}
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("via", "console"),
			slog.Int("status", rec.Status), slog.Duration("dur", time.Since(start)), slog.String("remote", remoteAddr(r)))
	}()
	securityHeaders(rec.Header())
	s.cop.Handler(s.mux).ServeHTTP(rec, r)
}

// contentSecurityPolicy allows only the console's own scripts, styles and
// images: no inline script or style, no framing, forms to itself only.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
}

// wrap adapts a handler: it finds the session, sends anonymous callers of
// private pages to the sign-in page, checks the CSRF token of every
// state-changing request and renders returned errors.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &request{}
		if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
			p, err := s.auth.Authenticate(r.Context(), ck.Value)
			switch {
			case err == nil && p.SessionHash != "":
				q.p, q.v, q.cred = p, p.Viewer, ck.Value
				q.csrf = csrfToken(ck.Value)
			case err != nil && concord.ErrorCode(err) != concord.EUNAUTHORIZED:
				s.renderError(w, r, q, err)
				return
			default:
				clearCookie(w, SessionCookie)
			}
		}
		if !rt.public && !q.signedIn() {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, q, concord.Errorf(concord.EUNAUTHORIZED, "your session has ended: sign in again"))
			return
		}
		ctx := r.Context()
		if q.signedIn() {
			ctx = concord.WithActor(ctx, concord.Actor{User: q.v.User, Member: q.v.Member, Via: "console"})
		} else {
			ctx = concord.WithActor(ctx, concord.Actor{User: "anonymous", Via: "console"})
		}
		r = r.WithContext(ctx)
		if unsafeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
			var perr error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				perr = r.ParseMultipartForm(8 << 20)
			} else {
				perr = r.ParseForm()
			}
			if errorsIsMaxBytes(perr) {
				s.renderError(w, r, q, concord.Errorf(concord.EINVALID, "the upload is larger than %d MiB", s.cfg.MaxUpload>>20))
				return
			}
		}
		if unsafeMethod(r.Method) && q.signedIn() && !validCSRF(r, q.csrf) {
			s.renderError(w, r, q, errCSRF)
			return
		}
		if err := rt.h(w, r, q); err != nil {
			s.renderError(w, r, q, err)
		}
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, _ *request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.static.ServeHTTP(w, r)
	return nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, q *request) error {
	return service.NotFound("page " + r.URL.Path)
}

// remoteAddr is the client's IP address (the proxy's, behind one).
func remoteAddr(r *http.Request) string { return httpkit.RemoteAddr(r) }

// safeNext returns a local path to go to after signing in, or "/".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/signin") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
