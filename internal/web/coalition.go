package web

import (
	"net/http"
	"net/url"
	"slices"

	"concord"
	"concord/access"
	"concord/internal/service"
)

func (s *Server) coalitionRoutes() []route {
	return []route{
		{"GET /coalition", s.coalition, false},
		{"GET /coalition/groups/{id}", s.group, false},
		{"POST /coalition/groups/{id}/members", s.groupMembers, false},
	}
}

// coalitionPage lists members and groups.
type coalitionPage struct {
	Members []concord.Member
	Groups  []concord.Group
	Mine    []string // the viewer's member's groups
	Names   map[string]string
}

func (s *Server) coalition(w http.ResponseWriter, r *http.Request, q *request) error {
	if err := service.Need(q.v, access.Read, "reading the coalition"); err != nil {
		return err
	}
	ctx := r.Context()
	ms, err := s.store.Members(ctx)
	if err != nil {
		return err
	}
	gs, err := s.store.Groups(ctx)
	if err != nil {
		return err
	}
	d := coalitionPage{Members: ms, Groups: gs, Mine: q.v.Groups, Names: map[string]string{}}
	for _, m := range ms {
		d.Names[m.ID] = m.Name
	}
	return s.render(w, r, q, http.StatusOK, "coalition", "Coalition", d)
}

// groupPage is one group, its leads and members; its leads manage it.
type groupPage struct {
	Group     *concord.Group
	Members   []concord.Member // of the group
	Others    []concord.Member // not in it, to add
	Names     map[string]string
	CanManage bool
	Error     string
	Changed   bool
}

func (s *Server) groupData(r *http.Request, q *request) (*groupPage, error) {
	if err := service.Need(q.v, access.Read, "reading the coalition"); err != nil {
		return nil, err
	}
	ctx := r.Context()
	g, err := s.store.Group(ctx, r.PathValue("id"))
	if err != nil {
		return nil, service.Hidden(err, "group")
	}
	ms, err := s.store.Members(ctx)
	if err != nil {
		return nil, err
	}
	d := &groupPage{Group: g, Names: map[string]string{}, CanManage: q.v.CanManageGroup(g)}
	for _, m := range ms {
		d.Names[m.ID] = m.Name
		if slices.Contains(g.Members, m.ID) {
			d.Members = append(d.Members, m)
		} else {
			d.Others = append(d.Others, m)
		}
	}
	return d, nil
}

func (s *Server) group(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.groupData(r, q)
	if err != nil {
		return err
	}
	d.Changed = r.URL.Query().Has("changed")
	return s.render(w, r, q, http.StatusOK, "group", d.Group.Name, d)
}

// groupMembers adds or removes a member (a lead's or the secretariat's
// change); cached viewers learn their new groups at once.
func (s *Server) groupMembers(w http.ResponseWriter, r *http.Request, q *request) error {
	var c service.GroupChange
	if m := r.PostFormValue("add"); m != "" {
		c.Add = []string{m}
	}
	if m := r.PostFormValue("remove"); m != "" {
		c.Remove = []string{m}
	}
	g, err := s.svc.ChangeGroupMembers(r.Context(), q.v, r.PathValue("id"), c)
	if code := concord.ErrorCode(err); code == concord.EINVALID {
		d, derr := s.groupData(r, q)
		if derr != nil {
			return derr
		}
		d.Error = concord.ErrorMessage(err)
		return s.render(w, r, q, http.StatusBadRequest, "group", d.Group.Name, d)
	}
	if err != nil {
		return err
	}
	s.auth.ForgetAll()
	http.Redirect(w, r, "/coalition/groups/"+url.PathEscape(g.ID)+"?changed=1", http.StatusSeeOther)
	return nil
}
