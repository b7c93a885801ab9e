// Package httpapi is Concord's JSON API under /v1, with /healthz, /readyz
// and an OpenAPI 3 description at /v1/openapi.json; its Prometheus metrics
// are served apart (MetricsHandler), on a listener of their own.
//
// Every /v1 request except sign-in and the OpenAPI document needs a bearer
// token or the session cookie; without one it gets 401, whether or not the
// route exists. Handlers run with the caller's access.Viewer and put a
// concord.Actor in the context so the store audits who did what. Reads go
// through viewer.Filter(): a hidden record answers exactly like a missing
// one. Errors are {"error":{"code","message"}} with the one status table of
// errors.go. The package depends on the domain contracts, access, match
// and auth, never on a concrete store.
package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/graph"
	"concord/internal/auth"
	"concord/internal/httpkit"
	"concord/internal/service"
)

// Store is everything the API reads and writes.
type Store = service.Store

// Matcher screens queries for a viewer: only what the viewer may see is
// scored and returned.
type Matcher = service.Matcher

// Jobs runs screening jobs in the background. Submit reads the upload from
// body as a stream; an error reading it is returned as it is (the
// *http.MaxBytesError of an oversized upload becomes a 413).
type Jobs interface {
	Submit(ctx context.Context, v access.Viewer, kind, source string, body io.Reader, threshold float64, limit int) (*concord.Job, error)
}

// Config holds the server's dependencies. Store, Matcher and Jobs are
// required.
type Config struct {
	Store   Store
	Matcher Matcher
	Jobs    Jobs
	// Auth authenticates requests; nil builds one on Store with default
	// settings and Clock.
	Auth   *auth.Authenticator
	Clock  concord.Clock // nil: the system clock
	Logger *slog.Logger  // nil: slog.Default()
	// Ready reports whether the store is reachable and the match index
	// loaded; nil means always ready.
	Ready func(ctx context.Context) error
	// Media is the hash bank /v1/media/match matches against; nil answers
	// those requests with not_supported (hashing still works).
	Media MediaBank
	// OnChange is called with the id of each entity whose statements a
	// request changed, so the match index can be updated.
	OnChange func(entityID string)
	// Network, if set, returns the network's current index (graph.Live);
	// without it the /v1/graph endpoints answer not_supported.
	Network func() *graph.Index
	// SecureCookie marks the session cookie Secure even on plain HTTP (set
	// it behind a TLS-terminating proxy).
	SecureCookie bool
	// Service runs the operations for viewers; nil builds one on Store,
	// Matcher, Clock and OnChange. Pass the console's to share its settings
	// (four eyes).
	Service    *service.Service
	MaxBody    int64 // JSON bodies; 0: 1 MiB
	MaxJobBody int64 // screening uploads and PNR pushes; 0: DefaultMaxUpload
	// PNR serves /v1/pnr (bookings, links, rules, the law's limits); nil
	// answers 404 there.
	PNR PNR
}

// Server is the HTTP API.
type Server struct {
	cfg     Config
	store   Store
	svc     *service.Service
	jobs    Jobs
	auth    *auth.Authenticator
	clock   concord.Clock
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *metrics
	public  map[string]bool // patterns that need no credentials
	routes  []route
	// decoders bounds the pictures decoded at once (one per CPU).
	decoders chan struct{}
}

// DefaultMaxUpload is the largest screening upload accepted by default. An
// upload is parsed as a stream, so its size costs disk (a spooled copy) and
// time, not memory.
const DefaultMaxUpload = 64 << 20

// SessionCookie is the name of the session cookie.
const SessionCookie = "concord_session"

