package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"concord"
	"concord/internal/sqlstore"
)

// Members lists the members by id.
func (db *DB) Members(ctx context.Context) ([]concord.Member, error) {
	return members(ctx, db.r, `ORDER BY id`)
}

// Member returns one member or ENOTFOUND.
func (db *DB) Member(ctx context.Context, id string) (*concord.Member, error) {
	ms, err := members(ctx, db.rs, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "member %q not found", id)
	}
	return &ms[0], nil
}

// querier is a pool, a statement cache or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func members(ctx context.Context, q querier, tail string, args ...any) ([]concord.Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, country, agency, name, region, joined, co_chair FROM coalition_members `+tail, args...)
	if err != nil {
		return nil, wrap("sqlite.Members", err)
	}
	defer rows.Close()
	out := []concord.Member{}
	for rows.Next() {
		var m concord.Member
		if err := rows.Scan(&m.ID, &m.Country, &m.Agency, &m.Name, &m.Region, &m.Joined, &m.CoChair); err != nil {
			return nil, wrap("sqlite.Members", err)
		}
		out = append(out, m)
	}
	return out, wrap("sqlite.Members", rows.Err())
}

// PutMember creates or replaces a member.
func (db *DB) PutMember(ctx context.Context, m *concord.Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.audited(ctx, "sqlite.PutMember", sqlstore.Change{Action: "member.put", Object: m.ID, Detail: m.Name},
		func(tx *sql.Tx, _ *sqlstore.Change) error { return putMember(ctx, tx, m) })
}

