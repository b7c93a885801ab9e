package job

import (
	"context"

	"concord"
)

// dropLoneMinors leaves out of a row's alerts the hits on minors' records
// (concord.IsMinorRecord: a watch record made from a minor's case) unless
// the row also raises an alert on another record: a minor is never raised
// as a screening alert on its own. The results of the row still hold the
// match, for the member whose record it is.
func dropLoneMinors(ctx context.Context, st concord.EntityStore, alerts []concord.Alert) ([]concord.Alert, error) {
	if len(alerts) == 0 {
		return alerts, nil
	}
	minor := make([]bool, len(alerts))
	adult := false
	for i, a := range alerts {
		e, err := st.Entity(ctx, concord.System, a.EntityID)
		if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
			return nil, err
		}
		minor[i] = e != nil && concord.IsMinorRecord(e)
		adult = adult || !minor[i]
	}
	if adult {
		return alerts, nil
	}
	return alerts[:0], nil
}
