package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"concord"
)

// Links and the schedule of the law's limits.

// linkedCols are a booking and the link one of its versions carries.
const linkedCols = bookingCols + `, l.n, l.kind, l.key, COALESCE(l.value, ''), l.traveller`

func scanLinked(s scanner, lb *concord.LinkedBooking, more ...any) error {
	return scanBooking(s, &lb.Booking, append([]any{&lb.Version, &lb.Kind, &lb.Key, &lb.Value, &lb.Traveller}, more...)...)
}

// Links returns the bookings of q.Member whose versions carry a link of
// that kind and key, or the links of one booking; newest first.
func (db *DB) Links(ctx context.Context, q concord.LinkQuery, limit int) ([]concord.LinkedBooking, error) {
	if q.Member == "" {
		return nil, concord.Errorf(concord.EINVALID, "links: no member")
	}
	w := db.where()
	w.add("l.member = ?", q.Member)
	switch {
	case q.BookingID != "":
		w.add("l.booking_id = ?", q.BookingID)
	case q.Kind != "" && q.Key != "":
		w.add("l.kind = ? AND l.key = ?", q.Kind, q.Key)
	default:
		return nil, concord.Errorf(concord.EINVALID, "links: give a booking, or a kind and a value")
	}
	query := `SELECT ` + linkedCols + ` FROM pnr_links l JOIN pnr_bookings b ON b.id = l.booking_id
		WHERE ` + w.String() + ` ORDER BY b.last_seen DESC, b.id, l.n DESC, l.kind, l.traveller`
	if limit > 0 {
		query += ` LIMIT ?`
		w.args = append(w.args, limit)
	}
	rows, err := db.query(ctx, query, w.args...)
	out, err := scanAll(rows, err, func(s scanner, lb *concord.LinkedBooking) error { return scanLinked(s, lb) })
	return out, db.wrap("store.Links", err)
}

// Network returns the bookings of member that share a link with a booking
// of a listed or watched person: one with a traveller whose screening alert
// (kept with the row key "pnr/<booking>/<version>/<traveller>") is pending
// or confirmed.
func (db *DB) Network(ctx context.Context, member string, limit int) ([]concord.LinkedBooking, error) {
	query := `SELECT DISTINCT ` + linkedCols + `, l1.booking_id FROM pnr_links l1
		JOIN pnr_links l ON l.member = l1.member AND l.kind = l1.kind AND l.key = l1.key AND l.booking_id <> l1.booking_id
		JOIN pnr_bookings b ON b.id = l.booking_id
		WHERE l1.member = ? AND EXISTS (SELECT 1 FROM alerts a WHERE a.member = l1.member AND a.status <> ?
			AND a.query_key LIKE 'pnr/' || l1.booking_id || '/%')
		ORDER BY b.last_seen DESC, b.id, l.n DESC, l.kind, l.traveller`
	args := []any{member, concord.AlertDismissed}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.query(ctx, query, args...)
	out, err := scanAll(rows, err, func(s scanner, lb *concord.LinkedBooking) error { return scanLinked(s, lb, &lb.Via) })
	return out, db.wrap("store.Network", err)
}

// BookingAlerts returns the screening alerts of member's travellers of a
// booking (row keys "pnr/<booking>/…"), any status, by id.
func (db *DB) BookingAlerts(ctx context.Context, member, bookingID string) ([]concord.Alert, error) {
	if strings.ContainsAny(bookingID, `%_\/`) {
		return nil, nil // no booking id ("bk-" and hex) holds a LIKE wildcard
	}
	return db.alerts(ctx, "store.BookingAlerts", `SELECT `+alertCols+` FROM alerts WHERE member = ? AND query_key LIKE ? ORDER BY id`,
		member, "pnr/"+bookingID+"/%")
}

// PNRPolicy returns the member's policy, or the default.
func (db *DB) PNRPolicy(ctx context.Context, member string) (concord.PNRPolicy, error) {
	p, err := pnrPolicy(ctx, db, member)
	return p, db.wrap("store.PNRPolicy", err)
}

func pnrPolicy(ctx context.Context, q querier, member string) (concord.PNRPolicy, error) {
	p := concord.DefaultPNRPolicy(member)
	rows, err := q.query(ctx, `SELECT depersonalise_days, retain_days FROM pnr_policies WHERE member = ?`, member)
	ps, err := scanAll(rows, err, func(s scanner, v *concord.PNRPolicy) error { return s.Scan(&v.DepersonaliseDays, &v.RetainDays) })
	if err != nil {
		return p, err
	}
	if len(ps) > 0 {
		p.DepersonaliseDays, p.RetainDays = ps[0].DepersonaliseDays, ps[0].RetainDays
	}
	return p, nil
}

// SetPNRPolicy sets a member's policy.
func (db *DB) SetPNRPolicy(ctx context.Context, p concord.PNRPolicy) error {
	if err := p.Check(); err != nil {
		return err
	}
	return db.audited(ctx, "store.SetPNRPolicy", change{Action: "pnr.policy", Object: p.Member,
		Detail: fmt.Sprintf("depersonalise after %d days, delete after %d", p.DepersonaliseDays, p.RetainDays)},
		func(t *tx, _ *change) error {
			_, err := t.exec(ctx, `INSERT INTO pnr_policies (member, depersonalise_days, retain_days) VALUES (?, ?, ?)
				ON CONFLICT (member) DO UPDATE SET depersonalise_days = excluded.depersonalise_days, retain_days = excluded.retain_days`,
				p.Member, p.DepersonaliseDays, p.RetainDays)
			return err
		})
}

