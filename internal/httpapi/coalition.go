package httpapi

import (
	"net/http"

	"concord"
	"concord/access"
	"concord/internal/service"
)

// members is GET /v1/coalition/members.
func (s *Server) members(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading the coalition"); err != nil {
		return err
	}
	ms, err := s.store.Members(r.Context())
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []concord.Member{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": ms})
	return nil
}

// member is GET /v1/coalition/members/{id}.
func (s *Server) member(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading the coalition"); err != nil {
		return err
	}
	m, err := s.store.Member(r.Context(), r.PathValue("id"))
	if err != nil {
		return service.Hidden(err, "member")
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// putMember is PUT /v1/coalition/members/{id} (secretariat).
func (s *Server) putMember(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.ManageCoalition, "changing members"); err != nil {
		return err
	}
	var m concord.Member
	if err := decode(w, r, s.cfg.MaxBody, &m, false); err != nil {
		return err
	}
	id := r.PathValue("id")
	if m.ID != "" && m.ID != id {
		return concord.Errorf(concord.EINVALID, "body id %q differs from the path's %q", m.ID, id)
	}
	m.ID = id
	if err := m.Validate(); err != nil {
		return err
	}
	if err := s.store.PutMember(r.Context(), &m); err != nil {
		return err
	}
	s.auth.ForgetAll() // cached viewers may carry the old groups
	writeJSON(w, http.StatusOK, &m)
	return nil
}

// groups is GET /v1/coalition/groups.
func (s *Server) groups(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading the coalition"); err != nil {
		return err
	}
	gs, err := s.store.Groups(r.Context())
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []concord.Group{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": gs})
	return nil
}

// group is GET /v1/coalition/groups/{id}.
func (s *Server) group(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading the coalition"); err != nil {
		return err
	}
	g, err := s.store.Group(r.Context(), r.PathValue("id"))
	if err != nil {
		return service.Hidden(err, "group")
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// putGroup is PUT /v1/coalition/groups/{id} (secretariat): creates or
// replaces a group; the store bumps its version.
func (s *Server) putGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.ManageCoalition, "changing groups"); err != nil {
		return err
	}
	var g concord.Group
	if err := decode(w, r, s.cfg.MaxBody, &g, false); err != nil {
		return err
	}
	id := r.PathValue("id")
	if g.ID != "" && g.ID != id {
		return concord.Errorf(concord.EINVALID, "body id %q differs from the path's %q", g.ID, id)
	}
	g.ID = id
	ms, err := s.store.Members(r.Context())
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.ID] = true
	}
	if err := g.Validate(known); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.store.PutGroup(ctx, &g); err != nil {
		return err
	}
	s.auth.ForgetAll() // cached viewers carry their groups: membership changes apply at once
	out, err := s.store.Group(ctx, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
