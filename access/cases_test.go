package access

import (
	"reflect"
	"testing"

	"concord"
)

func viewer(member string, roles ...concord.Role) Viewer {
	return Viewer{User: member + "-user", Member: member, Roles: roles, Groups: []string{"tf-syria-iraq"}}
}

// TestStepActors: only the parties act, each on its side's steps, a
// decision needs a reviewer, every other step an analyst.
func TestStepActors(t *testing.T) {
	in := Involvement{Originator: "us", Custodian: "iq", Home: []string{"fr"}}
	requested := []concord.WorkflowEvent{{State: concord.StepIdentified}, {State: concord.StepNationalityVerified},
		{State: concord.StepNotified}, {State: concord.StepRequested, Side: concord.SideCustodian}}
	tests := []struct {
		name string
		v    Viewer
		step string
		h    []concord.WorkflowEvent
		side concord.Side
		ok   bool
	}{
		{"originator identifies", viewer("us", concord.RoleAnalyst), concord.StepIdentified, nil, concord.SideCustodian, true},
		{"custodian notifies", viewer("iq", concord.RoleAnalyst), concord.StepNotified, requested[:2], concord.SideCustodian, true},
		{"home verifies", viewer("fr", concord.RoleAnalyst), concord.StepNationalityVerified, requested[:1], concord.SideHome, true},
		{"originator may not verify", viewer("us", concord.RoleAnalyst), concord.StepNationalityVerified, requested[:1], "", false},
		{"home decides the custodian's request", viewer("fr", concord.RoleReviewer), concord.StepAccepted, requested, concord.SideHome, true},
		{"an analyst does not decide", viewer("fr", concord.RoleAnalyst), concord.StepRefused, requested, "", false},
		{"the requester does not decide", viewer("us", concord.RoleReviewer), concord.StepAccepted, requested, "", false},
		{"a bystander member", viewer("de", concord.RoleAnalyst, concord.RoleReviewer), concord.StepRequested, requested[:3], "", false},
		{"a viewer", viewer("fr", concord.RoleViewer), concord.StepRequested, requested[:3], "", false},
		{"home releases", viewer("fr", concord.RoleAnalyst), concord.StepReleased, nil, concord.SideHome, true},
		{"custodian may not release", viewer("iq", concord.RoleAnalyst), concord.StepReleased, nil, "", false},
		{"either side transfers", viewer("iq", concord.RoleAnalyst), concord.StepTransferred, nil, concord.SideCustodian, true},
		{"a read-only token", Viewer{User: "x", Member: "fr", Roles: []concord.Role{concord.RoleAnalyst}, Scopes: []string{"read"}}, concord.StepRequested, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			side, ok := StepSide(tt.v, in, tt.step, tt.h)
			if ok != tt.ok || side != tt.side {
				t.Errorf("StepSide = %q %v, want %q %v", side, ok, tt.side, tt.ok)
			}
		})
	}
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name   string
		counts map[string]int
		cells  []Cell
		total  string
	}{
		{"none small", map[string]int{"FR": 12, "DE": 7}, []Cell{{"DE", "7"}, {"FR", "12"}}, "19"},
		{"one small hides the next smallest", map[string]int{"FR": 12, "DE": 7, "BE": 2}, []Cell{{"BE", "<5"}, {"DE", "≥5"}, {"FR", "12"}}, "21"},
		{"two small", map[string]int{"FR": 12, "DE": 3, "BE": 4}, []Cell{{"BE", "<5"}, {"DE", "<5"}, {"FR", "12"}}, "19"},
		{"small total", map[string]int{"FR": 3}, []Cell{{"FR", "<5"}}, "<5"},
		{"empty cells left out", map[string]int{"FR": 0, "DE": 5}, []Cell{{"DE", "5"}}, "5"},
		{"nothing", map[string]int{}, []Cell{}, "0"},
		{"four is small, five is not", map[string]int{"A": 4, "B": 5, "C": 6}, []Cell{{"A", "<5"}, {"B", "≥5"}, {"C", "6"}}, "15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells, total := Suppress(tt.counts)
			if !reflect.DeepEqual(cells, tt.cells) || total != tt.total {
				t.Errorf("Suppress = %v %q, want %v %q", cells, total, tt.cells, tt.total)
			}
		})
	}
}