func putMember(ctx context.Context, tx *sql.Tx, m *concord.Member) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO coalition_members (id, country, agency, name, region, joined, co_chair)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET country = excluded.country, agency = excluded.agency,
		name = excluded.name, region = excluded.region, joined = excluded.joined, co_chair = excluded.co_chair`,
		m.ID, m.Country, m.Agency, m.Name, m.Region, m.Joined, m.CoChair)
	return err
}

// DeleteMember deletes a member. A member that still belongs to (or leads) a
// group is not deleted: ECONFLICT names the groups, which must drop it first,
// because silently narrowing a group would change who sees what.
func (db *DB) DeleteMember(ctx context.Context, id string) error {
	return db.audited(ctx, "sqlite.DeleteMember", sqlstore.Change{Action: "member.delete", Object: id}, func(tx *sql.Tx, _ *sqlstore.Change) error {
		groups, err := memberGroups(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(groups) > 0 {
			return concord.Errorf(concord.ECONFLICT, "member %s still belongs to groups %s", id, strings.Join(groups, ", "))
		}
		return mustAffect(tx.ExecContext(ctx, `DELETE FROM coalition_members WHERE id = ?`, id))(
			concord.Errorf(concord.ENOTFOUND, "member %q not found", id))
	})
}

// Groups lists the groups by id.
func (db *DB) Groups(ctx context.Context) ([]concord.Group, error) {
	return groups(ctx, db.r, `ORDER BY id`)
}

// Group returns one group or ENOTFOUND.
func (db *DB) Group(ctx context.Context, id string) (*concord.Group, error) {
	gs, err := groups(ctx, db.r, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "group %q not found", id)
	}
	return &gs[0], nil
}

func groups(ctx context.Context, q querier, tail string, args ...any) ([]concord.Group, error) {
	const op = "sqlite.Groups"
	rows, err := q.QueryContext(ctx, `SELECT id, name, kind, description, version FROM coalition_groups `+tail, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	out := []concord.Group{}
	for rows.Next() {
		var g concord.Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Kind, &g.Description, &g.Version); err != nil {
			rows.Close()
			return nil, wrap(op, err)
		}
		g.Members = []string{}
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(op, err)
	}
	for i := range out {
		g := &out[i]
		for _, l := range []struct {
			dst   *[]string
			query string
		}{
			{&g.Members, `SELECT member_id FROM group_members WHERE group_id = ? ORDER BY pos`},
			{&g.Leads, `SELECT member_id FROM group_leads WHERE group_id = ? ORDER BY pos`},
			{&g.Partners, `SELECT partner FROM group_partners WHERE group_id = ? ORDER BY pos`},
		} {
			vals, err := strs(ctx, q, l.query, g.ID)
			if err != nil {
				return nil, wrap(op, err)
			}
			if len(vals) > 0 || l.dst == &g.Members {
				*l.dst = vals
			}
		}
	}
	return out, nil
}

func strs(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// PutGroup creates or replaces a group; its version becomes the stored one
// plus one (1 for a new group) and is set on g.
func (db *DB) PutGroup(ctx context.Context, g *concord.Group) error {
	if err := g.Validate(nil); err != nil {
		return err
	}
	return db.audited(ctx, "sqlite.PutGroup", sqlstore.Change{Action: "group.put", Object: g.ID}, func(tx *sql.Tx, ch *sqlstore.Change) error {
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
// version plus one; it returns the version written.
func putGroup(ctx context.Context, tx *sql.Tx, g *concord.Group, version int) (int, error) {
	next := "excluded.version"
	if version == 0 {
		version, next = 1, "coalition_groups.version + 1"
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO coalition_groups (id, name, kind, description, version) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, description = excluded.description,
		version = `+next+` RETURNING version`, g.ID, g.Name, g.Kind, g.Description, version).Scan(&version); err != nil {
		return 0, err
	}
	for _, t := range []string{"group_members", "group_leads", "group_partners"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE group_id = ?`, g.ID); err != nil {
			return 0, err
		}
	}
	for _, l := range []struct {
		query string
		vals  []string
	}{
		{`INSERT INTO group_members (group_id, pos, member_id) VALUES (?, ?, ?)`, g.Members},
		{`INSERT INTO group_leads (group_id, pos, member_id) VALUES (?, ?, ?)`, g.Leads},
		{`INSERT INTO group_partners (group_id, pos, partner) VALUES (?, ?, ?)`, g.Partners},
	} {
		for i, v := range l.vals {
			if _, err := tx.ExecContext(ctx, l.query, g.ID, i, v); err != nil {
				return 0, err
			}
		}
	}
	return version, nil
}

// DeleteGroup deletes a group or returns ENOTFOUND.
func (db *DB) DeleteGroup(ctx context.Context, id string) error {
	return db.audited(ctx, "sqlite.DeleteGroup", sqlstore.Change{Action: "group.delete", Object: id}, func(tx *sql.Tx, _ *sqlstore.Change) error {
		return mustAffect(tx.ExecContext(ctx, `DELETE FROM coalition_groups WHERE id = ?`, id))(
			concord.Errorf(concord.ENOTFOUND, "group %q not found", id))
	})
}

// LoadCoalition replaces every member and group with c. Members listed in
// c.CoChairs are marked co-chairs. A group that existed keeps its version if
// unchanged and gets the next one otherwise; new groups start at 1.
func (db *DB) LoadCoalition(ctx context.Context, c *concord.Coalition) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.audited(ctx, "sqlite.LoadCoalition", sqlstore.Change{Action: "coalition.load", Object: c.Name,
		Detail: strconv.Itoa(len(c.Members)) + " members, " + strconv.Itoa(len(c.Groups)) + " groups"}, func(tx *sql.Tx, _ *sqlstore.Change) error {
		old, err := groups(ctx, tx, ``)
		if err != nil {
			return err
		}
		for _, t := range []string{"coalition_groups", "coalition_members"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
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
	out, err := memberGroups(ctx, db.rs, member)
	return out, wrap("sqlite.MemberGroups", err)
}

func memberGroups(ctx context.Context, q querier, member string) ([]string, error) {
	return strs(ctx, q, `SELECT group_id FROM group_members WHERE member_id = ?
		UNION SELECT group_id FROM group_leads WHERE member_id = ? ORDER BY 1`, member, member)
}

// mustAffect turns a result that affected no row into the given error.
func mustAffect(res sql.Result, err error) func(error) error {
	return func(missing error) error {
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return missing
		}
		return nil
	}
}
