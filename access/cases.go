package access

import (
	"slices"

	"concord"
)

// Involvement says which members are parties to a case's repatriations:
// the originator (the member that recorded the case), the custodian when
// it is a member, and the person's home country (the members of the
// verified nationality, or of the claimed one before verification).
type Involvement struct {
	Originator string
	Custodian  string
	Home       []string // member ids of the home country
}

// Sides returns the sides v's member takes in a repatriation.
func (in Involvement) Sides(member string) []concord.Side {
	var out []concord.Side
	if member != "" && (member == in.Originator || member == in.Custodian) {
		out = append(out, concord.SideCustodian)
	}
	if member != "" && slices.Contains(in.Home, member) {
		out = append(out, concord.SideHome)
	}
	return out
}

// Involved reports whether member is a party to the case.
func (in Involvement) Involved(member string) bool { return len(in.Sides(member)) > 0 }

// StepSide picks the side v takes for step after history: the one side of
// v's member that may take it. ok is false when v may not take it: v's
// member is not a party that may, or v's roles do not allow it (a decision
// on a request is a reviewer's, every other step an analyst's).
func StepSide(v Viewer, in Involvement, step string, history []concord.WorkflowEvent) (concord.Side, bool) {
	need := Contribute
	if concord.IsDecision(step) {
		need = Review
	}
	if !v.Can(need) {
		return "", false
	}
	allowed := concord.StepSide(step, history)
	for _, s := range in.Sides(v.Member) {
		if slices.Contains(allowed, s) {
			return s, true
		}
	}
	return "", false
}

// ValidateCaseShare checks the audience and handling a member gives a
// case: those ValidateShare allows, and also one member of the home
// country alone (a bilateral share: the audience member:<home>).
func ValidateCaseShare(v Viewer, a concord.Audience, h concord.TLP, home []string) error {
	for _, m := range home {
		if a == concord.MemberAudience(m) && m != v.Member {
			if !v.Can(Contribute) {
				return concord.Errorf(concord.EFORBIDDEN, "recording cases needs the analyst role and the write scope")
			}
			if _, err := concord.ParseTLP(string(h)); err != nil {
				return err
			}
			return nil
		}
	}
	return ValidateShare(v, a, h)
}

// CaseDefaults is the audience and handling of a case whose contributor
// chose none: the Syria and Iraq task force when v's member belongs to it
// (TLP:AMBER); for a case with a minor, the stricter one: the home
// country's member alone, else v's own member, TLP:AMBER+STRICT.
func CaseDefaults(v Viewer, minor bool, home []string, taskForce string) (concord.Audience, concord.TLP) {
	if minor {
		if len(home) == 1 && home[0] != v.Member {
			return concord.MemberAudience(home[0]), concord.TLPAmberStrict
		}
		return concord.MemberAudience(v.Member), concord.TLPAmberStrict
	}
	if slices.Contains(v.Groups, taskForce) {
		return concord.GroupAudience(taskForce), concord.TLPAmber
	}
	return concord.MemberAudience(v.Member), concord.TLPAmber
}

// CanAggregate reports whether v may read case statistics: the
// secretariat, and the users of a member that leads a task force.
func CanAggregate(v Viewer, groups []concord.Group) bool {
	if !v.Can(Read) {
		return false
	}
	if slices.Contains(v.Roles, concord.RoleSecretariat) {
		return true
	}
	for _, g := range groups {
		if g.Kind == concord.GroupTaskForce && slices.Contains(g.Leads, v.Member) {
			return true
		}
	}
	return false
}

// CanSetRetention reports whether v may set member's retention policy:
// the secretariat for any member and the default ("*"), a member's
// administrator for its own.
func CanSetRetention(v Viewer, member string) bool {
	if v.Can(ManageCoalition) {
		return true
	}
	return v.Can(ManageUsers) && member == v.Member && member != "*"
}

// CanWatch reports whether v may put a person on its member's watch: an
// analyst of a member that may see the case, once the person was
// transferred home or released (the person's state).
func CanWatch(v Viewer, state string) bool {
	if !v.Can(Contribute) {
		return false
	}
	switch state {
	case concord.StepTransferred, concord.StepProsecuted, concord.StepReintegrated, concord.StepReleased:
		return true
	}
	return false
}
