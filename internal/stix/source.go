package stix

import (
	"context"
	"io"

	"concord"
)

// Source is what an export reads: entities and their statements, through
// the reader's filter.
type Source interface {
	EachEntity(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func(*concord.Entity) error) error
	Statements(ctx context.Context, f concord.Filter, entityID string) ([]concord.Statement, error)
}

// classifyProps are the properties Classify reads.
var classifyProps = []string{"program", "topics", "number", "passportNumber", "iban", "accountNumber", "publicKey",
	concord.PropSHA256, concord.PropMD5, concord.PropPDQHash}

// Types returns the STIX type of every entity f sees (matching q), by id:
// what relationships may point to.
func Types(ctx context.Context, src Source, f concord.Filter, q concord.EntityQuery) (map[string]string, error) {
	types := map[string]string{}
	q.Props = classifyProps
	err := src.EachEntity(ctx, f, q, func(e *concord.Entity) error {
		if t := Classify(e); t != "" {
			types[e.ID] = t
		}
		return nil
	})
	return types, err
}

// Load reads the record of entity e as f sees it.
func Load(ctx context.Context, src Source, f concord.Filter, e *concord.Entity, memberName func(string) string) (Record, error) {
	stmts, err := src.Statements(ctx, f, e.ID)
	if err != nil {
		return Record{}, err
	}
	return RecordOf(e, stmts, memberName), nil
}

// Export writes a STIX bundle of what f sees (matching q) to w: two passes
// over the entities, the first for the types relationships point to (ids
// only), the second writing each record as it is read.
func Export(ctx context.Context, src Source, f concord.Filter, q concord.EntityQuery, w io.Writer, bundleID string, memberName func(string) string) (*Writer, error) {
	types, err := Types(ctx, src, f, q)
	if err != nil {
		return nil, err
	}
	sw := NewWriter(w, bundleID, func(id string) string { return types[id] })
	err = src.EachEntity(ctx, f, q, func(e *concord.Entity) error {
		r, err := Load(ctx, src, f, e, memberName)
		if err != nil {
			return err
		}
		return sw.Write(r)
	})
	if err != nil {
		return nil, err
	}
	return sw, sw.Close()
}
