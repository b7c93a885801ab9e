package auth

import (
	"context"
	"log/slog"
	"time"

	"concord"
)

// ActionUnlock is the audit action of an operator's unlock (concord user
// unlock, or a password reset): every node's authenticator follows it.
const ActionUnlock = "user.unlock"

// auditHead tells where the audit ends (the store has it).
type auditHead interface {
	AuditHead(ctx context.Context) (seq int64, keyID string, err error)
}

// FollowUnlocks applies, until ctx ends, the unlocks operators record in the
// audit (ActionUnlock, object the user), by this process or any other on
// the same database — the CLI while the server runs, another node — within
// about every: the user's failed sign-ins are forgotten and its
// remembered credentials dropped. It starts from the audit's end when st
// can tell it (earlier unlocks concern failures this process never saw).
func (a *Authenticator) FollowUnlocks(ctx context.Context, st concord.AuditStore, every time.Duration, log *slog.Logger) {
	var after int64
	if h, ok := st.(auditHead); ok {
		if seq, _, err := h.AuditHead(ctx); err == nil {
			after = seq
		}
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		evs, err := st.AuditEvents(ctx, concord.AuditQuery{Action: ActionUnlock, After: after, Limit: 1000})
		if err != nil {
			if ctx.Err() == nil && log != nil {
				log.Warn("following unlocks", "err", err)
			}
			continue
		}
		for _, ev := range evs {
			a.Unlock(ev.Object)
			a.ForgetUser(ev.Object)
			after = ev.Seq
		}
	}
}
