package web

import (
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/auth"
	"concord/internal/service"
)

func (s *Server) operateRoutes() []route {
	return []route{
		{"GET /operate", s.operate, false},
		{"GET /operate/users", s.users, false},
		{"POST /operate/users", s.addUser, false},
		{"POST /operate/users/{name}/disable", s.disableUser, false},
		{"GET /operate/tokens", s.tokens, false},
		{"POST /operate/tokens", s.addToken, false},
		{"POST /operate/tokens/{id}/revoke", s.revokeToken, false},
		{"GET /operate/audit", s.auditView, false},
		{"GET /operate/imports", s.imports, false},
		{"GET /operate/health", s.health, false},
	}
}

func (s *Server) operate(w http.ResponseWriter, r *http.Request, q *request) error {
	return s.render(w, r, q, http.StatusOK, "operate", "Operate", nil)
}

// usersPage lists accounts and adds one; the new password shows once.
type usersPage struct {
	Users       []concord.User
	Members     []concord.Member
	Member      string // the listed member ("" = all, secretariat only)
	Secretariat bool
	Roles       []concord.Role
	Created     *concord.User
	Password    string // of Created, shown once
	Error       string
	Form        service.NewUser
}

func (s *Server) usersData(r *http.Request, q *request, member string) (*usersPage, error) {
	ctx := r.Context()
	d := &usersPage{Secretariat: service.IsSecretariat(q.v), Member: member}
	if !d.Secretariat {
		d.Member = q.v.Member
	}
	us, err := s.svc.Users(ctx, q.v, d.Member)
	if err != nil {
		return nil, err
	}
	d.Users = us
	ms, err := s.store.Members(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if d.Secretariat || m.ID == q.v.Member {
			d.Members = append(d.Members, m)
		}
	}
	for _, ro := range concord.Roles {
		if ro != concord.RoleSecretariat || d.Secretariat {
			d.Roles = append(d.Roles, ro)
		}
	}
	return d, nil
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.usersData(r, q, r.URL.Query().Get("member"))
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "users", "Users", d)
}

// addUser creates an account with a generated password, shown once.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request, q *request) error {
	req := service.NewUser{Name: strings.TrimSpace(r.PostFormValue("name")), Member: r.PostFormValue("member")}
	for _, ro := range r.PostForm["role"] {
		req.Roles = append(req.Roles, concord.Role(ro))
	}
	pw, err := auth.NewPassword()
	if err != nil {
		return err
	}
	req.Password = pw
	u, err := s.svc.CreateUser(r.Context(), q.v, s.auth, req)
	code := concord.ErrorCode(err)
	if code != "" && code != concord.EINVALID && code != concord.ECONFLICT {
		return err
	}
	d, derr := s.usersData(r, q, req.Member)
	if derr != nil {
		return derr
	}
	if err != nil {
		d.Error, d.Form = concord.ErrorMessage(err), req
		return s.render(w, r, q, concord.HTTPStatus(code), "users", "Users", d)
	}
	d.Created, d.Password = u, pw
	return s.render(w, r, q, http.StatusCreated, "users", "Users", d)
}

// disableUser disables (or, with enable=1, enables again) an account the
// viewer manages; its credentials stop working at once on this node.
func (s *Server) disableUser(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	us, err := s.svc.Users(ctx, q.v, "")
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	i := slices.IndexFunc(us, func(u concord.User) bool { return u.Name == name })
	if i < 0 {
		return service.NotFound("user")
	}
	if name == q.v.User {
		return concord.Errorf(concord.EINVALID, "you cannot disable your own account")
	}
	u := us[i]
	u.Disabled = r.PostFormValue("enable") == ""
	if err := s.store.UpdateUser(ctx, &u); err != nil {
		return err
	}
	s.auth.ForgetUser(name)
	http.Redirect(w, r, "/operate/users?member="+url.QueryEscape(u.Member), http.StatusSeeOther)
	return nil
}

// tokensPage lists the viewer's API tokens and issues one, shown once.
type tokensPage struct {
	Tokens  []concord.Token
	Scopes  []string
	Created *concord.Token
	Secret  string
	Error   string
	Now     time.Time
}

func (s *Server) tokensData(r *http.Request, q *request) (*tokensPage, error) {
	ts, err := s.store.Tokens(r.Context(), q.v.User)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ts, func(a, b concord.Token) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return &tokensPage{Tokens: ts, Scopes: q.v.UsableScopes(), Now: s.clock.Now()}, nil
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.tokensData(r, q)
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "tokens", "API tokens", d)
}

