package main

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"concord"
	"concord/internal/auth"
	"concord/internal/follow"
	"concord/internal/job"
	"concord/internal/search"
)

// refreshLimit is how many changed entities are refreshed one by one in the
// match index; more (a list imported elsewhere) rebuild it.
const refreshLimit = 10000

// nodeFollower keeps this node's credential cache, match index and job
// runner in step with the writes of every node and process on the store,
// through its change feed.
func nodeFollower(st concord.ChangeFeed, authn *auth.Authenticator, svc *search.Service, runner *job.Runner, log *slog.Logger) *follow.Follower {
	return &follow.Follower{
		Feed: st,
		Log:  log,
		Apply: func(ctx context.Context, cs []concord.Change) error {
			return applyChanges(ctx, cs, authn, svc, runner)
		},
		Reload: func(ctx context.Context) error {
			authn.ForgetAll()
			return svc.Rebuild(ctx)
		},
	}
}

func applyChanges(ctx context.Context, cs []concord.Change, authn *auth.Authenticator, svc *search.Service, runner *job.Runner) error {
	var entities []string
	rebuild := false
	for _, c := range cs {
		switch c.Kind {
		case concord.ChangeCredentials:
			if len(c.IDs) == 0 {
				authn.ForgetAll()
			}
			for _, id := range c.IDs {
				switch kind, v, _ := strings.Cut(id, ":"); kind {
				case "token":
					authn.ForgetToken(v)
				default: // user:NAME, session:USER
					authn.ForgetUser(v)
				}
			}
		case concord.ChangeCoalition:
			authn.ForgetAll() // cached viewers carry their member's groups
		case concord.ChangeEntities:
			rebuild = rebuild || len(c.IDs) == 0
			entities = append(entities, c.IDs...)
		case concord.ChangeJobs:
			runner.Wake()
		}
	}
	entities = slices.Compact(slices.Sorted(slices.Values(entities)))
	if rebuild || len(entities) > refreshLimit {
		return svc.Rebuild(ctx)
	}
	for _, id := range entities {
		if err := svc.Refresh(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
