package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"concord"
)

// Change describes a write for its audit event: set by the store method,
// completed in the write's transaction (a count, an id assigned there).
type Change struct {
	Action string
	Object string
	Detail string
}

// NewEvent is the audit event of ch by the actor of ctx at now, before the
// store chains it (Seq, Prev and Hash are the store's to set).
func NewEvent(ctx context.Context, now time.Time, ch Change) concord.AuditEvent {
	a := concord.ActorFrom(ctx)
	return concord.AuditEvent{Time: now, Actor: a.User, Member: a.Member, Via: a.Via,
		Action: ch.Action, Object: ch.Object, Detail: ch.Detail}
}

// Objects names the entities of a write for its audit event: up to a few
// ids, then how many more.
func Objects(ids []string) string {
	const show = 5
	seen := map[string]bool{}
	var list []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			list = append(list, id)
		}
	}
	if len(list) <= show {
		return strings.Join(list, ",")
	}
	return strings.Join(list[:show], ",") + ",+" + strconv.Itoa(len(list)-show)
}
