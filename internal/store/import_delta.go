// The delta of an import: the entities it changes, noted with what they
// held before it, and checked against what they hold after it.

package store

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strings"
)

// noteChanges reads the stored statements of the chunk's ids and notes the
// entities the chunk may change, with their live statements before it: how
// many, and their sum (entities noted by an earlier chunk keep their first
// count and sum).
func (im *importing) noteChanges(ctx context.Context, ids []string) error {
	t := im.t
	w := t.db.where()
	w.in("id", ids)
	rows, err := t.query(ctx, `SELECT id, dataset, schema, source_ref, audience, handling, retracted FROM statements WHERE `+w.String(), w.args...)
	type stored struct {
		id, dataset, schema, sourceRef, audience, handling string
		retracted                                          bool
	}
	old, err := scanAll(rows, err, func(s scanner, o *stored) error {
		return s.Scan(&o.id, &o.dataset, &o.schema, &o.sourceRef, &o.audience, &o.handling, &o.retracted)
	})
	if err != nil {
		return err
	}
	same := map[string]bool{} // stored unchanged
	for _, o := range old {
		if o.dataset != im.b.Dataset {
			return im.conflict()
		}
		s := &im.chunk.rows[im.chunk.pos[o.id]].s
		same[o.id] = !o.retracted && o.schema == s.Schema && o.sourceRef == s.SourceRef &&
			o.audience == string(s.Audience) && o.handling == string(s.Handling)
	}
	if im.fresh {
		return nil
	}
	var entities []string
	refs := map[string]*pending{} // an entity's first statement in the chunk
	for i := range im.chunk.rows {
		if s := &im.chunk.rows[i].s; !same[s.ID] {
			entities = append(entities, s.EntityID)
			if refs[s.EntityID] == nil {
				refs[s.EntityID] = &im.chunk.rows[i]
			}
		}
	}
	if len(entities) == 0 {
		return nil
	}
	entities = slices.Compact(slices.Sorted(slices.Values(entities)))
	sums, err := im.sums(ctx, entities)
	if err != nil {
		return err
	}
	_, err = t.db.d.copyRows(ctx, t, "import_delta", []string{"entity_id", "before", "ref", "listed", "sum"}, `ON CONFLICT (entity_id) DO NOTHING`,
		len(entities), func(i int, vals []any) []any {
			p, sum := refs[entities[i]], sums[entities[i]]
			return append(vals, entities[i], sum.n, p.s.SourceRef, im.listed(p.s.Schema), sum.sum)
		})
	return err
}

// entitySum is what an entity holds of a dataset: its live statements, how
// many (n) and their sum, a hash of their ids and provenance in id order
// (the id covers the property, value, language, dataset and contributor;
// first and last seen, which every import moves, are left out).
type entitySum struct {
	n   int
	sum string
}

// sums reads the live statements of the dataset of entities and sums them
// by entity (an entity without any has none in the map).
func (im *importing) sums(ctx context.Context, entities []string) (map[string]entitySum, error) {
	t := im.t
	w := t.db.where()
	w.add("dataset = ?", im.b.Dataset)
	w.add("NOT retracted")
	w.in("entity_id", entities)
	rows, err := t.query(ctx, `SELECT entity_id, id, schema, source_ref, audience, handling FROM statements`+
		t.db.d.byIndex("statements_entity")+` WHERE `+w.String(), w.args...)
	type stated struct{ entity, line string }
	all, err := scanAll(rows, err, func(s scanner, x *stated) error {
		var id, schema, ref, audience, handling string
		if err := s.Scan(&x.entity, &id, &schema, &ref, &audience, &handling); err != nil {
			return err
		}
		x.line = strings.Join([]string{id, schema, ref, audience, handling}, "\x00")
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b stated) int {
		if c := strings.Compare(a.entity, b.entity); c != 0 {
			return c
		}
		return strings.Compare(a.line, b.line)
	})
	out := map[string]entitySum{}
	for i := 0; i < len(all); {
		j := i
		h := sha1.New()
		for ; j < len(all) && all[j].entity == all[i].entity; j++ {
			h.Write([]byte(all[j].line))
			h.Write([]byte{'\n'})
		}
		out[all[i].entity] = entitySum{n: j - i, sum: hex.EncodeToString(h.Sum(nil))}
		i = j
	}
	return out, nil
}

// dropUnchanged takes out of import_delta the entities noted in a chunk
// whose live statements are, after the import, what they were before it: a
// statement the batch states twice with another provenance (refreshed by
// one chunk, set back by a later one), say. It reads them a page at a time.
func (im *importing) dropUnchanged(ctx context.Context) error {
	t := im.t
	for after := ""; ; {
		rows, err := t.query(ctx, `SELECT entity_id, sum FROM import_delta WHERE entity_id > ? AND before > 0 AND sum <> ''
			ORDER BY entity_id LIMIT `+itoa(entityPage), after)
		type noted struct{ id, sum string }
		page, err := scanAll(rows, err, func(s scanner, n *noted) error { return s.Scan(&n.id, &n.sum) })
		if err != nil || len(page) == 0 {
			return err
		}
		ids := make([]string, len(page))
		for i, n := range page {
			ids[i] = n.id
		}
		now, err := im.sums(ctx, ids)
		if err != nil {
			return err
		}
		var same []string
		for _, n := range page {
			if now[n.id].sum == n.sum {
				same = append(same, n.id)
			}
		}
		if len(same) > 0 {
			w := t.db.where()
			w.in("entity_id", same)
			if _, err := t.exec(ctx, `DELETE FROM import_delta WHERE `+w.String(), w.args...); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}
