package httpapi

import (
	"net/http"
	"slices"
	"time"

	"concord"
	"concord/access"
	"concord/internal/auth"
	"concord/internal/service"
)

type loginRequest struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// login opens a session: the credential is returned once and set as an
// HttpOnly, SameSite=Strict cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var req loginRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	sess, err := s.auth.Login(r.Context(), req.User, req.Password, remoteAddr(r))
	switch concord.ErrorCode(err) {
	case "":
		s.metrics.inc("concord_logins_total", "ok", 1)
	case concord.EUNAUTHORIZED:
		s.metrics.inc("concord_logins_total", "failed", 1)
		name := req.User
		if len(name) > 64 {
			name = name[:64]
		}
		if aerr := s.audit(r.Context(), "auth.login_failed", name, "remote="+remoteAddr(r)); aerr != nil {
			return aerr
		}
		return err
	case concord.ERATELIMIT:
		s.metrics.inc("concord_logins_total", "rate_limited", 1)
		return err
	default:
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || s.cfg.SecureCookie,
	})
	writeJSON(w, http.StatusOK, sess)
	return nil
}

// logout ends the caller's session and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := s.auth.Logout(r.Context(), c.p); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || s.cfg.SecureCookie})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	User    *concord.User   `json:"user"`
	Member  *concord.Member `json:"member"`
	Roles   []concord.Role  `json:"roles"`
	Groups  []string        `json:"groups"`
	Scopes  []string        `json:"scopes"` // null: a session, every scope the roles allow
	TokenID string          `json:"token_id,omitempty"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, c *caller) error {
	m, err := s.store.Member(r.Context(), c.v.Member)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return err
	}
	groups := c.v.Groups
	if groups == nil {
		groups = []string{}
	}
	writeJSON(w, http.StatusOK, meResponse{User: c.p.User, Member: m, Roles: c.v.Roles, Groups: groups,
		Scopes: c.v.Scopes, TokenID: c.p.TokenID})
	return nil
}

type tokenRequest struct {
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

type tokenResponse struct {
	*concord.Token
	Secret string `json:"token"` // the credential, shown once
}

// createToken issues an API token to the caller. A caller using a token can
// only issue tokens with a subset of its own scopes.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req tokenRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	if err := auth.ValidateScopes(req.Scopes); err != nil {
		return err
	}
	if c.v.Scopes != nil {
		for _, sc := range req.Scopes {
			if !slices.Contains(c.v.Scopes, sc) {
				return concord.Errorf(concord.EFORBIDDEN, "scope %q: a token cannot issue a token with more scopes than its own", sc)
			}
		}
	}
	var ttl time.Duration
	if req.ExpiresAt != nil {
		if ttl = req.ExpiresAt.Sub(s.clock.Now()); ttl <= 0 {
			return concord.Errorf(concord.EINVALID, "expires_at is in the past")
		}
	}
	plain, t, err := s.auth.CreateToken(r.Context(), c.v.User, req.Name, req.Scopes, ttl)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenResponse{Token: t, Secret: plain})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, c *caller) error {
	ts, err := s.store.Tokens(r.Context(), c.v.User)
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []concord.Token{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
	return nil
}

// revokeToken revokes one of the caller's tokens; another user's token is
// not found.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	ts, err := s.store.Tokens(r.Context(), c.v.User)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ts, func(t concord.Token) bool { return t.ID == id })
	if i < 0 {
		return errNotFound("token")
	}
	if ts[i].RevokedAt == nil {
		// Through the authenticator, which forgets the token at once.
		if err := s.auth.RevokeToken(r.Context(), id); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type userRequest struct {
	Name     string         `json:"name"`
	Member   string         `json:"member"` // default: the caller's
	Roles    []concord.Role `json:"roles"`
	Password string         `json:"password,omitempty"` // none: one is generated and returned once
}

// newUserResponse is a created user, with the password generated for it
// (shown once) when the request gave none.
type newUserResponse struct {
	*concord.User
	Password string `json:"password,omitempty"`
}

// createUser: an admin creates users of its member, the secretariat of any
// member; only the secretariat grants the secretariat role.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.ManageUsers, "creating users"); err != nil {
		return err
	}
	var req userRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	out := newUserResponse{}
	if req.Password == "" {
		// An account without a password could not sign in, and an admin
		// cannot issue tokens to another user: it would be unusable.
		pw, err := auth.NewPassword()
		if err != nil {
			return err
		}
		req.Password, out.Password = pw, pw
	}
	u, err := s.svc.CreateUser(r.Context(), c.v, s.auth, service.NewUser{Name: req.Name, Member: req.Member, Roles: req.Roles, Password: req.Password})
	if err != nil {
		return err
	}
	out.User = u
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// listUsers lists the users of the caller's member (the secretariat: of
// ?member=, or all).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	us, err := s.svc.Users(r.Context(), c.v, r.URL.Query().Get("member"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
	return nil
}
