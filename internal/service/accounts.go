package service

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"concord"
	"concord/access"
)

// Passwords hashes new passwords (the authenticator, whose parameters its
// sign-in checks use).
type Passwords interface {
	HashPassword(password string) (string, error)
}

// NewUser is an account to create.
type NewUser struct {
	Name     string
	Member   string // "": the creator's
	Roles    []concord.Role
	Password string // required: an account without one could not be used
}

// UserNameRE is the shape of a user name.
var UserNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// IsSecretariat reports whether v works at coalition level.
func IsSecretariat(v access.Viewer) bool { return slices.Contains(v.Roles, concord.RoleSecretariat) }

// CreateUser creates an account: an administrator creates users of its own
// member, the secretariat of any member; only the secretariat grants the
// secretariat role.
func (s *Service) CreateUser(ctx context.Context, v access.Viewer, pw Passwords, req NewUser) (*concord.User, error) {
	if err := Need(v, access.ManageUsers, "creating users"); err != nil {
		return nil, err
	}
	secretariat := IsSecretariat(v)
	if req.Member == "" {
		req.Member = v.Member
	}
	if req.Member != v.Member && !secretariat {
		return nil, concord.Errorf(concord.EFORBIDDEN, "an admin creates users of its own member only")
	}
	if !UserNameRE.MatchString(req.Name) {
		return nil, concord.Errorf(concord.EINVALID, "user name %q: 2 to 64 lower-case letters, digits and . _ @ -", req.Name)
	}
	if len(req.Roles) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "a user needs at least one role")
	}
	for _, ro := range req.Roles {
		if _, err := concord.ParseRole(string(ro)); err != nil {
			return nil, err
		}
		if ro == concord.RoleSecretariat && !secretariat {
			return nil, concord.Errorf(concord.EFORBIDDEN, "only the secretariat grants the secretariat role")
		}
	}
	if _, err := s.Store.Member(ctx, req.Member); err != nil {
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			return nil, concord.Errorf(concord.EINVALID, "unknown member %q", req.Member)
		}
		return nil, err
	}
	if req.Password == "" {
		return nil, concord.Errorf(concord.EINVALID, "password: a new user needs one (the API and the console generate one when none is given)")
	}
	u := &concord.User{Name: req.Name, Member: req.Member, Roles: slices.Compact(slices.Sorted(slices.Values(req.Roles))), CreatedAt: s.now().Now()}
	h, err := pw.HashPassword(req.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = h
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Users lists the users v may manage: its member's (the secretariat: of
// member, or of every member when member is "").
func (s *Service) Users(ctx context.Context, v access.Viewer, member string) ([]concord.User, error) {
	if err := Need(v, access.ManageUsers, "listing users"); err != nil {
		return nil, err
	}
	if !IsSecretariat(v) {
		member = v.Member
	}
	us, err := s.Store.Users(ctx, strings.TrimSpace(member))
	if err != nil {
		return nil, err
	}
	if us == nil {
		us = []concord.User{}
	}
	return us, nil
}

// GroupChange adds and removes members of a group.
type GroupChange struct {
	Add, Remove []string
}

// ChangeGroupMembers changes who belongs to a group, for its leads and the
// secretariat (access.CanManageGroup); a lead stays in its group. Others
// get EFORBIDDEN (groups are known to every member: no existence to hide).
func (s *Service) ChangeGroupMembers(ctx context.Context, v access.Viewer, id string, c GroupChange) (*concord.Group, error) {
	if err := Need(v, access.Read, "reading the coalition"); err != nil {
		return nil, err
	}
	g, err := s.Store.Group(ctx, id)
	if err != nil {
		return nil, Hidden(err, "group")
	}
	if !v.CanManageGroup(g) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "only the group's leads and the secretariat change its members")
	}
	ms, err := s.Store.Members(ctx)
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.ID] = true
	}
	for _, m := range c.Add {
		if !known[m] {
			return nil, concord.Errorf(concord.EINVALID, "unknown member %q", m)
		}
		if !slices.Contains(g.Members, m) {
			g.Members = append(g.Members, m)
		}
	}
	for _, m := range c.Remove {
		if slices.Contains(g.Leads, m) {
			return nil, concord.Errorf(concord.EINVALID, "%s leads the group: the secretariat changes its leads", m)
		}
		g.Members = slices.DeleteFunc(g.Members, func(x string) bool { return x == m })
	}
	if err := g.Validate(known); err != nil {
		return nil, err
	}
	if err := s.Store.PutGroup(ctx, g); err != nil {
		return nil, err
	}
	return s.Store.Group(ctx, id)
}
