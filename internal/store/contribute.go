package store

import (
	"context"
	"slices"
	"strconv"
	"time"

	"concord"
)

// Contribute appends statements. A statement the member already made (the
// same id) is refreshed: last seen, audience and handling are updated and a
// retraction is undone. Contributions take the import lock, which numbers
// statements.
func (db *DB) Contribute(ctx context.Context, stmts []concord.Statement) error {
	now := db.now()
	stmts, ids, err := checkContributions(stmts, now)
	if err != nil {
		return err
	}
	return db.audited(ctx, "store.Contribute", change{Action: "contribute", Object: objects(ids)}, func(t *tx, ch *change) error {
		added, refreshed, err := contribute(ctx, t, stmts, now)
		ch.Detail = "+" + strconv.Itoa(added) + " ~" + strconv.Itoa(refreshed)
		return err
	})
}

// checkContributions checks a copy of stmts (checkContribution) and
// returns it with the entity id of each.
func checkContributions(stmts []concord.Statement, now time.Time) ([]concord.Statement, []string, error) {
	if len(stmts) == 0 {
		return nil, nil, concord.Errorf(concord.EINVALID, "contribution: no statements")
	}
	stmts = slices.Clone(stmts)
	ids := make([]string, len(stmts))
	for i := range stmts {
		if err := checkContribution(i, &stmts[i], now); err != nil {
			return nil, nil, err
		}
		ids[i] = stmts[i].EntityID
	}
	return stmts, ids, nil
}

// contribute writes checked statements in t under the import lock, which
// numbers them, and records their entities as changed.
func contribute(ctx context.Context, t *tx, stmts []concord.Statement, now time.Time) (added, refreshed int, err error) {
	if err := t.lock(ctx, lockImport); err != nil {
		return 0, 0, err
	}
	var seq int64
	if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&seq); err != nil {
		return 0, 0, err
	}
	ids := make([]string, len(stmts))
	for i := range stmts {
		s := &stmts[i]
		ids[i] = s.EntityID
		res, err := t.exec(ctx, `UPDATE statements SET last_seen = ?, audience = ?, handling = ?, schema = ?,
			source_ref = ?, retracted = FALSE WHERE id = ? AND contributed_by = ?`,
			now, string(s.Audience), string(s.Handling), s.Schema, s.SourceRef, s.ID, s.ContributedBy)
		if err != nil {
			return 0, 0, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			refreshed++
			continue
		}
		seq++
		if _, err := t.exec(ctx, `INSERT INTO statements (`+stmtCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)`,
			seq, s.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, s.Dataset, s.SourceRef, s.ContributedBy,
			string(s.Audience), string(s.Handling), s.FirstSeen, s.LastSeen); err != nil {
			return 0, 0, err
		}
		added++
	}
	t.changed(concord.ChangeEntities, ids...)
	return added, refreshed, nil
}

// owned checks that every id names a statement contributed by member,
// answering a missing one and another member's one with the same ENOTFOUND,
// records their entities as changed, and returns how many distinct ids
// there are and the condition on them for the update that follows (their
// rows locked until the end of t on PostgreSQL).
func owned(ctx context.Context, t *tx, member string, ids []string) (int, *where, error) {
	if len(ids) == 0 {
		return 0, nil, concord.Errorf(concord.EINVALID, "no statement ids")
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	w := t.db.where()
	w.in("id", ids)
	rows, err := t.query(ctx, `SELECT id, entity_id FROM statements WHERE contributed_by = ? AND `+w.String()+` ORDER BY id`+t.forUpdate(),
		append([]any{member}, w.args...)...)
	mine, err := scanAll(rows, err, func(s scanner, v *[2]string) error { return s.Scan(&v[0], &v[1]) })
	if err != nil {
		return 0, nil, err
	}
	entity := map[string]string{}
	for _, m := range mine {
		entity[m[0]] = m[1]
	}
	for _, id := range ids {
		if _, ok := entity[id]; !ok || member == "" {
			return 0, nil, concord.Errorf(concord.ENOTFOUND, "statement %s not found", id)
		}
		t.changed(concord.ChangeEntities, entity[id])
	}
	return len(ids), w, nil
}

// Reshare changes the audience and handling of member's statements: all of
// them or, when one is missing or not the member's, none (ENOTFOUND).
func (db *DB) Reshare(ctx context.Context, member string, ids []string, a concord.Audience, h concord.TLP) error {
	if _, err := concord.ParseAudience(string(a)); err != nil {
		return err
	}
	if !slices.Contains(concord.TLPs, h) {
		return concord.Errorf(concord.EINVALID, "unknown handling %q", h)
	}
	return db.audited(ctx, "store.Reshare", change{Action: "reshare", Object: objects(ids), Detail: string(a) + " " + string(h)},
		func(t *tx, ch *change) error {
			n, w, err := owned(ctx, t, member, ids)
			if err != nil {
				return err
			}
			_, err = t.exec(ctx, `UPDATE statements SET audience = ?, handling = ? WHERE `+w.String(),
				append([]any{string(a), string(h)}, w.args...)...)
			ch.Detail = strconv.Itoa(n) + " statements to " + ch.Detail
			return err
		})
}

// Retract marks member's statements retracted: all of them or, when one is
// missing or not the member's, none (ENOTFOUND).
func (db *DB) Retract(ctx context.Context, member string, ids []string) error {
	return db.audited(ctx, "store.Retract", change{Action: "retract", Object: objects(ids)}, func(t *tx, ch *change) error {
		n, w, err := owned(ctx, t, member, ids)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE statements SET retracted = TRUE WHERE `+w.String(), w.args...)
		ch.Detail = "-" + strconv.Itoa(n)
		return err
	})
}

// Statement returns one statement if f sees it, else ENOTFOUND.
func (db *DB) Statement(ctx context.Context, f concord.Filter, id string) (*concord.Statement, error) {
	const op = "store.Statement"
	w := db.visible(f)
	w.add("id = ?", id)
	out, err := db.statements(ctx, w, "")
	if err != nil {
		return nil, db.wrap(op, err)
	}
	if len(out) == 0 {
		return nil, &concord.Error{Code: concord.ENOTFOUND, Op: op, Message: "statement " + id + " not found"}
	}
	return &out[0], nil
}
