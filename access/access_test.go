package access

import (
	"fmt"
	"strings"
	"testing"

	"concord"
)

// TestVisibilityMatrix walks role × member × audience × TLP for statements of
// member "es" and checks who sees them.
func TestVisibilityMatrix(t *testing.T) {
	groups := map[string][]string{"es": {"ttwg"}, "uz": {"ttwg", "tf-central-asia"}, "ng": {"tf-sub-saharan-africa"}}
	audiences := []concord.Audience{"public", "coalition", "member:es", "member:uz", "group:ttwg", "group:tf-central-asia"}
	for _, role := range concord.Roles {
		for _, member := range []string{"es", "uz", "ng"} {
			v := Viewer{User: "u-" + member, Member: member, Roles: []concord.Role{role}, Groups: groups[member]}
			for _, aud := range audiences {
				for _, tlp := range concord.TLPs {
					s := &concord.Statement{ContributedBy: "es", Audience: aud, Handling: tlp}
					name := fmt.Sprintf("%s/%s/%s/%s", role, member, aud, tlp)
					want := member == "es" // the originator always sees its own
					if !want {
						switch aud {
						case "public", "coalition":
							want = true
						case "member:uz":
							want = member == "uz"
						case "group:ttwg":
							want = member == "uz"
						case "group:tf-central-asia":
							want = member == "uz"
						}
					}
					if got := v.Sees(s); got != want {
						t.Errorf("%s: sees = %v, want %v", name, got, want)
					}
					s.Retracted = true
					if v.Sees(s) {
						t.Errorf("%s: sees a retracted statement", name)
					}
				}
			}
		}
	}
}

func TestNoCredentialsSeeNothing(t *testing.T) {
	var v Viewer
	if v.Sees(&concord.Statement{Audience: "public", Handling: concord.TLPClear}) {
		t.Error("anonymous viewer sees a public statement")
	}
	if v.Can(Read) {
		t.Error("anonymous viewer can read")
	}
}

func TestScopesNarrowRoles(t *testing.T) {
	v := Viewer{User: "bot", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}, Scopes: []string{"match"}}
	if !v.Can(Match) || v.Can(Contribute) || v.Can(Screen) {
		t.Errorf("match-scoped token: match=%v write=%v screen=%v", v.Can(Match), v.Can(Contribute), v.Can(Screen))
	}
}

func TestValidateShare(t *testing.T) {
	analyst := Viewer{User: "a", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}, Groups: []string{"ttwg"}}
	viewer := Viewer{User: "v", Member: "es", Roles: []concord.Role{concord.RoleViewer}, Groups: []string{"ttwg"}}
	cases := []struct {
		v    Viewer
		aud  concord.Audience
		tlp  concord.TLP
		code string
	}{
		{analyst, "coalition", concord.TLPGreen, ""},
		{analyst, "group:ttwg", concord.TLPAmber, ""},
		{analyst, "member:es", concord.TLPRed, ""},
		{analyst, "member:es", concord.TLPAmberStrict, ""},
		{analyst, "group:ttwg", concord.TLPRed, concord.EINVALID},
		{analyst, "coalition", concord.TLPAmberStrict, concord.EINVALID},
		{analyst, "group:tf-central-asia", concord.TLPGreen, concord.EFORBIDDEN},
		{analyst, "group:no-such-group", concord.TLPGreen, concord.EFORBIDDEN},
		{analyst, "member:uz", concord.TLPGreen, concord.EFORBIDDEN},
		{analyst, "public", concord.TLPClear, concord.EFORBIDDEN},
		{analyst, "everyone", concord.TLPClear, concord.EINVALID},
		{viewer, "coalition", concord.TLPGreen, concord.EFORBIDDEN},
	}
	for _, c := range cases {
		err := ValidateShare(c.v, c.aud, c.tlp)
		if got := concord.ErrorCode(err); got != c.code {
			t.Errorf("%s shares with %s as %s: code %q, want %q (%v)", c.v.User, c.aud, c.tlp, got, c.code, err)
		}
	}
	// A group that does not exist and one the member is not in give the
	// same answer.
	e1 := ValidateShare(analyst, "group:tf-central-asia", concord.TLPGreen)
	e2 := ValidateShare(analyst, "group:no-such-group", concord.TLPGreen)
	if e1.Error() != e2.Error() {
		t.Errorf("existence oracle: %q vs %q", e1, e2)
	}
}

func TestRetractOnlyOriginator(t *testing.T) {
	es := Viewer{User: "a", Member: "es", Roles: []concord.Role{concord.RoleAnalyst}}
	uz := Viewer{User: "b", Member: "uz", Roles: []concord.Role{concord.RoleAnalyst}}
	s := &concord.Statement{ContributedBy: "es"}
	if !CanRetract(es, s) || CanRetract(uz, s) {
		t.Error("only the originator retracts")
	}
	if CanRetract(es, &concord.Statement{ContributedBy: ""}) {
		t.Error("a public list statement cannot be retracted by a member")
	}
}

