package store

import (
	"slices"
	"strconv"
	"time"

	"concord"
)

// checkContribution validates the i-th statement of a contribution and fills
// its id and timestamps (now).
func checkContribution(i int, s *concord.Statement, now time.Time) error {
	bad := func(format string, args ...any) error {
		e := concord.Errorf(concord.EINVALID, format, args...)
		e.Message = "contribution: statement " + strconv.Itoa(i+1) + ": " + e.Message
		return e
	}
	switch {
	case s.ContributedBy == "":
		return bad("no contributing member")
	case s.EntityID == "" || s.Schema == "" || s.Prop == "" || s.Dataset == "":
		return bad("entity id, schema, property and dataset are required")
	case !slices.Contains(concord.TLPs, s.Handling):
		return bad("unknown handling %q", s.Handling)
	case s.Retracted:
		return bad("a contribution cannot be retracted")
	}
	if _, err := concord.ParseAudience(string(s.Audience)); err != nil {
		return bad("unknown audience %q", s.Audience)
	}
	*s = s.MakeID()
	s.FirstSeen, s.LastSeen, s.Seq = now, now, 0
	return nil
}

// checkDecision validates an alert decision.
func checkDecision(status, reviewer, reason string) error {
	switch {
	case status != concord.AlertConfirmed && status != concord.AlertDismissed && status != concord.AlertConfirming:
		return concord.Errorf(concord.EINVALID, "decision %q: want confirmed, dismissed or confirming", status)
	case reviewer == "":
		return concord.Errorf(concord.EINVALID, "decision: no reviewer")
	case reason == "":
		return concord.Errorf(concord.EINVALID, "decision: a reason is required")
	}
	return nil
}

// checkUser validates a user's name and roles.
func checkUser(u *concord.User) error {
	if u.Name == "" {
		return concord.Errorf(concord.EINVALID, "user: empty name")
	}
	for _, r := range u.Roles {
		if _, err := concord.ParseRole(string(r)); err != nil {
			return err
		}
	}
	return nil
}

// nextVersion is the version g gets when it replaces the group of its id in
// old: unchanged when nothing differs, one more when something does, 1 for a
// new group.
func nextVersion(old []concord.Group, g *concord.Group) int {
	for _, o := range old {
		if o.ID != g.ID {
			continue
		}
		same := o.Name == g.Name && o.Kind == g.Kind && o.Description == g.Description &&
			slices.Equal(o.Members, g.Members) && slices.Equal(o.Leads, g.Leads) && slices.Equal(o.Partners, g.Partners)
		if same {
			return o.Version
		}
		return o.Version + 1
	}
	return 1
}

// jobStatuses are the statuses a job may have.
var jobStatuses = []string{concord.JobQueued, concord.JobRunning, concord.JobDone, concord.JobFailed, concord.JobCancelled}

// nonNil returns b, or an empty slice for nil (for NOT NULL blob columns).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// entityNotFound is the error of a missing entity.
func entityNotFound(op, id string) error {
	return &concord.Error{Code: concord.ENOTFOUND, Op: op, Message: "entity " + id + " not found"}
}

// alertNotFound is the error of a missing alert.
func alertNotFound(id int64) error {
	return concord.Errorf(concord.ENOTFOUND, "alert %d not found", id)
}

// jobNotFound is the error of a missing job.
func jobNotFound(id string) error { return concord.Errorf(concord.ENOTFOUND, "job %q not found", id) }
