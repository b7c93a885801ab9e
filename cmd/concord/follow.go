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
)

// refreshLimit is how many changed entities are refreshed one by one in an
// index without batches (the identifier index); more (a list imported
// elsewhere) rebuild it. The match index applies batches of any size.
const refreshLimit = 10000

// entityIndex is an in-memory index of the store's entities (the match
// index, the identifier index) that follows the change feed.
type entityIndex interface {
	Rebuild(ctx context.Context) error
	Refresh(ctx context.Context, id string) error
}

// nodeFollower keeps this node's credential cache, entity indexes and job
// runner in step with the writes of every node and process on the store,
// through its change feed.
func nodeFollower(st concord.ChangeFeed, authn *auth.Authenticator, runner *job.Runner, log *slog.Logger, ixs ...entityIndex) *follow.Follower {
	return &follow.Follower{
		Feed: st,
		Log:  log,
		Apply: func(ctx context.Context, cs []concord.Change) error {
			return applyChanges(ctx, cs, authn, runner, ixs)
		},
		Reload: func(ctx context.Context) error {
			authn.ForgetAll()
			return rebuildAll(ctx, ixs)
		},
	}
}

func rebuildAll(ctx context.Context, ixs []entityIndex) error {
	for _, ix := range ixs {
		if err := ix.Rebuild(ctx); err != nil {
			return err
		}
	}
	return nil
}

func applyChanges(ctx context.Context, cs []concord.Change, authn *auth.Authenticator, runner *job.Runner, ixs []entityIndex) error {
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
	for _, ix := range ixs {
		ents, all := entities, rebuild
		if p, ok := ix.(positioned); ok {
			// Changes it reflects already are not applied again (a
			// network loaded from a snapshot newer than the others').
			var later []concord.Change
			for _, c := range cs {
				if c.Seq > p.At() {
					later = append(later, c)
				}
			}
			ents, all = changedEntities(later)
			ents = slices.Compact(slices.Sorted(slices.Values(ents)))
		}
		if err := applyTo(ctx, ix, ents, all); err != nil {
			return err
		}
		if p, ok := ix.(positioned); ok && len(cs) > 0 {
			p.Reached(cs[len(cs)-1].Seq)
		}
	}
	return nil
}

// applyTo applies the changed entities to one index: all of them when all
// (or too many to refresh one by one, where it has no batches).
func applyTo(ctx context.Context, ix entityIndex, entities []string, all bool) error {
	if all {
		return ix.Rebuild(ctx)
	}
	if b, ok := ix.(batchIndex); ok {
		// Applied whatever the number: a member's large upload must
		// not rebuild what other viewers read.
		return b.Apply(ctx, entities)
	}
	if len(entities) > refreshLimit {
		return ix.Rebuild(ctx)
	}
	for _, id := range entities {
		if err := ix.Refresh(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// positioned is an entity index that knows the feed position it reflects
// (the network, whose snapshot records it): told when changes up to a
// position are applied.
type positioned interface {
	At() int64
	Reached(seq int64)
}

// batchIndex is an entity index that applies a batch of changed entities
// at once (the match index: reads in parallel, merges again).
type batchIndex interface {
	Apply(ctx context.Context, ids []string) error
}
