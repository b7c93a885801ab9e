package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"concord"
)

// lockWorkflow serialises appends to histories, so that the check of a
// step and its append see no other step in between (on every node).
const lockWorkflow = "concord.workflow"

const eventCols = `seq, record, subject, kind, state, day, actor, member, side, country, documents, reason, recorded_at`

func scanEvent(sc scanner, e *concord.WorkflowEvent) error {
	var docs string
	if err := sc.Scan(&e.Seq, &e.Record, &e.Subject, &e.Kind, &e.State, &e.Date, &e.Actor, &e.Member,
		&e.Side, &e.Country, &docs, &e.Reason, tm{&e.RecordedAt}); err != nil {
		return err
	}
	if docs != "" && docs != "[]" {
		return json.Unmarshal([]byte(docs), &e.Documents)
	}
	return nil
}

// seenBy is the condition "the record of the event is an entity f sees".
func (db *DB) seenBy(f concord.Filter) *where {
	v := db.visible(f)
	w := db.where()
	w.add("record IN (SELECT entity_id FROM statements WHERE "+v.String()+")", v.args...)
	return w
}

func events(ctx context.Context, q querier, w *where) ([]concord.WorkflowEvent, error) {
	rows, err := q.query(ctx, `SELECT `+eventCols+` FROM workflow_events WHERE `+w.String()+` ORDER BY seq`, w.args...)
	return scanAll(rows, err, scanEvent)
}

// AppendEvent appends e to its history after check accepts the history so
// far; a record f does not see is not found.
func (db *DB) AppendEvent(ctx context.Context, f concord.Filter, e *concord.WorkflowEvent, check func([]concord.WorkflowEvent) error) error {
	const op = "store.AppendEvent"
	obj := e.Record
	if e.Subject != "" {
		obj += "/" + e.Subject
	}
	return db.audited(ctx, op, change{Action: e.Kind + "." + e.State, Object: obj, Detail: e.Member}, func(t *tx, _ *change) error {
		if err := t.lock(ctx, lockWorkflow); err != nil {
			return err
		}
		w := t.db.seenBy(f)
		w.add("record = ?", e.Record)
		var n int
		sub := t.db.visible(f)
		sub.add("entity_id = ?", e.Record)
		if err := t.row(ctx, `SELECT count(*) FROM statements WHERE `+sub.String(), sub.args...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return entityNotFound(op, e.Record)
		}
		w.add("subject = ?", e.Subject)
		w.add("kind = ?", e.Kind)
		history, err := events(ctx, t, w)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(history); err != nil {
				return err
			}
		}
		if err := insertEvent(ctx, t, e, t.db.now()); err != nil {
			return err
		}
		t.changed(concord.ChangeWorkflow, e.Record)
		return nil
	})
}

// ContributeRecord contributes a record's statements and appends the first
// events of its histories in one transaction.
func (db *DB) ContributeRecord(ctx context.Context, stmts []concord.Statement, evs []concord.WorkflowEvent) error {
	now := db.now()
	stmts, ids, err := checkContributions(stmts, now)
	if err != nil {
		return err
	}
	return db.audited(ctx, "store.ContributeRecord", change{Action: "contribute", Object: objects(ids)}, func(t *tx, ch *change) error {
		added, refreshed, err := contribute(ctx, t, stmts, now)
		if err != nil {
			return err
		}
		ch.Detail = "+" + strconv.Itoa(added) + " ~" + strconv.Itoa(refreshed) + " events " + strconv.Itoa(len(evs))
		if err := t.lock(ctx, lockWorkflow); err != nil {
			return err
		}
		for i := range evs {
			e := &evs[i]
			if err := insertEvent(ctx, t, e, now); err != nil {
				return err
			}
			t.changed(concord.ChangeWorkflow, e.Record)
		}
		return nil
	})
}

