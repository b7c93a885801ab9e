package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"concord"
	"concord/internal/sqlstore"
)

// queryer is what both a connection and a transaction offer.
type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// read runs fn on a pooled connection.
func (db *DB) read(ctx context.Context, op string, fn func(q queryer) error) error {
	return wrap(op, db.with(ctx, func(c *pgxpool.Conn) error { return fn(c) }))
}

// Members lists the members by id.
func (db *DB) Members(ctx context.Context) ([]concord.Member, error) {
	var out []concord.Member
	err := db.read(ctx, "postgres.Members", func(q queryer) (err error) {
		out, err = members(ctx, q, `ORDER BY id`)
		return err
	})
	return out, err
}

// Member returns one member or ENOTFOUND.
func (db *DB) Member(ctx context.Context, id string) (*concord.Member, error) {
	var ms []concord.Member
	err := db.read(ctx, "postgres.Member", func(q queryer) (err error) {
		ms, err = members(ctx, q, `WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "member %q not found", id)
	}
	return &ms[0], nil
}

func members(ctx context.Context, q queryer, tail string, args ...any) ([]concord.Member, error) {
	rows, err := q.Query(ctx, `SELECT id, country, agency, name, region, joined, co_chair FROM coalition_members `+tail, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.Member, error) {
		var m concord.Member
		err := r.Scan(&m.ID, &m.Country, &m.Agency, &m.Name, &m.Region, &m.Joined, &m.CoChair)
		return m, err
	})
	if out == nil {
		out = []concord.Member{}
	}
	return out, err
}

// PutMember creates or replaces a member.
func (db *DB) PutMember(ctx context.Context, m *concord.Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.audited(ctx, "postgres.PutMember", sqlstore.Change{Action: "member.put", Object: m.ID, Detail: m.Name},
		func(tx pgx.Tx, _ *sqlstore.Change) error { return putMember(ctx, tx, m) })
}

func putMember(ctx context.Context, q queryer, m *concord.Member) error {
	_, err := q.Exec(ctx, `INSERT INTO coalition_members (id, country, agency, name, region, joined, co_chair)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET country = excluded.country, agency = excluded.agency,
		name = excluded.name, region = excluded.region, joined = excluded.joined, co_chair = excluded.co_chair`,
		m.ID, m.Country, m.Agency, m.Name, m.Region, m.Joined, m.CoChair)
	return err
}

// DeleteMember deletes a member. A member that still belongs to (or leads) a
// group is not deleted: ECONFLICT names the groups, which must drop it first,
// because silently narrowing a group would change who sees what.
func (db *DB) DeleteMember(ctx context.Context, id string) error {
	return db.audited(ctx, "postgres.DeleteMember", sqlstore.Change{Action: "member.delete", Object: id}, func(tx pgx.Tx, _ *sqlstore.Change) error {
		groups, err := memberGroups(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(groups) > 0 {
			return concord.Errorf(concord.ECONFLICT, "member %s still belongs to groups %s", id, strings.Join(groups, ", "))
		}
		tag, err := tx.Exec(ctx, `DELETE FROM coalition_members WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			return concord.Errorf(concord.ENOTFOUND, "member %q not found", id)
		}
		return err
	})
}

// Groups lists the groups by id.
func (db *DB) Groups(ctx context.Context) ([]concord.Group, error) {
	var out []concord.Group
	err := db.read(ctx, "postgres.Groups", func(q queryer) (err error) {
		out, err = groups(ctx, q, `ORDER BY id`)
		return err
	})
	return out, err
}

