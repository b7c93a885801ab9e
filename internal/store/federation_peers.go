package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"concord"
)

const peerCols = `id, member, public_key, url, relay, node_id, cursor, bundle, last_sync, added_at`

func scanPeer(s scanner, p *concord.Peer) error {
	var last *time.Time
	if err := s.Scan(&p.ID, &p.Member, &p.PublicKey, &p.URL, &p.Relay, &p.NodeID, &p.Cursor, &p.Bundle, ntm{&last}, tm{&p.AddedAt}); err != nil {
		return err
	}
	if last != nil {
		p.LastSync = *last
	}
	return nil
}

// Peers lists the configured peers by id.
func (db *DB) Peers(ctx context.Context) ([]concord.Peer, error) {
	rows, err := db.query(ctx, `SELECT `+peerCols+` FROM fed_peers ORDER BY id`)
	out, err := scanAll(rows, err, scanPeer)
	return out, db.wrap("store.Peers", err)
}

// Peer returns one peer, or ENOTFOUND.
func (db *DB) Peer(ctx context.Context, id string) (*concord.Peer, error) {
	const op = "store.Peer"
	var p concord.Peer
	err := scanPeer(db.row(ctx, `SELECT `+peerCols+` FROM fed_peers WHERE id = ?`, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &concord.Error{Code: concord.ENOTFOUND, Op: op, Message: "peer " + id + " not found"}
	}
	if err != nil {
		return nil, db.wrap(op, err)
	}
	return &p, nil
}

// PutPeer adds a peer or updates its member, key, URL and relay flag; its
// cursor, node id and bundle number are kept (set them to reset them on a
// new peer only).
func (db *DB) PutPeer(ctx context.Context, p *concord.Peer) error {
	if !concord.ValidSlug(p.ID) {
		return concord.Errorf(concord.EINVALID, "peer id %q: want lower-case letters, digits and dashes", p.ID)
	}
	if p.Member == "" || p.PublicKey == "" {
		return concord.Errorf(concord.EINVALID, "peer %s: member and public key are required", p.ID)
	}
	return db.audited(ctx, "store.PutPeer", change{Action: "peer", Object: "peer:" + p.ID, Detail: p.Member + " " + p.PublicKey},
		func(t *tx, ch *change) error {
			if _, err := t.exec(ctx, `INSERT INTO fed_peers (`+peerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
				ON CONFLICT (id) DO UPDATE SET member = excluded.member, public_key = excluded.public_key,
				url = excluded.url, relay = excluded.relay`,
				p.ID, p.Member, p.PublicKey, p.URL, p.Relay, p.NodeID, p.Cursor, p.Bundle, db.now()); err != nil {
				return err
			}
			t.changed(concord.ChangeCoalition, "peer:"+p.ID)
			return nil
		})
}

// DeletePeer removes a peer (what it sent stays).
func (db *DB) DeletePeer(ctx context.Context, id string) error {
	return db.audited(ctx, "store.DeletePeer", change{Action: "peer-delete", Object: "peer:" + id}, func(t *tx, ch *change) error {
		res, err := t.exec(ctx, `DELETE FROM fed_peers WHERE id = ?`, id)
		if err := mustAffect(res, err)(concord.Errorf(concord.ENOTFOUND, "peer %s not found", id)); err != nil {
			return err
		}
		t.changed(concord.ChangeCoalition, "peer:"+id)
		return nil
	})
}

// RecordExport records a bundle exported to rec.Member: ECONFLICT when
// its number is taken (another export ran meanwhile).
func (db *DB) RecordExport(ctx context.Context, rec *concord.ExportRecord) error {
	return db.audited(ctx, "store.RecordExport", change{Action: "bundle-export", Object: "member:" + rec.Member,
		Detail: "bundle " + itoa(rec.Number) + " continues " + itoa(rec.Base)}, func(t *tx, ch *change) error {
		_, err := t.exec(ctx, `INSERT INTO fed_exports (member, number, base, since_seq, until_seq, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			rec.Member, rec.Number, rec.Base, rec.Since, rec.Until, db.now())
		return err
	})
}

// NodeMember returns the member this node serves ("" until set).
func (db *DB) NodeMember(ctx context.Context) (string, error) {
	var m string
	err := db.row(ctx, `SELECT value FROM fed_meta WHERE key = 'member'`).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return m, db.wrap("store.NodeMember", err)
}

// SetNodeMember sets the member this node serves.
func (db *DB) SetNodeMember(ctx context.Context, member string) error {
	if _, err := db.Member(ctx, member); err != nil {
		return err
	}
	return db.audited(ctx, "store.SetNodeMember", change{Action: "node-member", Object: "member:" + member}, func(t *tx, ch *change) error {
		_, err := t.exec(ctx, `INSERT INTO fed_meta (key, value) VALUES ('member', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, member)
		return err
	})
}

// Exports lists the bundles exported to member, oldest first.
func (db *DB) Exports(ctx context.Context, member string) ([]concord.ExportRecord, error) {
	rows, err := db.query(ctx, `SELECT member, number, base, since_seq, until_seq FROM fed_exports WHERE member = ? ORDER BY number`, member)
	out, err := scanAll(rows, err, func(s scanner, r *concord.ExportRecord) error {
		return s.Scan(&r.Member, &r.Number, &r.Base, &r.Since, &r.Until)
	})
	return out, db.wrap("store.Exports", err)
}