func insertEvent(ctx context.Context, t *tx, e *concord.WorkflowEvent, now time.Time) error {
	if e.Record == "" || e.Kind == "" || e.State == "" {
		return concord.Errorf(concord.EINVALID, "workflow event: record, kind and state are required")
	}
	docs := []byte("[]")
	if len(e.Documents) > 0 {
		var err error
		if docs, err = json.Marshal(e.Documents); err != nil {
			return err
		}
	}
	e.RecordedAt = now
	return t.row(ctx, `INSERT INTO workflow_events (record, subject, kind, state, day, actor, member, side, country, documents, reason, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		e.Record, e.Subject, e.Kind, e.State, e.Date, e.Actor, e.Member, string(e.Side), e.Country, string(docs), e.Reason, e.RecordedAt).Scan(&e.Seq)
}

// Events returns the history of a record f sees.
func (db *DB) Events(ctx context.Context, f concord.Filter, record string) ([]concord.WorkflowEvent, error) {
	const op = "store.Events"
	w := db.visible(f)
	w.add("entity_id = ?", record)
	var n int
	if err := db.row(ctx, `SELECT count(*) FROM statements WHERE `+w.String(), w.args...).Scan(&n); err != nil {
		return nil, db.wrap(op, err)
	}
	if n == 0 {
		return nil, entityNotFound(op, record)
	}
	ew := db.where()
	ew.add("record = ?", record)
	out, err := events(ctx, db, ew)
	return out, db.wrap(op, err)
}

// EventsOf returns the events of kind of every record f sees.
func (db *DB) EventsOf(ctx context.Context, f concord.Filter, kind string) ([]concord.WorkflowEvent, error) {
	w := db.seenBy(f)
	w.add("kind = ?", kind)
	out, err := events(ctx, db, w)
	return out, db.wrap("store.EventsOf", err)
}

// RetentionPolicies lists the policies by member and kind.
func (db *DB) RetentionPolicies(ctx context.Context) ([]concord.RetentionPolicy, error) {
	rows, err := db.query(ctx, `SELECT member, kind, months FROM retention_policies ORDER BY member, kind`)
	out, err := scanAll(rows, err, func(s scanner, p *concord.RetentionPolicy) error { return s.Scan(&p.Member, &p.Kind, &p.Months) })
	return out, db.wrap("store.RetentionPolicies", err)
}

// PutRetentionPolicy sets (or, with Months 0, removes) a policy.
func (db *DB) PutRetentionPolicy(ctx context.Context, p concord.RetentionPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.audited(ctx, "store.PutRetentionPolicy", change{Action: "retention.put", Object: p.Member + "/" + p.Kind, Detail: strconv.Itoa(p.Months) + " months"},
		func(t *tx, _ *change) error {
			if p.Months == 0 {
				_, err := t.exec(ctx, `DELETE FROM retention_policies WHERE member = ? AND kind = ?`, p.Member, p.Kind)
				return err
			}
			_, err := t.exec(ctx, `INSERT INTO retention_policies (member, kind, months) VALUES (?, ?, ?)
				ON CONFLICT (member, kind) DO UPDATE SET months = excluded.months`, p.Member, p.Kind, p.Months)
			return err
		})
}

// nameProps are replaced by the reference when a case is depersonalised.
var nameProps = []string{"name"}

// Depersonalise replaces the names of the case's persons by their
// references, deletes every other value of theirs but KeptProps (also
// retracted ones: history must not keep what retention removes), deletes
// the case's own values but KeptCaseProps, redacts the documents and
// reasons of its history and records it as depersonalised, in one
// transaction.
func (db *DB) Depersonalise(ctx context.Context, d concord.Depersonalisation) error {
	const op = "store.Depersonalise"
	persons := make([]string, 0, len(d.Persons))
	for p := range d.Persons {
		persons = append(persons, p)
	}
	slices.Sort(persons)
	return db.audited(ctx, op, change{Action: "retention.depersonalise", Object: d.Case, Detail: strconv.Itoa(len(persons)) + " persons"}, func(t *tx, _ *change) error {
		if err := t.lock(ctx, lockImport); err != nil {
			return err
		}
		if err := t.lock(ctx, lockWorkflow); err != nil {
			return err
		}
		w := t.db.where()
		w.add("record = ?", d.Case)
		w.add("kind = ?", concord.KindCase)
		hist, err := events(ctx, t, w)
		if err != nil {
			return err
		}
		if concord.CaseState(hist) == concord.CaseDepersonalised {
			return concord.Errorf(concord.ECONFLICT, "case %s is depersonalised already", d.Case)
		}
		var seq int64
		if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&seq); err != nil {
			return err
		}
		for _, p := range persons {
			var idSt []concord.Statement
			rows, err := t.query(ctx, `SELECT `+stmtCols+` FROM statements WHERE entity_id = ? AND prop = 'id' ORDER BY seq`, p)
			if idSt, err = scanAll(rows, err, scanStatement); err != nil {
				return err
			}
			if len(idSt) == 0 {
				return entityNotFound(op, p)
			}
			keep, kargs := t.db.oneOf("prop", append([]string{"id"}, concord.KeptProps...))
			if _, err := t.exec(ctx, `DELETE FROM statements WHERE entity_id = ? AND NOT `+keep, append([]any{p}, kargs...)...); err != nil {
				return err
			}
			s := idSt[0]
			s.Prop, s.Value, s.Lang, s.Retracted = nameProps[0], d.Persons[p], "", false
			s.FirstSeen, s.LastSeen = d.At, d.At
			s = s.MakeID()
			seq++
			if _, err := t.exec(ctx, `INSERT INTO statements (`+stmtCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)`,
				seq, s.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, s.Dataset, s.SourceRef, s.ContributedBy,
				string(s.Audience), string(s.Handling), s.FirstSeen, s.LastSeen); err != nil {
				return err
			}
		}
		keep, kargs := t.db.oneOf("prop", append([]string{"id"}, concord.KeptCaseProps...))
		if _, err := t.exec(ctx, `DELETE FROM statements WHERE entity_id = ? AND NOT `+keep, append([]any{d.Case}, kargs...)...); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE workflow_events SET documents = '[]', reason = '' WHERE record = ?`, d.Case); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO workflow_events (record, subject, kind, state, day, actor, member, side, country, documents, reason, recorded_at)
			VALUES (?, '', ?, ?, ?, 'retention', '', '', '', '[]', '', ?)`,
			d.Case, concord.KindCase, concord.CaseDepersonalised, d.At.UTC().Format("2006-01-02"), d.At); err != nil {
			return err
		}
		t.changed(concord.ChangeEntities, append([]string{d.Case}, persons...)...)
		t.changed(concord.ChangeWorkflow, d.Case)
		return nil
	})
}
