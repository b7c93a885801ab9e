// Package access decides who sees what and who may do what. It is the one
// predicate of Concord: every read path (search, match, entity view, counts,
// export, screening, alerts, audit) asks it for a concord.Filter or a
// decision, and the stores compile that Filter into their queries. It is pure:
// no I/O, no globals.
//
// Visibility: a viewer sees a statement when its member contributed it, or
// when the statement's audience is one the viewer belongs to — public,
// coalition, its member, or a group its member is in. TLP 2.0 handling is
// enforced where the audience is chosen (ValidateShare): CLEAR and GREEN may go
// to any audience, AMBER to the coalition, a group or a member, AMBER+STRICT
// and RED to one member only. The filter also carries the handling labels a
// viewer may receive, so a token can be narrowed to, say, CLEAR and GREEN.
package access

import (
	"slices"

	"concord"
)

// Viewer is an authenticated caller: a user of a member, with roles, the
// groups its member belongs to, and the scopes of the credential used (nil
// for a signed-in person: every scope its roles allow).
type Viewer struct {
	User   string
	Member string
	Roles  []concord.Role
	Groups []string
	Scopes []string
}

// Action is something a viewer may be allowed to do.
type Action string

// Actions.
const (
	Read            Action = "read"   // search, view entities, counts, coalition
	Match           Action = "match"  // query-by-example
	Screen          Action = "screen" // create screening jobs, read their results
	Export          Action = "export"
	Contribute      Action = "write" // add, reshare and retract the member's statements
	Review          Action = "review"
	ManageUsers     Action = "admin"
	ViewAudit       Action = "audit"
	ManageCoalition Action = "coalition"
	// Oversee is an administrator's read-only view of its member's
	// screening jobs and alerts (it decides nothing).
	Oversee Action = "oversee"
	// PNR data (issue 15), of the viewer's own member only.
	PushPNR          Action = "pnr.push"          // store PNRGOV pushes (and screen them)
	ReadPNR          Action = "pnr.read"          // bookings, versions, links, rule hits and counts
	ManagePNRRules   Action = "pnr.rules"         // define scenario rules
	RepersonalisePNR Action = "pnr.repersonalise" // see a depersonalised version whole, giving a reason
	ManagePNRPolicy  Action = "pnr.policy"        // set the periods of depersonalisation and deletion
)

// roleActions lists what each role allows.
var roleActions = map[concord.Role][]Action{
	concord.RoleViewer:      {Read, Match},
	concord.RoleAnalyst:     {Read, Match, Screen, Export, Contribute, PushPNR, ReadPNR, ManagePNRRules},
	concord.RoleReviewer:    {Read, Match, Screen, Review, PushPNR, ReadPNR, RepersonalisePNR},
	concord.RoleAdmin:       {Read, Match, ManageUsers, ViewAudit, Oversee, ManagePNRPolicy},
	concord.RoleSecretariat: {Read, Match, ViewAudit, ManageCoalition, ManageUsers, Oversee},
}

// scopeOf maps an action to the token scope that must grant it.
var scopeOf = map[Action]string{
	Read: "read", Match: "match", Screen: "screen", Export: "read", Contribute: "write",
	Review: "review", ManageUsers: "admin", ViewAudit: "admin", ManageCoalition: "admin", Oversee: "admin",
	PushPNR: "screen", ReadPNR: "screen", ManagePNRRules: "write", RepersonalisePNR: "review", ManagePNRPolicy: "admin",
}

// Scopes lists the valid token scopes.
var Scopes = []string{"read", "match", "screen", "write", "review", "admin"}

// UsableScopes returns the token scopes v's roles can use, in the order of
// Scopes: a token with more would grant nothing more.
func (v Viewer) UsableScopes() []string {
	roles := Viewer{User: v.User, Member: v.Member, Roles: v.Roles, Groups: v.Groups}
	var out []string
	for _, sc := range Scopes {
		for act, need := range scopeOf {
			if need == sc && roles.Can(act) && !slices.Contains(out, sc) {
				out = append(out, sc)
			}
		}
	}
	return out
}

// Can reports whether v may perform act.
func (v Viewer) Can(act Action) bool {
	if v.User == "" || v.Member == "" {
		return false
	}
	if v.Scopes != nil && !slices.Contains(v.Scopes, scopeOf[act]) {
		return false
	}
	for _, r := range v.Roles {
		if slices.Contains(roleActions[r], act) {
			return true
		}
	}
	return false
}

// Audiences returns the audiences v belongs to.
func (v Viewer) Audiences() []concord.Audience {
	if v.Member == "" {
		return []concord.Audience{concord.AudiencePublic}
	}
	out := []concord.Audience{concord.AudiencePublic, concord.AudienceCoalition, concord.MemberAudience(v.Member)}
	for _, g := range v.Groups {
		out = append(out, concord.GroupAudience(g))
	}
	return out
}