// TestJobsAndAlertsByRole: screeners and reviewers see their member's jobs
// and alerts; an administrator oversees them read-only; a viewer sees
// neither; nobody sees another member's; only a reviewer decides.
func TestJobsAndAlertsByRole(t *testing.T) {
	own := &concord.Job{Member: "es"}
	other := &concord.Job{Member: "uz"}
	alert := &concord.Alert{Member: "es"}
	cases := []struct {
		roles        []concord.Role
		scopes       []string
		list, decide bool
	}{
		{[]concord.Role{concord.RoleViewer}, nil, false, false},
		{[]concord.Role{concord.RoleAnalyst}, nil, true, false},
		{[]concord.Role{concord.RoleReviewer}, nil, true, true},
		{[]concord.Role{concord.RoleAdmin}, nil, true, false},
		{[]concord.Role{concord.RoleSecretariat}, nil, true, false},
		{[]concord.Role{concord.RoleAdmin}, []string{"read"}, false, false},
		{[]concord.Role{concord.RoleReviewer}, []string{"review"}, true, true},
	}
	for _, c := range cases {
		v := Viewer{User: "u", Member: "es", Roles: c.roles, Scopes: c.scopes}
		name := fmt.Sprint(c.roles, c.scopes)
		if got := v.CanListJobs(); got != c.list {
			t.Errorf("%s: CanListJobs = %v, want %v", name, got, c.list)
		}
		if got := v.CanSeeJob(own); got != c.list {
			t.Errorf("%s: CanSeeJob(own) = %v, want %v", name, got, c.list)
		}
		if v.CanSeeJob(other) {
			t.Errorf("%s: sees another member's job", name)
		}
		q, ok := v.AlertScope()
		if ok != c.list || (ok && q.Member != "es") {
			t.Errorf("%s: AlertScope = %+v, %v", name, q, ok)
		}
		if got := v.CanDecide(alert); got != c.decide {
			t.Errorf("%s: CanDecide = %v, want %v", name, got, c.decide)
		}
	}
}

func TestUsableScopes(t *testing.T) {
	for _, c := range []struct {
		roles []concord.Role
		want  string
	}{
		{[]concord.Role{concord.RoleViewer}, "read,match"},
		{[]concord.Role{concord.RoleAnalyst}, "read,match,screen,write"},
		{[]concord.Role{concord.RoleReviewer}, "read,match,screen,review"},
		{[]concord.Role{concord.RoleAdmin}, "read,match,admin"},
		{[]concord.Role{concord.RoleAnalyst, concord.RoleReviewer}, "read,match,screen,write,review"},
	} {
		v := Viewer{User: "u", Member: "es", Roles: c.roles, Scopes: []string{"read"}}
		if got := strings.Join(v.UsableScopes(), ","); got != c.want {
			t.Errorf("%v: %s, want %s", c.roles, got, c.want)
		}
	}
}

func TestCanManageGroup(t *testing.T) {
	g := &concord.Group{ID: "tf", Members: []string{"es", "uz"}, Leads: []string{"es"}}
	for _, c := range []struct {
		member string
		roles  []concord.Role
		want   bool
	}{
		{"es", []concord.Role{concord.RoleAdmin}, true},        // the lead's administrator
		{"es", []concord.Role{concord.RoleAnalyst}, false},     // the lead's analyst
		{"uz", []concord.Role{concord.RoleAdmin}, false},       // a member, not a lead
		{"fr", []concord.Role{concord.RoleAdmin}, false},       // outside the group
		{"sec", []concord.Role{concord.RoleSecretariat}, true}, // the secretariat
	} {
		v := Viewer{User: "u", Member: c.member, Roles: c.roles}
		if got := v.CanManageGroup(g); got != c.want {
			t.Errorf("%s %v: %v, want %v", c.member, c.roles, got, c.want)
		}
	}
}

// PNR data is the PNR unit's: analysts and reviewers read and push it;
// analysts define rules; only reviewers re-personalise; administrators set
// the policy; nobody else, and no token without the scope.
func TestPNRRights(t *testing.T) {
	tests := []struct {
		roles  []concord.Role
		scopes []string
		can    []Action
		cannot []Action
	}{
		{[]concord.Role{concord.RoleAnalyst}, nil, []Action{PushPNR, ReadPNR, ManagePNRRules}, []Action{RepersonalisePNR, ManagePNRPolicy}},
		{[]concord.Role{concord.RoleReviewer}, nil, []Action{PushPNR, ReadPNR, RepersonalisePNR, Review}, []Action{ManagePNRRules, ManagePNRPolicy}},
		{[]concord.Role{concord.RoleAdmin}, nil, []Action{ManagePNRPolicy}, []Action{ReadPNR, PushPNR, RepersonalisePNR}},
		{[]concord.Role{concord.RoleViewer}, nil, nil, []Action{ReadPNR, PushPNR, ManagePNRRules, RepersonalisePNR, ManagePNRPolicy}},
		{[]concord.Role{concord.RoleSecretariat}, nil, nil, []Action{ReadPNR, PushPNR, RepersonalisePNR, ManagePNRPolicy}},
		{[]concord.Role{concord.RoleAnalyst, concord.RoleReviewer}, []string{"read", "match"}, nil, []Action{ReadPNR, PushPNR, ManagePNRRules, RepersonalisePNR}},
		{[]concord.Role{concord.RoleReviewer}, []string{"screen"}, []Action{ReadPNR, PushPNR}, []Action{RepersonalisePNR}},
	}
	for _, tt := range tests {
		v := Viewer{User: "u", Member: "at", Roles: tt.roles, Scopes: tt.scopes}
		for _, a := range tt.can {
			if !v.Can(a) {
				t.Errorf("%v %v cannot %s", tt.roles, tt.scopes, a)
			}
		}
		for _, a := range tt.cannot {
			if v.Can(a) {
				t.Errorf("%v %v can %s", tt.roles, tt.scopes, a)
			}
		}
		if m, ok := v.PNRMember(); ok != v.Can(ReadPNR) || ok && m != "at" {
			t.Errorf("%v: PNRMember %q %v", tt.roles, m, ok)
		}
	}
}