// TestCaseSharing: defaults, stricter for minors, and a bilateral share
// with the home country beside the viewer's own audiences.
func TestCaseSharing(t *testing.T) {
	us := viewer("us", concord.RoleAnalyst)
	if a, h := CaseDefaults(us, false, []string{"fr"}, "tf-syria-iraq"); a != "group:tf-syria-iraq" || h != concord.TLPAmber {
		t.Errorf("adult default %s %s", a, h)
	}
	if a, h := CaseDefaults(us, true, []string{"fr"}, "tf-syria-iraq"); a != "member:fr" || h != concord.TLPAmberStrict {
		t.Errorf("minor default %s %s", a, h)
	}
	if a, _ := CaseDefaults(us, true, []string{"fr", "be"}, "tf-syria-iraq"); a != "member:us" {
		t.Errorf("minor of two home countries %s", a)
	}
	if a, _ := CaseDefaults(Viewer{User: "x", Member: "uz", Roles: us.Roles}, false, nil, "tf-syria-iraq"); a != "member:uz" {
		t.Errorf("outside the task force %s", a)
	}
	if err := ValidateCaseShare(us, "member:fr", concord.TLPRed, []string{"fr"}); err != nil {
		t.Errorf("bilateral share with the home country: %v", err)
	}
	if err := ValidateCaseShare(us, "member:de", concord.TLPAmber, []string{"fr"}); concord.ErrorCode(err) != concord.EFORBIDDEN {
		t.Errorf("share with a member that is not the home country: %v", err)
	}
	if err := ValidateCaseShare(viewer("us", concord.RoleViewer), "member:fr", concord.TLPAmber, []string{"fr"}); concord.ErrorCode(err) != concord.EFORBIDDEN {
		t.Errorf("a viewer shares: %v", err)
	}
	if err := ValidateCaseShare(us, "group:tf-syria-iraq", concord.TLPRed, []string{"fr"}); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("RED to a group: %v", err)
	}
}

func TestCaseRights(t *testing.T) {
	groups := []concord.Group{{ID: "tf-syria-iraq", Kind: concord.GroupTaskForce, Members: []string{"iq", "us", "fr"}, Leads: []string{"iq", "us"}},
		{ID: "ttwg", Kind: concord.GroupWorkingGroup, Members: []string{"nl"}, Leads: []string{"nl"}}}
	for _, tt := range []struct {
		v    Viewer
		want bool
	}{
		{viewer("iq", concord.RoleViewer), true},
		{viewer("fr", concord.RoleAnalyst), false},
		{viewer("nl", concord.RoleAnalyst), false}, // leads a working group, not a task force
		{Viewer{User: "s", Member: "secretariat", Roles: []concord.Role{concord.RoleSecretariat}}, true},
	} {
		if got := CanAggregate(tt.v, groups); got != tt.want {
			t.Errorf("CanAggregate(%s) = %v", tt.v.Member, got)
		}
	}
	if !CanSetRetention(viewer("fr", concord.RoleAdmin), "fr") || CanSetRetention(viewer("fr", concord.RoleAdmin), "de") ||
		CanSetRetention(viewer("fr", concord.RoleAdmin), "*") || CanSetRetention(viewer("fr", concord.RoleAnalyst), "fr") ||
		!CanSetRetention(Viewer{User: "s", Member: "secretariat", Roles: []concord.Role{concord.RoleSecretariat}}, "*") {
		t.Error("CanSetRetention")
	}
	for st, want := range map[string]bool{concord.StepAccepted: false, concord.StepTransferred: true, concord.StepReleased: true, concord.StepRefused: false} {
		if CanWatch(viewer("fr", concord.RoleAnalyst), st) != want {
			t.Errorf("CanWatch after %s", st)
		}
	}
}
