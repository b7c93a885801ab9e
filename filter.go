package concord

import "slices"

// Filter is the visibility of a reader, compiled by the access package from a
// viewer and applied by every store read. Stores translate it into their own
// query language; Allows is the reference semantics that both must equal (the
// conformance suite checks them against each other).
//
// A statement is visible when it is not retracted (unless IncludeRetracted)
// and either All is set, or the viewer's member contributed it, or its audience
// is one of Audiences and its handling one of Handlings.
type Filter struct {
	All              bool       // system context: importers, audit verification
	Member           string     // the viewer's member id; sees its own statements
	Audiences        []Audience // audiences the viewer belongs to
	Handlings        []TLP      // handling labels the viewer may receive from others
	IncludeRetracted bool       // history views
}

// System is the filter of the platform itself.
var System = Filter{All: true}

// Allows reports whether a statement is visible through f.
func (f Filter) Allows(s *Statement) bool {
	if s.Retracted && !f.IncludeRetracted {
		return false
	}
	if f.All {
		return true
	}
	if f.Member != "" && s.ContributedBy == f.Member {
		return true
	}
	return slices.Contains(f.Audiences, s.Audience) && slices.Contains(f.Handlings, s.Handling)
}