func (s *Server) addToken(w http.ResponseWriter, r *http.Request, q *request) error {
	scopes := r.PostForm["scope"]
	usable := q.v.UsableScopes()
	var err error
	for _, sc := range scopes {
		if !slices.Contains(usable, sc) {
			err = concord.Errorf(concord.EFORBIDDEN, "scope %q: your roles do not use it", sc)
		}
	}
	if err == nil {
		err = auth.ValidateScopes(scopes)
	}
	var ttl time.Duration
	if days, perr := strconv.Atoi(r.PostFormValue("days")); perr == nil && days > 0 {
		ttl = time.Duration(min(days, 3650)) * 24 * time.Hour
	}
	var plain string
	var t *concord.Token
	if err == nil {
		plain, t, err = s.auth.CreateToken(r.Context(), q.v.User, strings.TrimSpace(r.PostFormValue("name")), scopes, ttl)
	}
	code := concord.ErrorCode(err)
	if code != "" && code != concord.EINVALID && code != concord.EFORBIDDEN {
		return err
	}
	d, derr := s.tokensData(r, q)
	if derr != nil {
		return derr
	}
	if err != nil {
		d.Error = concord.ErrorMessage(err)
		return s.render(w, r, q, concord.HTTPStatus(code), "tokens", "API tokens", d)
	}
	d.Created, d.Secret = t, plain
	return s.render(w, r, q, http.StatusCreated, "tokens", "API tokens", d)
}

// revokeToken revokes one of the viewer's tokens; another user's token is
// not found.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, q *request) error {
	ts, err := s.store.Tokens(r.Context(), q.v.User)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	i := slices.IndexFunc(ts, func(t concord.Token) bool { return t.ID == id })
	if i < 0 {
		return service.NotFound("token")
	}
	if ts[i].RevokedAt == nil {
		if err := s.auth.RevokeToken(r.Context(), id); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/operate/tokens", http.StatusSeeOther)
	return nil
}

// auditPage is the member's own view of the audit, with the state of the
// whole chain when asked for.
type auditPage struct {
	Events        []concord.AuditEvent
	Actor, Action string
	Scope         string // "every member" or the member
	Next          string
	Verified      bool
	Break         *audit.Break
	Result        *audit.Result
}

const auditPerPage = 100

func (s *Server) auditView(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	qv := r.URL.Query()
	aq := concord.AuditQuery{Actor: strings.TrimSpace(qv.Get("actor")), Action: strings.TrimSpace(qv.Get("action")), Limit: auditPerPage}
	aq.After, _ = strconv.ParseInt(qv.Get("after"), 10, 64)
	evs, err := s.svc.AuditEvents(ctx, q.v, aq)
	if err != nil {
		return err
	}
	d := auditPage{Events: evs, Actor: aq.Actor, Action: aq.Action, Scope: "your member (" + q.v.Member + ")"}
	if service.IsSecretariat(q.v) {
		d.Scope = "every member"
	}
	if len(evs) == auditPerPage {
		d.Next = "/operate/audit?" + url.Values{"actor": {aq.Actor}, "action": {aq.Action}, "after": {strconv.FormatInt(evs[len(evs)-1].Seq, 10)}}.Encode()
	}
	if qv.Get("verify") != "" {
		d.Verified = true
		if d.Break, d.Result, err = audit.Check(ctx, s.store); err != nil {
			return err
		}
	}
	return s.render(w, r, q, http.StatusOK, "audit", "Audit", d)
}

// importsPage lists the datasets and their imports, each with its delta.
type importsPage struct {
	Datasets []concord.DatasetInfo
	Imports  []importView
}

type importView struct {
	concord.AuditEvent
	Added, Changed, Removed string
}

func (s *Server) imports(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	ds, err := s.svc.Datasets(ctx, q.v)
	if err != nil {
		return err
	}
	d := importsPage{Datasets: ds}
	evs, err := s.svc.Imports(ctx, q.v, 200)
	if err != nil {
		return err
	}
	for _, ev := range evs {
		iv := importView{AuditEvent: ev}
		for _, f := range strings.Fields(ev.Detail) {
			switch f[0] {
			case '+':
				iv.Added = f[1:]
			case '~':
				iv.Changed = f[1:]
			case '-':
				iv.Removed = f[1:]
			}
		}
		d.Imports = append(d.Imports, iv)
	}
	return s.render(w, r, q, http.StatusOK, "imports", "Imports", d)
}

// healthPage is the node's state.
type healthPage struct {
	Ready     bool
	ReadyErr  string
	Records   int
	Version   string
	GoVersion string
	Now       time.Time
	Running   int
	Queued    int
}

func (s *Server) health(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	d := healthPage{Ready: true, Now: s.clock.Now(), Records: -1}
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(ctx); err != nil {
			d.Ready, d.ReadyErr = false, "the store or the match index is not available"
			s.log.WarnContext(ctx, "not ready", "err", err)
		}
	}
	if s.cfg.IndexSize != nil {
		d.Records = s.cfg.IndexSize()
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		d.Version, d.GoVersion = bi.Main.Version, bi.GoVersion
	}
	if q.v.CanListJobs() {
		js, err := s.svc.Jobs(ctx, q.v)
		if err != nil {
			return err
		}
		for _, j := range js {
			switch j.Status {
			case concord.JobRunning:
				d.Running++
			case concord.JobQueued:
				d.Queued++
			}
		}
	}
	return s.render(w, r, q, http.StatusOK, "health", "Health", d)
}
