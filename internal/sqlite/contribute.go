package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strconv"

	"concord"
	"concord/internal/sqlstore"
)

// Contribute appends statements. A statement the member already made (the
// same id) is refreshed: last seen, audience and handling are updated and a
// retraction is undone.
func (db *DB) Contribute(ctx context.Context, stmts []concord.Statement) error {
	const op = "sqlite.Contribute"
	if len(stmts) == 0 {
		return concord.Errorf(concord.EINVALID, "contribution: no statements")
	}
	now := db.now()
	stmts = slices.Clone(stmts)
	ids := make([]string, len(stmts))
	for i := range stmts {
		if err := sqlstore.CheckContribution(i, &stmts[i], now); err != nil {
			return err
		}
		ids[i] = stmts[i].EntityID
	}
	return db.audited(ctx, op, sqlstore.Change{Action: "contribute", Object: sqlstore.Objects(ids)}, func(tx *sql.Tx, ch *sqlstore.Change) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&seq); err != nil {
			return err
		}
		added, refreshed := 0, 0
		for i := range stmts {
			s := &stmts[i]
			res, err := tx.ExecContext(ctx, `UPDATE statements SET last_seen = ?, audience = ?, handling = ?, schema = ?,
				source_ref = ?, retracted = 0 WHERE id = ? AND contributed_by = ?`,
				micros(now), string(s.Audience), string(s.Handling), s.Schema, s.SourceRef, s.ID, s.ContributedBy)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				refreshed++
				continue
			}
			seq++
			if _, err := tx.ExecContext(ctx, `INSERT INTO statements (`+stmtCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
				seq, s.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, s.Dataset, s.SourceRef, s.ContributedBy,
				string(s.Audience), string(s.Handling), micros(s.FirstSeen), micros(s.LastSeen)); err != nil {
				return err
			}
			added++
		}
		ch.Detail = "+" + strconv.Itoa(added) + " ~" + strconv.Itoa(refreshed)
		return nil
	})
}

// owned checks that every id names a statement contributed by member,
// answering a missing one and another member's one with the same ENOTFOUND.
func owned(ctx context.Context, tx *sql.Tx, member string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "no statement ids")
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	mine, err := strs(ctx, tx, `SELECT id FROM statements WHERE contributed_by = ? AND id IN (`+marks(len(ids))+`)`,
		append([]any{member}, anys(ids)...)...)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if member == "" || !slices.Contains(mine, id) {
			return nil, concord.Errorf(concord.ENOTFOUND, "statement %s not found", id)
		}
	}
	return ids, nil
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
	return db.audited(ctx, "sqlite.Reshare", sqlstore.Change{Action: "reshare", Object: sqlstore.Objects(ids), Detail: string(a) + " " + string(h)},
		func(tx *sql.Tx, ch *sqlstore.Change) error {
			ids, err := owned(ctx, tx, member, ids)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE statements SET audience = ?, handling = ? WHERE id IN (`+marks(len(ids))+`)`,
				append([]any{string(a), string(h)}, anys(ids)...)...)
			ch.Detail = strconv.Itoa(len(ids)) + " statements to " + ch.Detail
			return err
		})
}

// Retract marks member's statements retracted: all of them or, when one is
// missing or not the member's, none (ENOTFOUND).
func (db *DB) Retract(ctx context.Context, member string, ids []string) error {
	return db.audited(ctx, "sqlite.Retract", sqlstore.Change{Action: "retract", Object: sqlstore.Objects(ids)}, func(tx *sql.Tx, ch *sqlstore.Change) error {
		ids, err := owned(ctx, tx, member, ids)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE statements SET retracted = 1 WHERE id IN (`+marks(len(ids))+`)`, anys(ids)...)
		ch.Detail = "-" + strconv.Itoa(len(ids))
		return err
	})
}

// Statement returns one statement if f sees it, else ENOTFOUND.
func (db *DB) Statement(ctx context.Context, f concord.Filter, id string) (*concord.Statement, error) {
	const op = "sqlite.Statement"
	w := visible(f)
	w.add("id = ?", id)
	rows, err := db.r.QueryContext(ctx, `SELECT `+stmtCols+` FROM statements WHERE `+w.String(), w.args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := scanStatements(rows)
	if err != nil {
		return nil, wrap(op, err)
	}
	if len(out) == 0 {
		return nil, &concord.Error{Code: concord.ENOTFOUND, Op: op, Message: "statement " + id + " not found"}
	}
	return &out[0], nil
}
