package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"concord"
)

// PNR bookings: a booking row per (member, owner, locator, creation), a
// version row per push that changed something, link rows per version. A
// member only ever reads its own: every query names it.

const bookingCols = `b.id, b.member, b.owner, b.locator, b.created, b.flight, b.departure, b.travellers, b.versions,
	b.pushes, b.first_seen, b.last_seen,
	EXISTS (SELECT 1 FROM pnr_versions lv WHERE lv.booking_id = b.id AND lv.n = b.latest AND lv.personal IS NULL)`

func scanBooking(s scanner, b *concord.Booking, more ...any) error {
	return s.Scan(append([]any{&b.ID, &b.Member, &b.Owner, &b.Locator, &b.Created, &b.Flight, &b.Departure, &b.Travellers,
		&b.Versions, &b.Pushes, tm{&b.FirstSeen}, tm{&b.LastSeen}, &b.Masked}, more...)...)
}

func bookingNotFound(id string) error {
	return concord.Errorf(concord.ENOTFOUND, "booking %q not found", id)
}

// LatestVersions returns the latest version of each booking named.
func (db *DB) LatestVersions(ctx context.Context, keys []concord.BookingKey) (map[concord.BookingKey]concord.LatestVersion, error) {
	out := map[concord.BookingKey]concord.LatestVersion{}
	for _, k := range keys {
		var v concord.LatestVersion
		err := db.row(ctx, `SELECT v.booking_id, v.n, v.digest, v.received, v.personal FROM pnr_bookings b
			JOIN pnr_versions v ON v.booking_id = b.id AND v.n = b.latest WHERE b.id = ? AND b.member = ?`,
			k.ID(), k.Member).Scan(&v.BookingID, &v.N, &v.Digest, tm{&v.Received}, (*[]byte)(&v.Personal))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, db.wrap("store.LatestVersions", err)
		}
		out[k] = v
	}
	return out, nil
}

