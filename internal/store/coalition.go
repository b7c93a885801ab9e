package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"concord"
)

// Members lists the members by id.
func (db *DB) Members(ctx context.Context) ([]concord.Member, error) {
	out, err := members(ctx, db, `ORDER BY id`)
	return out, db.wrap("store.Members", err)
}

// Member returns one member or ENOTFOUND.
func (db *DB) Member(ctx context.Context, id string) (*concord.Member, error) {
	ms, err := members(ctx, db, `WHERE id = ?`, id)
	if err != nil {
		return nil, db.wrap("store.Member", err)
	}
	if len(ms) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "member %q not found", id)
	}
	return &ms[0], nil
}

func members(ctx context.Context, q querier, tail string, args ...any) ([]concord.Member, error) {
	rows, err := q.query(ctx, `SELECT id, country, agency, name, region, joined, co_chair, high_risk FROM coalition_members `+tail, args...)
	return scanAll(rows, err, func(s scanner, m *concord.Member) error {
		var hr string
		defer func() {
			if hr != "" {
				m.HighRisk = splitList(hr)
			}
		}()
		return s.Scan(&m.ID, &m.Country, &m.Agency, &m.Name, &m.Region, &m.Joined, &m.CoChair, &hr)
	})
}

// PutMember creates or replaces a member.
func (db *DB) PutMember(ctx context.Context, m *concord.Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.audited(ctx, "store.PutMember", change{Action: "member.put", Object: m.ID, Detail: m.Name},
		func(t *tx, _ *change) error {
			t.changed(concord.ChangeCoalition, "member:"+m.ID)
			return putMember(ctx, t, m)
		})
}

func putMember(ctx context.Context, t *tx, m *concord.Member) error {
	_, err := t.exec(ctx, `INSERT INTO coalition_members (id, country, agency, name, region, joined, co_chair, high_risk)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET country = excluded.country, agency = excluded.agency,
		name = excluded.name, region = excluded.region, joined = excluded.joined, co_chair = excluded.co_chair,
		high_risk = excluded.high_risk`,
		m.ID, m.Country, m.Agency, m.Name, m.Region, m.Joined, m.CoChair, strings.Join(m.HighRisk, ","))
	return err
}

// DeleteMember deletes a member. A member that still belongs to (or leads) a
// group is not deleted: ECONFLICT names the groups, which must drop it first,
// because silently narrowing a group would change who sees what.
func (db *DB) DeleteMember(ctx context.Context, id string) error {
	return db.audited(ctx, "store.DeleteMember", change{Action: "member.delete", Object: id}, func(t *tx, _ *change) error {
		groups, err := memberGroups(ctx, t, id)
		if err != nil {
			return err
		}
		if len(groups) > 0 {
			return concord.Errorf(concord.ECONFLICT, "member %s still belongs to groups %s", id, strings.Join(groups, ", "))
		}
		t.changed(concord.ChangeCoalition, "member:"+id)
		return mustAffect(t.exec(ctx, `DELETE FROM coalition_members WHERE id = ?`, id))(
			concord.Errorf(concord.ENOTFOUND, "member %q not found", id))
	})
}

// Groups lists the groups by id.
func (db *DB) Groups(ctx context.Context) ([]concord.Group, error) {
	out, err := groups(ctx, db, `ORDER BY id`)
	return out, db.wrap("store.Groups", err)
}

// Group returns one group or ENOTFOUND.
func (db *DB) Group(ctx context.Context, id string) (*concord.Group, error) {
	gs, err := groups(ctx, db, `WHERE id = ?`, id)
	if err != nil {
		return nil, db.wrap("store.Group", err)
	}
	if len(gs) == 0 {
		return nil, concord.Errorf(concord.ENOTFOUND, "group %q not found", id)
	}
	return &gs[0], nil
}

