// Package service is what Concord's adapters — the JSON API
// (internal/httpapi) and the console (internal/web) — do on behalf of a
// viewer: read entities, search, contribute, follow jobs, review alerts and
// read the audit. Every operation takes the caller's access.Viewer, asks the
// access package what it may do and see, reads through viewer.Filter() and
// audits reads before it answers, so both adapters give the same answers,
// refuse the same things and leave the same audit trail.
//
// A record the viewer may not see is missing here, with the one not-found
// error of NotFound: no operation tells hidden from absent. The package
// depends on the domain contracts, access and the match façade, never on a
// concrete store.
package service

import (
	"context"

	"concord"
	"concord/access"
	"concord/match"
)

// Store is everything the services read and write.
type Store interface {
	concord.EntityStore
	concord.ContributionStore
	concord.CoalitionStore
	concord.UserStore
	concord.AuditStore
	concord.JobStore
	concord.AlertStore
	concord.WorkflowStore
}

// Matcher screens queries for a viewer: only what the viewer may see is
// scored and returned.
type Matcher interface {
	Match(ctx context.Context, v access.Viewer, q match.Query, opt match.Options) ([]match.Match, error)
}

// Service runs operations for viewers. Store and Matcher are required.
type Service struct {
	Store   Store
	Matcher Matcher
	Clock   concord.Clock // nil: the system clock
	// OnChange is called with the id of each entity whose statements an
	// operation changed, so the match index can follow; nil: nothing.
	OnChange func(entityID string)
	// FourEyes tells whether a member wants two reviewers on every
	// confirmation (see Decide); nil: no member does.
	FourEyes func(member string) bool
}

func (s *Service) now() concord.Clock {
	if s.Clock == nil {
		return concord.SystemClock{}
	}
	return s.Clock
}

func (s *Service) changed(id string) {
	if s.OnChange != nil {
		s.OnChange(id)
	}
}

// NotFound is the one error of a missing or hidden record.
func NotFound(what string) error { return concord.Errorf(concord.ENOTFOUND, "%s not found", what) }

// Hidden maps a store's not-found to the one body of a missing record, so
// that no store message tells hidden from absent.
func Hidden(err error, what string) error {
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return NotFound(what)
	}
	return err
}

// Need returns EFORBIDDEN unless v may act.
func Need(v access.Viewer, act access.Action, what string) error {
	if !v.Can(act) {
		return concord.Errorf(concord.EFORBIDDEN, "%s: your roles or token scopes do not allow it", what)
	}
	return nil
}

// Audit appends a read event; a failed append fails the operation (every
// read is audited or not served).
func (s *Service) Audit(ctx context.Context, action, object, detail string) error {
	if err := s.Store.Audit(ctx, action, object, detail); err != nil {
		return &concord.Error{Code: concord.EINTERNAL, Op: "audit " + action, Err: err}
	}
	return nil
}
