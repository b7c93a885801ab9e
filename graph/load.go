package graph

import (
	"context"

	"concord"
)

// Source is what Load reads: the store's contracts.
type Source interface {
	ScanStatements(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func([]concord.Statement) error) error
}

// Load builds the index from every statement of the store, with its
// visibility: one streaming read of the statements, entity by entity, each
// added as it comes (memory is the index's, not the store's).
func Load(ctx context.Context, src Source) (*Index, error) {
	ix := NewIndex()
	if err := src.ScanStatements(ctx, concord.System, concord.EntityQuery{}, func(stmts []concord.Statement) error {
		ix.Add(stmts)
		return nil
	}); err != nil {
		return nil, err
	}
	return ix, nil
}