// pnrMasked replaces what a screening row or alert of a depersonalised
// version says of its traveller.
const pnrMasked = `{"masked":true}`

// PNRHousekeeping applies each member's policy at now: versions transferred
// longer ago than the depersonalisation period lose their whole form, the
// shown values of their links and what their screening rows and alerts say
// of the traveller; versions older than the retention period are deleted
// with their links, rule hits, screening rows and alerts, and bookings left
// without a version with them. One audit event records the counts.
func (db *DB) PNRHousekeeping(ctx context.Context, now time.Time) (*concord.HousekeepingReport, error) {
	rep := &concord.HousekeepingReport{}
	err := db.audited(ctx, "store.PNRHousekeeping", change{Action: "pnr.housekeeping"}, func(t *tx, ch *change) error {
		members, err := strs(ctx, t, `SELECT DISTINCT member FROM pnr_bookings ORDER BY member`)
		if err != nil {
			return err
		}
		for _, m := range members {
			if err := t.lock(ctx, "pnr:"+m); err != nil {
				return err
			}
			p, err := pnrPolicy(ctx, t, m)
			if err != nil {
				return err
			}
			if err := housekeep(ctx, t, m, now, p, rep); err != nil {
				return err
			}
		}
		ch.Detail = fmt.Sprintf("%d versions depersonalised, %d deleted, %d bookings deleted", rep.Depersonalised, rep.Deleted, rep.Bookings)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// versionRef is a version of a booking.
type versionRef struct {
	booking string
	n       int
}

func versionRefs(ctx context.Context, t *tx, query string, args ...any) ([]versionRef, error) {
	rows, err := t.query(ctx, query, args...)
	return scanAll(rows, err, func(s scanner, v *versionRef) error { return s.Scan(&v.booking, &v.n) })
}

func housekeep(ctx context.Context, t *tx, member string, now time.Time, p concord.PNRPolicy, rep *concord.HousekeepingReport) error {
	day := 24 * time.Hour
	delCut, depCut := now.Add(-time.Duration(p.RetainDays)*day), now.Add(-time.Duration(p.DepersonaliseDays)*day)
	old, err := versionRefs(ctx, t, `SELECT booking_id, n FROM pnr_versions WHERE member = ? AND received < ?`, member, delCut)
	if err != nil {
		return err
	}
	for _, v := range old {
		key := fmt.Sprintf("pnr/%s/%d/%%", v.booking, v.n)
		if _, err := t.exec(ctx, `DELETE FROM alerts WHERE member = ? AND query_key LIKE ?`, member, key); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM job_rows WHERE key LIKE ? AND job_id IN (SELECT id FROM jobs WHERE member = ?)`, key, member); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM pnr_versions WHERE booking_id = ? AND n = ?`, v.booking, v.n); err != nil {
			return err
		}
	}
	rep.Deleted += len(old)
	if len(old) > 0 {
		if _, err := t.exec(ctx, `DELETE FROM jobs WHERE member = ? AND kind = 'pnrgov'
			AND NOT EXISTS (SELECT 1 FROM job_rows r WHERE r.job_id = jobs.id)`, member); err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM pnr_bookings WHERE member = ? AND NOT EXISTS
			(SELECT 1 FROM pnr_versions v WHERE v.booking_id = pnr_bookings.id)`, member)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		rep.Bookings += int(n)
		if _, err := t.exec(ctx, `UPDATE pnr_bookings SET versions = (SELECT count(*) FROM pnr_versions v
			WHERE v.booking_id = pnr_bookings.id) WHERE member = ?`, member); err != nil {
			return err
		}
	}
	due, err := versionRefs(ctx, t, `SELECT booking_id, n FROM pnr_versions WHERE member = ? AND received < ? AND personal IS NOT NULL`, member, depCut)
	if err != nil {
		return err
	}
	masked := []byte(pnrMasked)
	for _, v := range due {
		key := fmt.Sprintf("pnr/%s/%d/%%", v.booking, v.n)
		if _, err := t.exec(ctx, `UPDATE pnr_versions SET personal = NULL, depersonalised_at = ? WHERE booking_id = ? AND n = ?`, now, v.booking, v.n); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE pnr_links SET value = NULL WHERE booking_id = ? AND n = ?`, v.booking, v.n); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE alerts SET query = ?, match = ? WHERE member = ? AND query_key LIKE ?`, masked, masked, member, key); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE job_rows SET query = ? WHERE key LIKE ? AND job_id IN (SELECT id FROM jobs WHERE member = ?)`,
			masked, key, member); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE job_rows SET result = ? WHERE result IS NOT NULL AND key LIKE ?
			AND job_id IN (SELECT id FROM jobs WHERE member = ?)`, masked, key, member); err != nil {
			return err
		}
	}
	rep.Depersonalised += len(due)
	if len(old) > 0 || len(due) > 0 {
		// Alerts and screening rows of these versions were masked or
		// deleted: which ones is not worth listing.
		t.changed(concord.ChangeAlerts)
		t.changed(concord.ChangeJobs)
	}
	return nil
}