// ImportPNR stores a push: each PNR as a new version of its booking (or a
// push count for a repeat), its links and rule hits; the rules' counts; and
// the screening job of the travellers that changed — in one transaction
// under the member's PNR lock. A PNR compared with a version that is no
// longer the latest is refused with ECONFLICT (the caller compares again).
func (db *DB) ImportPNR(ctx context.Context, imp *concord.PNRImport) (*concord.PNRImportReport, error) {
	if imp.Member == "" {
		return nil, concord.Errorf(concord.EINVALID, "PNR import: no member")
	}
	if imp.Job != nil {
		if err := db.prepareJob(imp.Job); err != nil {
			return nil, err
		}
	}
	rep := &concord.PNRImportReport{PNRs: len(imp.Pushes), BookingIDs: []string{}}
	now := db.now()
	err := db.audited(ctx, "store.ImportPNR", change{Action: "pnr.import", Object: imp.Source}, func(t *tx, ch *change) error {
		if err := t.lock(ctx, "pnr:"+imp.Member); err != nil {
			return err
		}
		for i := range imp.Pushes {
			p := &imp.Pushes[i]
			if p.Member != imp.Member || p.Locator == "" {
				return concord.Errorf(concord.EINVALID, "PNR %d of the push: member %q, locator %q", i+1, p.Member, p.Locator)
			}
			if err := importPush(ctx, t, p, imp.Source, now, rep); err != nil {
				return err
			}
		}
		for _, s := range imp.Stats {
			res, err := t.exec(ctx, `UPDATE pnr_rule_stats SET evaluated = evaluated + ?, hits = hits + ?
				WHERE rule_id = ? AND nationality = ? AND member = ?`, s.Evaluated, s.Hits, s.RuleID, s.Nationality, imp.Member)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				if _, err := t.exec(ctx, `INSERT INTO pnr_rule_stats (rule_id, member, nationality, evaluated, hits) VALUES (?, ?, ?, ?, ?)`,
					s.RuleID, imp.Member, s.Nationality, s.Evaluated, s.Hits); err != nil {
					return err
				}
			}
		}
		if imp.Job != nil {
			if err := insertJob(ctx, t, imp.Job, concord.JobRows(imp.JobRows)); err != nil {
				return err
			}
			rep.Job, rep.Screened = imp.Job.ID, len(imp.JobRows)
		}
		ch.Detail = fmt.Sprintf("%d PNRs: %d new, %d changed, %d unchanged; %d travellers to screen, %d rule hits",
			rep.PNRs, rep.New, rep.Changed, rep.Unchanged, rep.Screened, rep.RuleHits)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func importPush(ctx context.Context, t *tx, p *concord.BookingPush, source string, now time.Time, rep *concord.PNRImportReport) error {
	id := concord.BookingKey{Member: p.Member, Owner: p.Owner, Locator: p.Locator, Created: p.Created}.ID()
	var latest int
	err := t.row(ctx, `SELECT latest FROM pnr_bookings WHERE id = ?`+t.forUpdate(), id).Scan(&latest)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := t.exec(ctx, `INSERT INTO pnr_bookings (id, member, owner, locator, created, flight, departure, travellers,
			versions, latest, pushes, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`,
			id, p.Member, p.Owner, p.Locator, p.Created, p.Flight, p.Departure, p.Travellers, now, now); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if latest != p.Prev {
		return concord.Errorf(concord.ECONFLICT, "booking %s: compared with version %d, the latest is %d", id, p.Prev, latest)
	}
	rep.BookingIDs = append(rep.BookingIDs, id)
	if p.Same {
		rep.Unchanged++
		_, err := t.exec(ctx, `UPDATE pnr_bookings SET pushes = pushes + 1, last_seen = ?, flight = ?, departure = ? WHERE id = ?`,
			now, p.Flight, p.Departure, id)
		return err
	}
	n := latest + 1
	changes, _ := json.Marshal(nonNilStrings(p.Changes))
	if _, err := t.exec(ctx, `INSERT INTO pnr_versions (booking_id, n, member, received, source, digest, changes, personal, masked, sealed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, n, p.Member, now, source, p.Digest, changes,
		nonNil(p.Personal), nonNil(p.Masked), nonNil(p.Sealed)); err != nil {
		return err
	}
	if _, err := t.db.d.copyRows(ctx, t, "pnr_links", []string{"booking_id", "n", "member", "kind", "key", "value", "traveller"}, "", len(p.Links),
		func(i int, vals []any) []any {
			l := p.Links[i]
			return append(vals, id, n, p.Member, l.Kind, l.Key, l.Value, l.Traveller)
		}); err != nil {
		return err
	}
	for _, h := range p.Hits {
		expl, _ := json.Marshal(nonNilStrings(h.Explanation))
		if _, err := t.exec(ctx, `INSERT INTO pnr_rule_hits (member, rule_id, rule_version, rule_name, booking_id, n, traveller,
			explanation, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Member, h.RuleID, h.RuleVersion, h.RuleName,
			id, n, h.Traveller, expl, concord.AlertPending, now); err != nil {
			return err
		}
	}
	rep.RuleHits += len(p.Hits)
	if latest == 0 {
		rep.New++
	} else {
		rep.Changed++
	}
	_, err = t.exec(ctx, `UPDATE pnr_bookings SET versions = versions + 1, latest = ?, pushes = pushes + 1, last_seen = ?,
		flight = ?, departure = ?, travellers = ? WHERE id = ?`, n, now, p.Flight, p.Departure, p.Travellers, id)
	return err
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Bookings lists the bookings of a member, latest push first.
func (db *DB) Bookings(ctx context.Context, q concord.BookingQuery) ([]concord.Booking, error) {
	if q.Member == "" {
		return nil, concord.Errorf(concord.EINVALID, "bookings: no member")
	}
	w := db.where()
	w.add("b.member = ?", q.Member)
	if q.Locator != "" {
		w.add("b.locator = ?", q.Locator)
	}
	query := `SELECT ` + bookingCols + ` FROM pnr_bookings b WHERE ` + w.String() + ` ORDER BY b.last_seen DESC, b.id`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		w.args = append(w.args, q.Limit)
	}
	rows, err := db.query(ctx, query, w.args...)
	bs, err := scanAll(rows, err, func(s scanner, b *concord.Booking) error { return scanBooking(s, b) })
	return bs, db.wrap("store.Bookings", err)
}

// Booking returns a booking of member and its versions, each whole or,
// once depersonalised, masked.
func (db *DB) Booking(ctx context.Context, member, id string) (*concord.Booking, []concord.BookingVersion, error) {
	rows, err := db.query(ctx, `SELECT `+bookingCols+` FROM pnr_bookings b WHERE b.id = ? AND b.member = ?`, id, member)
	bs, err := scanAll(rows, err, func(s scanner, b *concord.Booking) error { return scanBooking(s, b) })
	if err != nil {
		return nil, nil, db.wrap("store.Booking", err)
	}
	if len(bs) == 0 {
		return nil, nil, bookingNotFound(id)
	}
	rows, err = db.query(ctx, `SELECT booking_id, n, received, source, digest, changes, COALESCE(personal, masked),
		personal IS NULL, depersonalised_at FROM pnr_versions WHERE booking_id = ? AND member = ? ORDER BY n`, id, member)
	vs, err := scanAll(rows, err, func(s scanner, v *concord.BookingVersion) error {
		var changes []byte
		if err := s.Scan(&v.BookingID, &v.N, tm{&v.Received}, &v.Source, &v.Digest, &changes, (*[]byte)(&v.Data),
			&v.Masked, ntm{&v.DepersonalisedAt}); err != nil {
			return err
		}
		return json.Unmarshal(changes, &v.Changes)
	})
	if err != nil {
		return nil, nil, db.wrap("store.Booking", err)
	}
	return &bs[0], vs, nil
}

// Repersonalise returns the sealed whole of a depersonalised version of a
// booking of member, and records the reviewer and the reason in the audit
// in the same transaction.
func (db *DB) Repersonalise(ctx context.Context, member, id string, n int, reviewer, reason string) ([]byte, error) {
	if err := checkDecision(concord.AlertConfirmed, reviewer, reason); err != nil {
		return nil, err
	}
	var sealed []byte
	err := db.audited(ctx, "store.Repersonalise", change{Action: "pnr.repersonalise", Object: id + "/" + strconv.Itoa(n), Detail: reviewer + ": " + reason},
		func(t *tx, _ *change) error {
			var masked bool
			err := t.row(ctx, `SELECT sealed, personal IS NULL FROM pnr_versions WHERE booking_id = ? AND n = ? AND member = ?`,
				id, n, member).Scan(&sealed, &masked)
			if errors.Is(err, sql.ErrNoRows) {
				return concord.Errorf(concord.ENOTFOUND, "booking %q has no version %d", id, n)
			}
			if err != nil {
				return err
			}
			if !masked {
				return concord.Errorf(concord.EINVALID, "version %d of booking %s is not depersonalised: it is shown whole", n, id)
			}
			return nil
		})
	return sealed, err
}