// New returns a server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Matcher == nil || cfg.Jobs == nil {
		return nil, errors.New("httpapi.New: Store, Matcher and Jobs are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = concord.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxJobBody <= 0 {
		cfg.MaxJobBody = DefaultMaxUpload
	}
	if cfg.OnChange == nil {
		cfg.OnChange = func(string) {}
	}
	a := cfg.Auth
	if a == nil {
		var err error
		if a, err = auth.New(auth.Config{Users: cfg.Store, Groups: cfg.Store, Clock: cfg.Clock}); err != nil {
			return nil, err
		}
	}
	svc := cfg.Service
	if svc == nil {
		svc = &service.Service{Store: cfg.Store, Matcher: cfg.Matcher, Clock: cfg.Clock, OnChange: cfg.OnChange}
	}
	s := &Server{cfg: cfg, store: cfg.Store, svc: svc, jobs: cfg.Jobs, auth: a,
		clock: cfg.Clock, log: cfg.Logger, mux: http.NewServeMux(), public: map[string]bool{},
		decoders: make(chan struct{}, runtime.GOMAXPROCS(0))}
	s.routes = s.routeTable()
	patterns := make([]string, len(s.routes))
	for i, rt := range s.routes {
		patterns[i] = rt.pattern()
	}
	s.metrics = newMetrics(patterns)
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern(), s.wrap(rt.h, wildcards(rt.path)))
		if rt.public {
			s.public[rt.pattern()] = true
		}
	}
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s }

// handler is the signature of API handlers: c is nil on public routes.
type handler func(w http.ResponseWriter, r *http.Request, c *caller) error

// caller is the authenticated principal of a request.
type caller struct {
	p *auth.Principal
	v access.Viewer
}

type callerKey struct{}

// wrap adapts a handler: it checks the request's path wildcards and query
// parameters (checkRequest), finds the caller and writes returned errors.
func (s *Server) wrap(h handler, wildcards []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkRequest(r, wildcards); err != nil {
			s.writeError(w, r, err)
			return
		}
		c, _ := r.Context().Value(callerKey{}).(*caller)
		if err := h(w, r, c); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// ServeHTTP authenticates /v1 requests, then dispatches through the mux,
// with access logs, metrics and panic recovery around it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := httpkit.NewRecorder(w)
	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		pattern = "unmatched" // redirects of unclean paths and the like
	}
	var user string
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(r.Context(), "panic", "panic", p, "stack", string(debug.Stack()))
			if !rec.Wrote {
				s.writeError(rec, r, errors.New("panic"))
			}
		}
		d := time.Since(start)
		s.metrics.observe(pattern, r.Method, rec.Status, d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", pattern),
			slog.Int("status", rec.Status), slog.Int64("bytes", rec.Bytes), slog.Duration("dur", d),
			slog.String("user", user), slog.String("remote", remoteAddr(r)))
	}()
	w = rec
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	if strings.HasPrefix(r.URL.Path, "/v1/") && !s.public[pattern] {
		p, err := s.authenticate(r)
		if err != nil {
			if concord.ErrorCode(err) == concord.EUNAUTHORIZED {
				s.metrics.inc("concord_auth_failures_total", "credentials", 1)
			}
			s.writeError(w, r, err)
			return
		}
		user = p.Viewer.User
		ctx = concord.WithActor(ctx, concord.Actor{User: p.Viewer.User, Member: p.Viewer.Member, Via: "api"})
		ctx = context.WithValue(ctx, callerKey{}, &caller{p: p, v: p.Viewer})
	} else {
		ctx = concord.WithActor(ctx, concord.Actor{User: "anonymous", Via: "api"})
	}
	s.mux.ServeHTTP(w, r.WithContext(ctx))
}

// authenticate reads the bearer token, else the session cookie.
func (s *Server) authenticate(r *http.Request) (*auth.Principal, error) {
	cred := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, concord.Errorf(concord.EUNAUTHORIZED, "Authorization: want Bearer <token>")
		}
		cred = strings.TrimSpace(tok)
	} else if ck, err := r.Cookie(SessionCookie); err == nil {
		cred = ck.Value
	}
	return s.auth.Authenticate(r.Context(), cred)
}

// remoteAddr is the client's IP address (the proxy's, behind one).
func remoteAddr(r *http.Request) string { return httpkit.RemoteAddr(r) }

// need returns EFORBIDDEN unless v may act.
func need(v access.Viewer, act access.Action, what string) error { return service.Need(v, act, what) }

// audit appends a read event; a failed append fails the request (every
// read is audited or not served).
func (s *Server) audit(ctx context.Context, action, object, detail string) error {
	return s.svc.Audit(ctx, action, object, detail)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request, _ *caller) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if s.cfg.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.cfg.Ready(ctx); err != nil {
			s.log.WarnContext(r.Context(), "not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return nil
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}