func groups(ctx context.Context, q querier, tail string, args ...any) ([]concord.Group, error) {
	rows, err := q.query(ctx, `SELECT id, name, kind, description, version FROM coalition_groups `+tail, args...)
	out, err := scanAll(rows, err, func(s scanner, g *concord.Group) error {
		g.Members = []string{}
		return s.Scan(&g.ID, &g.Name, &g.Kind, &g.Description, &g.Version)
	})
	if err != nil {
		return nil, err
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
				return nil, err
			}
			if len(vals) > 0 || l.dst == &g.Members {
				*l.dst = vals
			}
		}
	}
	return out, nil
}

// PutGroup creates or replaces a group; its version becomes the stored one
// plus one (1 for a new group) and is set on g.
func (db *DB) PutGroup(ctx context.Context, g *concord.Group) error {
	if err := g.Validate(nil); err != nil {
		return err
	}
	return db.audited(ctx, "store.PutGroup", change{Action: "group.put", Object: g.ID}, func(t *tx, ch *change) error {
		known, err := strs(ctx, t, `SELECT id FROM coalition_members`)
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
		v, err := putGroup(ctx, t, g, 0)
		if err != nil {
			return err
		}
		g.Version = v
		ch.Detail = "version " + strconv.Itoa(v)
		t.changed(concord.ChangeCoalition, "group:"+g.ID)
		return nil
	})
}

// putGroup writes g with the given version, or (version 0) with the stored
// version plus one; it returns the version written.
func putGroup(ctx context.Context, t *tx, g *concord.Group, version int) (int, error) {
	next := "excluded.version"
	if version == 0 {
		version, next = 1, "coalition_groups.version + 1"
	}
	if err := t.row(ctx, `INSERT INTO coalition_groups (id, name, kind, description, version) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, description = excluded.description,
		version = `+next+` RETURNING version`, g.ID, g.Name, g.Kind, g.Description, version).Scan(&version); err != nil {
		return 0, err
	}
	for _, l := range []struct {
		table, col string
		vals       []string
	}{{"group_members", "member_id", g.Members}, {"group_leads", "member_id", g.Leads}, {"group_partners", "partner", g.Partners}} {
		if _, err := t.exec(ctx, `DELETE FROM `+l.table+` WHERE group_id = ?`, g.ID); err != nil {
			return 0, err
		}
		_, err := insertRows(ctx, t, l.table, []string{"group_id", "pos", l.col}, "", len(l.vals), 100, func(i int, vals []any) []any {
			return append(vals, g.ID, i, l.vals[i])
		})
		if err != nil {
			return 0, err
		}
	}
	return version, nil
}

// DeleteGroup deletes a group or returns ENOTFOUND.
func (db *DB) DeleteGroup(ctx context.Context, id string) error {
	return db.audited(ctx, "store.DeleteGroup", change{Action: "group.delete", Object: id}, func(t *tx, _ *change) error {
		t.changed(concord.ChangeCoalition, "group:"+id)
		return mustAffect(t.exec(ctx, `DELETE FROM coalition_groups WHERE id = ?`, id))(
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
	return db.audited(ctx, "store.LoadCoalition", change{Action: "coalition.load", Object: c.Name,
		Detail: strconv.Itoa(len(c.Members)) + " members, " + strconv.Itoa(len(c.Groups)) + " groups"}, func(t *tx, _ *change) error {
		old, err := groups(ctx, t, ``)
		if err != nil {
			return err
		}
		t.changed(concord.ChangeCoalition)
		for _, table := range []string{"coalition_groups", "coalition_members"} {
			if _, err := t.exec(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		for _, m := range c.Members {
			m.CoChair = m.CoChair || slices.Contains(c.CoChairs, m.ID)
			if err := putMember(ctx, t, &m); err != nil {
				return err
			}
		}
		for i := range c.Groups {
			g := c.Groups[i]
			if _, err := putGroup(ctx, t, &g, nextVersion(old, &g)); err != nil {
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
	out, err := memberGroups(ctx, db, member)
	return out, db.wrap("store.MemberGroups", err)
}

func memberGroups(ctx context.Context, q querier, member string) ([]string, error) {
	return strs(ctx, q, `SELECT group_id FROM group_members WHERE member_id = ?
		UNION SELECT group_id FROM group_leads WHERE member_id = ? ORDER BY 1`, member, member)
}