// Group returns one group or ENOTFOUND.
func (db *DB) Group(ctx context.Context, id string) (*concord.Group, error) {
	var gs []concord.Group
	err := db.read(ctx, "postgres.Group", func(q queryer) (err error) {
		gs, err = groups(ctx, q, `WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "group %q not found", id)
	}
	return &gs[0], nil
}

func groups(ctx context.Context, q queryer, tail string, args ...any) ([]concord.Group, error) {
	rows, err := q.Query(ctx, `SELECT id, name, kind, description, version FROM coalition_groups `+tail, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.Group, error) {
		g := concord.Group{Members: []string{}}
		err := r.Scan(&g.ID, &g.Name, &g.Kind, &g.Description, &g.Version)
		return g, err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []concord.Group{}
	}
	for i := range out {
		g := &out[i]
		for _, l := range []struct {
			dst   *[]string
			query string
		}{
			{&g.Members, `SELECT member_id FROM group_members WHERE group_id = $1 ORDER BY pos`},
			{&g.Leads, `SELECT member_id FROM group_leads WHERE group_id = $1 ORDER BY pos`},
			{&g.Partners, `SELECT partner FROM group_partners WHERE group_id = $1 ORDER BY pos`},
		} {
			vals, err := strs(ctx, q, l.query, g.ID)
			if err != nil {
				return nil, err
			}
			if len(vals) > 0 || l.dst == &g.Members {
				*l.dst = vals
			}
		}
	}
	return out, nil
}

func strs(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if out == nil {
		out = []string{}
	}
	return out, err
}

// PutGroup creates or replaces a group; its version becomes the stored one
// plus one (1 for a new group) and is set on g.
func (db *DB) PutGroup(ctx context.Context, g *concord.Group) error {
	if err := g.Validate(nil); err != nil {
		return err
	}
	return db.audited(ctx, "postgres.PutGroup", sqlstore.Change{Action: "group.put", Object: g.ID}, func(tx pgx.Tx, ch *sqlstore.Change) error {
		known, err := strs(ctx, tx, `SELECT id FROM coalition_members`)
		if err != nil {
			return err
		}
		set := map[string]bool{}
		for _, id := range known {
			set[id] = true
		}
		if err := g.Validate(set); err != nil {
			return err
		}
		v, err := putGroup(ctx, tx, g, 0)
		if err != nil {
			return err
		}
		g.Version = v
		ch.Detail = "version " + strconv.Itoa(v)
		return nil
	})
}

// putGroup writes g with the given version, or (version 0) with the stored
// version plus one, atomically; it returns the version written.
func putGroup(ctx context.Context, q queryer, g *concord.Group, version int) (int, error) {
	next := "excluded.version"
	if version == 0 {
		version, next = 1, "coalition_groups.version + 1"
	}
	rows, err := q.Query(ctx, `INSERT INTO coalition_groups (id, name, kind, description, version) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, description = excluded.description,
		version = `+next+` RETURNING version`, g.ID, g.Name, g.Kind, g.Description, version)
	if err != nil {
		return 0, err
	}
	if version, err = pgx.CollectExactlyOneRow(rows, pgx.RowTo[int]); err != nil {
		return 0, err
	}
	for _, t := range []string{"group_members", "group_leads", "group_partners"} {
		if _, err := q.Exec(ctx, `DELETE FROM `+t+` WHERE group_id = $1`, g.ID); err != nil {
			return 0, err
		}
	}
	for _, l := range []struct {
		query string
		vals  []string
	}{
		{`INSERT INTO group_members (group_id, pos, member_id) SELECT $1, o - 1, v FROM unnest($2::text[]) WITH ORDINALITY AS u(v, o)`, g.Members},
		{`INSERT INTO group_leads (group_id, pos, member_id) SELECT $1, o - 1, v FROM unnest($2::text[]) WITH ORDINALITY AS u(v, o)`, g.Leads},
		{`INSERT INTO group_partners (group_id, pos, partner) SELECT $1, o - 1, v FROM unnest($2::text[]) WITH ORDINALITY AS u(v, o)`, g.Partners},
	} {
		if len(l.vals) == 0 {
			continue
		}
		if _, err := q.Exec(ctx, l.query, g.ID, l.vals); err != nil {
			return 0, err
		}
	}
	return version, nil
}

// DeleteGroup deletes a group or returns ENOTFOUND.
func (db *DB) DeleteGroup(ctx context.Context, id string) error {
	return db.audited(ctx, "postgres.DeleteGroup", sqlstore.Change{Action: "group.delete", Object: id}, func(tx pgx.Tx, _ *sqlstore.Change) error {
		tag, err := tx.Exec(ctx, `DELETE FROM coalition_groups WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			return concord.Errorf(concord.ENOTFOUND, "group %q not found", id)
		}
		return err
	})
}

// LoadCoalition replaces every member and group with c. Members listed in
// c.CoChairs are marked co-chairs. A group that existed keeps its version if
// unchanged and gets the next one otherwise; new groups start at 1.
func (db *DB) LoadCoalition(ctx context.Context, c *concord.Coalition) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.audited(ctx, "postgres.LoadCoalition", sqlstore.Change{Action: "coalition.load", Object: c.Name,
		Detail: strconv.Itoa(len(c.Members)) + " members, " + strconv.Itoa(len(c.Groups)) + " groups"}, func(tx pgx.Tx, _ *sqlstore.Change) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE coalition_groups, coalition_members IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		old, err := groups(ctx, tx, ``)
		if err != nil {
			return err
		}
		for _, t := range []string{"coalition_groups", "coalition_members"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		for _, m := range c.Members {
			m.CoChair = m.CoChair || slices.Contains(c.CoChairs, m.ID)
			if err := putMember(ctx, tx, &m); err != nil {
				return err
			}
		}
		for i := range c.Groups {
			g := c.Groups[i]
			if _, err := putGroup(ctx, tx, &g, sqlstore.NextVersion(old, &g)); err != nil {
				return err
			}
		}
		return nil
	})
}

// MemberGroups returns the ids of the groups member belongs to, sorted, or
// ENOTFOUND for an unknown member.
func (db *DB) MemberGroups(ctx context.Context, member string) ([]string, error) {
	if _, err := db.Member(ctx, member); err != nil {
		return nil, err
	}
	var out []string
	err := db.read(ctx, "postgres.MemberGroups", func(q queryer) (err error) {
		out, err = memberGroups(ctx, q, member)
		return err
	})
	return out, err
}

func memberGroups(ctx context.Context, q queryer, member string) ([]string, error) {
	return strs(ctx, q, `SELECT group_id FROM group_members WHERE member_id = $1
		UNION SELECT group_id FROM group_leads WHERE member_id = $1 ORDER BY 1`, member)
}
