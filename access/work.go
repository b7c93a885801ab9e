package access

import (
	"slices"

	"concord"
)

// Leads reports whether v's member leads group id.
func Leads(v Viewer, groups []concord.Group, id string) bool {
	for _, g := range groups {
		if g.ID == id {
			return slices.Contains(g.Leads, v.Member)
		}
	}
	return false
}

// CanRecordWork reports whether v may record a meeting, joint statement,
// decision or action item of body: the secretariat for the coalition and
// any group; an analyst of a member that leads the group for the group's.
func CanRecordWork(v Viewer, body string, groups []concord.Group) bool {
	if v.Can(ManageCoalition) {
		return true
	}
	return body != "coalition" && v.Can(Contribute) && Leads(v, groups, body)
}

// CanUpdateAction reports whether v may change an action item's status:
// the secretariat; an analyst of the owner member; for an item a group
// owns, an analyst of a member of that group; an analyst of a lead of the
// body the item belongs to (a lead follows the group's actions across
// members).
func CanUpdateAction(v Viewer, a concord.ActionItem, groups []concord.Group) bool {
	if v.Can(ManageCoalition) {
		return true
	}
	if !v.Can(Contribute) {
		return false
	}
	if a.OwnerMember != "" && a.OwnerMember == v.Member {
		return true
	}
	if a.OwnerGroup != "" && slices.Contains(v.Groups, a.OwnerGroup) {
		return true
	}
	return a.Body != "coalition" && Leads(v, groups, a.Body)
}

// WorkHandling checks the TLP of a work record: CLEAR, GREEN or AMBER (it is
// shared with a body, never kept within one member).
func WorkHandling(h concord.TLP) error {
	switch h {
	case concord.TLPClear, concord.TLPGreen, concord.TLPAmber:
		return nil
	}
	return concord.Errorf(concord.EINVALID, "TLP:%s: a record of the coalition's work is shared with its body (CLEAR, GREEN or AMBER)", h)
}