// Filter compiles v's visibility for the stores. A viewer that may not read
// gets a filter that admits nothing.
func (v Viewer) Filter() concord.Filter {
	if !v.Can(Read) && !v.Can(Match) && !v.Can(Screen) {
		return concord.Filter{Member: "", Audiences: nil, Handlings: nil}
	}
	return concord.Filter{Member: v.Member, Audiences: v.Audiences(), Handlings: concord.TLPs}
}

// Sees reports whether v sees s: the predicate itself, as the stores apply it.
func (v Viewer) Sees(s *concord.Statement) bool {
	f := v.Filter()
	return f.Allows(s)
}

// ValidateShare checks that v may share a statement with audience a under
// handling h: the audience must be one v belongs to (public is reserved to
// the secretariat, which publishes lists), and the handling must allow it.
func ValidateShare(v Viewer, a concord.Audience, h concord.TLP) error {
	if !v.Can(Contribute) {
		return concord.Errorf(concord.EFORBIDDEN, "contributing needs the analyst role and the write scope")
	}
	if _, err := concord.ParseAudience(string(a)); err != nil {
		return err
	}
	if _, err := concord.ParseTLP(string(h)); err != nil {
		return err
	}
	if a == concord.AudiencePublic {
		return concord.Errorf(concord.EFORBIDDEN, "only published lists are public; share with the coalition instead")
	}
	if !slices.Contains(v.Audiences(), a) {
		// Same message whether the group exists or not: no existence oracle.
		return concord.Errorf(concord.EFORBIDDEN, "you can share only with your member, your groups or the coalition")
	}
	isMember := len(a) > len("member:") && string(a[:len("member:")]) == "member:"
	switch h {
	case concord.TLPAmber:
		// any non-public audience
	case concord.TLPAmberStrict, concord.TLPRed:
		if !isMember {
			return concord.Errorf(concord.EINVALID, "TLP:%s information stays within one member: use audience member:%s", h, v.Member)
		}
	}
	return nil
}

// CanRetract reports whether v may retract or reshare s: only its originator.
func CanRetract(v Viewer, s *concord.Statement) bool {
	return v.Can(Contribute) && s.ContributedBy != "" && s.ContributedBy == v.Member
}

// AuditScope returns the audit rows v may read: all members for the
// secretariat, its own member for an admin; ok is false otherwise.
func (v Viewer) AuditScope() (q concord.AuditQuery, ok bool) {
	if !v.Can(ViewAudit) {
		return q, false
	}
	if slices.Contains(v.Roles, concord.RoleSecretariat) {
		return q, true
	}
	q.Member = v.Member
	return q, true
}

// AlertScope returns the alerts v may read: those of its member, for its
// screeners, reviewers and (read-only) administrators.
func (v Viewer) AlertScope() (q concord.AlertQuery, ok bool) {
	if !v.CanListJobs() {
		return q, false
	}
	q.Member = v.Member
	return q, true
}

// CanDecide reports whether v may confirm or dismiss alert a.
func (v Viewer) CanDecide(a *concord.Alert) bool {
	return v.Can(Review) && a.Member == v.Member
}

// CanListJobs reports whether v may list its member's screening jobs and
// alerts: screeners, reviewers and administrators (read-only).
func (v Viewer) CanListJobs() bool {
	return v.Can(Screen) || v.Can(Review) || v.Can(Oversee)
}

// PNRMember is the member whose PNR data v may read: its own, when it may
// read PNR data at all. A booking, link or rule hit of another member is
// not found for v.
func (v Viewer) PNRMember() (string, bool) {
	if !v.Can(ReadPNR) {
		return "", false
	}
	return v.Member, true
}

// CanSeeJob reports whether v may see job j (its member's jobs).
func (v Viewer) CanSeeJob(j *concord.Job) bool {
	return v.CanListJobs() && j.Member == v.Member
}

// CanManageGroup reports whether v may change who belongs to group g: the
// secretariat, and an administrator of a member that leads g. A lead
// manages the group's membership, not its name, kind or leads.
func (v Viewer) CanManageGroup(g *concord.Group) bool {
	if v.Can(ManageCoalition) {
		return true
	}
	return v.Can(ManageUsers) && slices.Contains(g.Leads, v.Member)
}

// Node is the viewer of a peer node that serves member (in groups): what
// leaves this node for it, by feed, bundle or TAXII, is exactly what that
// member's users may see here.
func Node(member string, groups []string) Viewer {
	return Viewer{User: "node:" + member, Member: member, Roles: []concord.Role{concord.RoleViewer}, Groups: groups}
}

// CanCancelJob reports whether v may cancel job j: its owner, while it may
// screen.
func (v Viewer) CanCancelJob(j *concord.Job) bool {
	return v.CanSeeJob(j) && j.Owner == v.User && v.Can(Screen)
}
