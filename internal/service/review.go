package service

import (
	"context"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/recheck"
)

// Alerts lists the alerts of v's member that q selects (its Member is
// replaced by v's). The listing is audited.
func (s *Service) Alerts(ctx context.Context, v access.Viewer, q concord.AlertQuery) ([]concord.Alert, error) {
	scope, ok := v.AlertScope()
	if !ok {
		return nil, Need(v, access.Review, "reading alerts")
	}
	switch q.Status {
	case "", concord.AlertPending, concord.AlertConfirming, concord.AlertConfirmed, concord.AlertDismissed:
	default:
		return nil, concord.Errorf(concord.EINVALID, "parameter status: want pending, confirming, confirmed or dismissed")
	}
	q.Member, q.All = scope.Member, false
	if q.Limit <= 0 {
		q.Limit = 100
	}
	// Alerts are shown as v may see them now (internal/recheck): those whose
	// listed record v no longer sees are left out, and the page is filled
	// from further alerts, so that its length tells nothing of them.
	rc := recheck.For(ctx, s.Store, s.Matcher, v)
	out := make([]concord.Alert, 0, q.Limit)
	for len(out) < q.Limit {
		as, err := s.Store.Alerts(ctx, q)
		if err != nil {
			return nil, err
		}
		for i := 0; i < len(as) && len(out) < q.Limit; i++ {
			if as[i].Member != v.Member {
				continue
			}
			a, err := rc.Alert(&as[i])
			if err != nil {
				return nil, err
			}
			if a != nil {
				out = append(out, *a)
			}
		}
		if len(as) < q.Limit {
			break
		}
		q.After = as[len(as)-1].ID
	}
	if err := s.Audit(ctx, "alert.list", q.JobID, "status="+q.Status); err != nil {
		return nil, err
	}
	return out, nil
}

// visibleAlert returns the alert if v may read it; another member's alert
// is not found.
func (s *Service) visibleAlert(ctx context.Context, v access.Viewer, id int64) (*concord.Alert, error) {
	q, ok := v.AlertScope()
	if !ok {
		return nil, Need(v, access.Review, "reading alerts")
	}
	a, err := s.Store.Alert(ctx, id)
	if err != nil {
		return nil, Hidden(err, "alert")
	}
	if a.Member != q.Member {
		return nil, NotFound("alert")
	}
	// As v may see it now: an alert on a record v no longer sees is not
	// found, like any record v does not see.
	if a, err = recheck.For(ctx, s.Store, s.Matcher, v).Alert(a); err != nil || a == nil {
		if err == nil {
			err = NotFound("alert")
		}
		return nil, err
	}
	return a, nil
}

// Alert returns one alert of v's member. The read is audited.
func (s *Service) Alert(ctx context.Context, v access.Viewer, id int64) (*concord.Alert, error) {
	a, err := s.visibleAlert(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, "alert.read", strconv.FormatInt(a.ID, 10), ""); err != nil {
		return nil, err
	}
	return a, nil
}

// MaxReason bounds a decision's reason.
const MaxReason = 4000

// Decide confirms or dismisses an alert of v's member, with a reason, and
// returns it. A decided alert is a conflict.
//
// Four eyes: for a member that wants them (Service.FourEyes), a reviewer's
// confirmation of a pending alert is only proposed (AlertConfirming); a
// different reviewer of the member then confirms or dismisses it, and the
// decision keeps both reasons. The proposer cannot decide its own proposal.
func (s *Service) Decide(ctx context.Context, v access.Viewer, id int64, status, reason string) (*concord.Alert, error) {
	a, err := s.visibleAlert(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if !v.CanDecide(a) {
		return nil, Need(v, access.Review, "deciding alerts")
	}
	if status != concord.AlertConfirmed && status != concord.AlertDismissed {
		return nil, concord.Errorf(concord.EINVALID, "status: want confirmed or dismissed")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, concord.Errorf(concord.EINVALID, "reason: say why (it is kept with the decision)")
	}
	if len(reason) > MaxReason {
		return nil, concord.Errorf(concord.EINVALID, "reason: at most %d bytes", MaxReason)
	}
	switch a.Status {
	case concord.AlertPending:
		if status == concord.AlertConfirmed && s.FourEyes != nil && s.FourEyes(a.Member) {
			status = concord.AlertConfirming
		}
	case concord.AlertConfirming:
		if a.Reviewer == v.User {
			return nil, concord.Errorf(concord.EFORBIDDEN, "four eyes: another reviewer of your member decides the confirmation you proposed")
		}
		reason += " (confirmation proposed by " + a.Reviewer + ": " + a.Reason + ")"
	}
	// The decision is on the record as the reviewer saw it (a.EntityVersion,
	// rechecked by visibleAlert): a dismissal holds until it changes.
	if err := s.Store.DecideAlertSeen(ctx, a.ID, status, v.User, reason, a.EntityVersion); err != nil {
		return nil, Hidden(err, "alert")
	}
	return s.visibleAlert(ctx, v, a.ID)
}

// AuditEvents returns the audit rows v may read that q selects (its Member
// is replaced by v's scope). Reading the audit is itself audited.
func (s *Service) AuditEvents(ctx context.Context, v access.Viewer, q concord.AuditQuery) ([]concord.AuditEvent, error) {
	scope, ok := v.AuditScope()
	if !ok {
		return nil, Need(v, access.ViewAudit, "reading the audit")
	}
	q.Member = scope.Member
	// A member reads its own rows numbered among themselves (After pages by
	// that number): the global seq, and the chain's links, would count and
	// time the other members' rows. The secretariat reads the chain.
	q.ByMember = q.Member != ""
	if q.Limit <= 0 {
		q.Limit = 100
	}
	if err := s.Audit(ctx, "audit.read", q.Member, ""); err != nil {
		return nil, err
	}
	evs, err := s.Store.AuditEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	if evs == nil {
		evs = []concord.AuditEvent{}
	}
	if q.ByMember {
		for i := range evs {
			evs[i].Seq, evs[i].Prev, evs[i].Hash, evs[i].KeyID = evs[i].MemberSeq, "", "", ""
		}
	}
	return evs, nil
}
