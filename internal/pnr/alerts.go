package pnr

import (
	"context"

	"concord"
)

// records reads, for one request of one viewer, the listed records that
// its member's screening alerts name, as the viewer sees them now. An alert
// is a snapshot of a match made when the record was visible; a record the
// viewer no longer sees (retracted, or narrowed by its originator since)
// takes the alert with it, as package recheck does for the review queue:
// a booking's link to it is not drawn, and the booking is not one of a
// listed person. It is not safe for concurrent use.
type records struct {
	st  Store
	f   concord.Filter
	got map[string][]concord.Statement // nil: not visible
}

func newRecords(st Store, f concord.Filter) *records {
	return &records{st: st, f: f, got: map[string][]concord.Statement{}}
}

// statements returns the record's statements the viewer sees, or nil.
func (r *records) statements(ctx context.Context, id string) ([]concord.Statement, error) {
	if ss, ok := r.got[id]; ok {
		return ss, nil
	}
	ss, err := r.st.Statements(ctx, r.f, id)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		ss, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		ss = nil
	}
	r.got[id] = ss
	return ss, nil
}

// live returns the alerts of member's travellers of booking bid that stand:
// not dismissed, on a record the viewer sees.
func (r *records) live(ctx context.Context, member, bid string) ([]concord.Alert, error) {
	as, err := r.st.BookingAlerts(ctx, member, bid)
	if err != nil {
		return nil, err
	}
	var out []concord.Alert
	for _, a := range as {
		if a.Status == concord.AlertDismissed {
			continue
		}
		ss, err := r.statements(ctx, a.EntityID)
		if err != nil {
			return nil, err
		}
		if ss != nil {
			out = append(out, a)
		}
	}
	return out, nil
}
