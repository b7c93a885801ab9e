package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"concord"
)

// applier writes received versions within ApplyFederated's transaction.
type applier struct {
	t        *tx
	l        *logger
	rep      *concord.FederationReport
	now      time.Time
	stmtSeq  int64 // last statement seq
	entities map[string]bool
}

// apply writes one version unless this node has it, or a later one, or the
// statement is another origin's.
func (a *applier) apply(ctx context.Context, v *concord.StatementVersion) error {
	a.rep.Versions++
	s := &v.Statement
	if err := checkVersion(a.rep.Versions, v); err != nil {
		return err
	}
	if v.Origin == a.l.self {
		a.rep.Ignored++
		return nil
	}
	var origin string
	var oseq int64
	err := a.t.row(ctx, `SELECT origin, origin_seq FROM fed_state WHERE statement_id = ?`, s.ID).Scan(&origin, &oseq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case origin != v.Origin || v.OriginSeq <= oseq:
		a.rep.Ignored++
		return nil
	}
	var entity, aud, hnd string
	err = a.t.row(ctx, `SELECT entity_id, audience, handling FROM statements WHERE id = ?`, s.ID).Scan(&entity, &aud, &hnd)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if v.Withdrawn {
		if !exists {
			// Keep the version, so that an earlier one arriving later
			// changes nothing.
			a.rep.Ignored++
			return a.l.state(ctx, s.ID, v.Origin, v.OriginSeq, "", "", true)
		}
		if _, err := a.t.exec(ctx, `UPDATE statements SET retracted = TRUE WHERE id = ?`, s.ID); err != nil {
			return err
		}
		a.rep.Withdrawn++
		a.entities[entity] = true
		return a.l.add(ctx, s.ID, v.Origin, v.OriginSeq, concord.Audience(aud), concord.TLP(hnd), true)
	}
	if exists {
		if _, err := a.t.exec(ctx, `UPDATE statements SET audience = ?, handling = ?, retracted = ?, schema = ?, source_ref = ?,
			last_seen = ? WHERE id = ?`, string(s.Audience), string(s.Handling), s.Retracted, s.Schema, s.SourceRef, s.LastSeen, s.ID); err != nil {
			return err
		}
		a.rep.Updated++
	} else {
		a.stmtSeq++
		if _, err := a.t.exec(ctx, `INSERT INTO statements (`+stmtCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.stmtSeq, s.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, s.Dataset, s.SourceRef, s.ContributedBy,
			string(s.Audience), string(s.Handling), s.FirstSeen, s.LastSeen, s.Retracted); err != nil {
			return err
		}
		a.rep.Added++
	}
	a.entities[s.EntityID] = true
	return a.l.add(ctx, s.ID, v.Origin, v.OriginSeq, s.Audience, s.Handling, s.Retracted)
}

// checkVersion validates a received version: its statement must be whole
// and its id the one its content gives (a sender cannot make a statement
// that collides with another).
func checkVersion(i int, v *concord.StatementVersion) error {
	s := &v.Statement
	bad := func(format string, args ...any) error {
		e := concord.Errorf(concord.EINVALID, format, args...)
		e.Message = "version " + itoa(int64(i)) + " (statement " + s.ID + "): " + e.Message
		return e
	}
	switch {
	case v.Origin == "" || v.OriginSeq <= 0:
		return bad("no origin node or sequence")
	case s.ID == "":
		return bad("no statement id")
	case v.Withdrawn:
		return nil
	case s.ContributedBy == "":
		return bad("no contributing member (published lists are loaded from their source, not federated)")
	case s.EntityID == "" || s.Schema == "" || s.Prop == "" || s.Dataset == "":
		return bad("entity id, schema, property and dataset are required")
	case !slices.Contains(concord.TLPs, s.Handling):
		return bad("unknown handling %q", s.Handling)
	case s.FirstSeen.IsZero() || s.LastSeen.IsZero():
		return bad("first and last seen are required")
	case s.MakeID().ID != s.ID:
		return bad("the id is not the one its entity, property, value, language, dataset and member give")
	}
	if _, err := concord.ParseAudience(string(s.Audience)); err != nil {
		return bad("unknown audience %q", s.Audience)
	}
	return nil
}

// state records the last version of a statement without logging it.
func (l *logger) state(ctx context.Context, id, origin string, originSeq int64, a concord.Audience, h concord.TLP, retracted bool) error {
	_, err := l.t.exec(ctx, `INSERT INTO fed_state (statement_id, origin, origin_seq, audience, handling, retracted)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (statement_id) DO UPDATE SET origin = excluded.origin,
		origin_seq = excluded.origin_seq, audience = excluded.audience, handling = excluded.handling,
		retracted = excluded.retracted`, id, origin, originSeq, string(a), string(h), retracted)
	return err
}
