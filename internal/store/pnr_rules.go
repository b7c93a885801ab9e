package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"concord"
)

// Scenario rules of the members, their hits and hit counts.

var _ concord.PNRStore = (*DB)(nil)

const ruleCols = `id, member, name, conditions, enabled, version, created_by, updated_at`

func scanRule(s scanner, r *concord.PNRRule) error {
	var conds []byte
	if err := s.Scan(&r.ID, &r.Member, &r.Name, &conds, &r.Enabled, &r.Version, &r.CreatedBy, tm{&r.UpdatedAt}); err != nil {
		return err
	}
	return json.Unmarshal(conds, &r.Conditions)
}

// PutPNRRule creates a rule or replaces one of its member, bumping its
// version (checked by the caller: the store keeps what it is given). A rule
// of another member with the same id is not found.
func (db *DB) PutPNRRule(ctx context.Context, r *concord.PNRRule) error {
	if r.ID == "" || r.Member == "" {
		return concord.Errorf(concord.EINVALID, "rule: no id or member")
	}
	conds, err := json.Marshal(r.Conditions)
	if err != nil {
		return concord.Errorf(concord.EINVALID, "rule %s: %v", r.ID, err)
	}
	return db.audited(ctx, "store.PutPNRRule", change{Action: "pnr.rule", Object: r.ID, Detail: r.Name}, func(t *tx, ch *change) error {
		var member string
		var version int
		err := t.row(ctx, `SELECT member, version FROM pnr_rules WHERE id = ?`+t.forUpdate(), r.ID).Scan(&member, &version)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case member != r.Member:
			return concord.Errorf(concord.ENOTFOUND, "rule %q not found", r.ID)
		}
		r.Version, r.UpdatedAt = version+1, db.now()
		ch.Detail = r.Name + " v" + strconv.Itoa(r.Version)
		_, err = t.exec(ctx, `INSERT INTO pnr_rules (`+ruleCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, conditions = excluded.conditions, enabled = excluded.enabled,
			version = excluded.version, updated_at = excluded.updated_at`,
			r.ID, r.Member, r.Name, conds, r.Enabled, r.Version, r.CreatedBy, r.UpdatedAt)
		return err
	})
}

// PNRRules lists a member's rules.
func (db *DB) PNRRules(ctx context.Context, member string) ([]concord.PNRRule, error) {
	rows, err := db.query(ctx, `SELECT `+ruleCols+` FROM pnr_rules WHERE member = ? ORDER BY id`, member)
	rs, err := scanAll(rows, err, scanRule)
	return rs, db.wrap("store.PNRRules", err)
}

// DeletePNRRule deletes a rule of member and its counts; its hits stay for
// review, naming it.
func (db *DB) DeletePNRRule(ctx context.Context, member, id string) error {
	return db.audited(ctx, "store.DeletePNRRule", change{Action: "pnr.rule.delete", Object: id}, func(t *tx, _ *change) error {
		if err := mustAffect(t.exec(ctx, `DELETE FROM pnr_rules WHERE id = ? AND member = ?`, id, member))(
			concord.Errorf(concord.ENOTFOUND, "rule %q not found", id)); err != nil {
			return err
		}
		_, err := t.exec(ctx, `DELETE FROM pnr_rule_stats WHERE rule_id = ? AND member = ?`, id, member)
		return err
	})
}

const hitCols = `id, member, rule_id, rule_version, rule_name, booking_id, n, traveller, explanation, status, reviewer, reason,
	created_at, decided_at`

// RuleHits returns the hits q selects, newest first.
func (db *DB) RuleHits(ctx context.Context, q concord.RuleHitQuery) ([]concord.RuleHit, error) {
	if q.Member == "" {
		return nil, concord.Errorf(concord.EINVALID, "rule hits: no member")
	}
	w := db.where()
	w.add("member = ?", q.Member)
	if q.Status != "" {
		w.add("status = ?", q.Status)
	}
	if q.RuleID != "" {
		w.add("rule_id = ?", q.RuleID)
	}
	if q.BookingID != "" {
		w.add("booking_id = ?", q.BookingID)
	}
	query := `SELECT ` + hitCols + ` FROM pnr_rule_hits WHERE ` + w.String() + ` ORDER BY id DESC`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		w.args = append(w.args, q.Limit)
	}
	rows, err := db.query(ctx, query, w.args...)
	hs, err := scanAll(rows, err, func(s scanner, h *concord.RuleHit) error {
		var expl []byte
		if err := s.Scan(&h.ID, &h.Member, &h.RuleID, &h.RuleVersion, &h.RuleName, &h.BookingID, &h.Version, &h.Traveller,
			&expl, &h.Status, &h.Reviewer, &h.Reason, tm{&h.CreatedAt}, ntm{&h.DecidedAt}); err != nil {
			return err
		}
		return json.Unmarshal(expl, &h.Explanation)
	})
	return hs, db.wrap("store.RuleHits", err)
}

// DecideRuleHit confirms or dismisses a pending hit of member.
func (db *DB) DecideRuleHit(ctx context.Context, member string, id int64, status, reviewer, reason string) error {
	if err := checkDecision(status, reviewer, reason); err != nil {
		return err
	}
	notFound := concord.Errorf(concord.ENOTFOUND, "rule hit %d not found", id)
	return db.audited(ctx, "store.DecideRuleHit", change{Action: "pnr.hit.decide", Object: strconv.FormatInt(id, 10), Detail: status + ": " + reason},
		func(t *tx, _ *change) error {
			var cur string
			err := t.row(ctx, `SELECT status FROM pnr_rule_hits WHERE id = ? AND member = ?`+t.forUpdate(), id, member).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound
			}
			if err != nil {
				return err
			}
			if cur != concord.AlertPending {
				return concord.Errorf(concord.ECONFLICT, "rule hit %d was already %s", id, cur)
			}
			_, err = t.exec(ctx, `UPDATE pnr_rule_hits SET status = ?, reviewer = ?, reason = ?, decided_at = ? WHERE id = ?`,
				status, reviewer, reason, db.now(), id)
			return err
		})
}

// RuleStats returns a rule's counts by nationality.
func (db *DB) RuleStats(ctx context.Context, member, ruleID string) ([]concord.RuleStat, error) {
	rows, err := db.query(ctx, `SELECT rule_id, nationality, evaluated, hits FROM pnr_rule_stats
		WHERE member = ? AND rule_id = ? ORDER BY nationality`, member, ruleID)
	ss, err := scanAll(rows, err, func(s scanner, v *concord.RuleStat) error {
		return s.Scan(&v.RuleID, &v.Nationality, &v.Evaluated, &v.Hits)
	})
	return ss, db.wrap("store.RuleStats", err)
}
