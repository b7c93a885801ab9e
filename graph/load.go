package graph

import (
	"context"

	"concord"
)

// Source is what Load reads: the store's contracts.
type Source interface {
	EachEntity(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func(*concord.Entity) error) error
	Statements(ctx context.Context, f concord.Filter, entityID string) ([]concord.Statement, error)
	Members(ctx context.Context) ([]concord.Member, error)
	Groups(ctx context.Context) ([]concord.Group, error)
}

// Load builds the index from every statement of the store, with its
// visibility. Entities with a statement that is not public (member
// contributions) are read statement by statement; published records, the
// bulk, are read once per handling label, every value of them public.
func Load(ctx context.Context, src Source) (*Index, error) {
	restricted := map[string]bool{}
	nonPublic := concord.Filter{Audiences: []concord.Audience{concord.AudienceCoalition}, Handlings: concord.TLPs}
	ms, err := src.Members(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		nonPublic.Audiences = append(nonPublic.Audiences, concord.MemberAudience(m.ID))
	}
	gs, err := src.Groups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		nonPublic.Audiences = append(nonPublic.Audiences, concord.GroupAudience(g.ID))
	}
	var order []string
	stmts := map[string][]concord.Statement{}
	if err := src.EachEntity(ctx, nonPublic, concord.EntityQuery{}, func(e *concord.Entity) error {
		restricted[e.ID] = true
		return nil
	}); err != nil {
		return nil, err
	}
	for _, h := range concord.TLPs {
		f := concord.Filter{Audiences: []concord.Audience{concord.AudiencePublic}, Handlings: []concord.TLP{h}}
		if err := src.EachEntity(ctx, f, concord.EntityQuery{}, func(e *concord.Entity) error {
			if restricted[e.ID] {
				return nil
			}
			if _, ok := stmts[e.ID]; !ok {
				order = append(order, e.ID)
			}
			stmts[e.ID] = append(stmts[e.ID], synthesize(e, h)...)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	for id := range restricted {
		ss, err := src.Statements(ctx, concord.System, id)
		if err != nil {
			if concord.ErrorCode(err) == concord.ENOTFOUND {
				continue
			}
			return nil, err
		}
		order = append(order, id)
		stmts[id] = ss
	}
	ix := NewIndex()
	for _, id := range order {
		ix.Add(stmts[id])
	}
	return ix, nil
}

// synthesize turns a published entity, read under one handling label, back
// into its statements (public, not contributed by a member).
func synthesize(e *concord.Entity, h concord.TLP) []concord.Statement {
	ds, ref := "", ""
	if len(e.Datasets) > 0 {
		ds = e.Datasets[0]
	}
	if len(e.Refs) > 0 {
		ref = e.Refs[0]
	}
	mk := func(prop, value, ref string) concord.Statement {
		return concord.Statement{EntityID: e.ID, Schema: e.Schema, Prop: prop, Value: value, Dataset: ds, SourceRef: ref,
			Audience: concord.AudiencePublic, Handling: h}
	}
	out := []concord.Statement{mk("id", e.ID, ref)}
	for _, r := range e.Refs[min(1, len(e.Refs)):] {
		out = append(out, mk("id", e.ID, r))
	}
	for _, p := range e.PropNames() {
		for _, v := range e.Properties[p] {
			out = append(out, mk(p, v, ref))
		}
	}
	return out
}
