// SQLite's bulk insert: multi-row INSERTs whose values the rows share are
// bound once.

package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
)

// sqliteGroup is how many rows one INSERT of sqliteInsert writes.
const sqliteGroup = 500

// Column modes of a group of rows in sqliteInsert.
const (
	colRow    = 'r' // a parameter per row
	colShared = 's' // one parameter for every row of the group
	colSeq    = 'n' // one parameter, plus the row's offset in the group (1, 2, 3, …)
)

// sqliteInsert inserts n rows into table, sqliteGroup at a time, and
// returns the rows inserted (or updated by conflict, an ON CONFLICT
// clause); row appends the values of row i. A column whose value is the
// same in every row of a group (the dataset, the audience, the handling,
// an empty lang, often the schema and times of an import) is one numbered
// parameter for the whole group (VALUES (?1, ?3, …), (?1, ?4, …)), and an
// integer column counting up by one (seq) is one parameter plus each
// row's offset: binding is most of what the driver costs per value (a copy
// of every text into C memory, a call per parameter through database/sql
// and into SQLite, the parameter cleared again after the step), and a
// statement's rows bind a third of the values they did. The statements
// are prepared on the driver's connection, once per shape of group, and
// executed there with their arguments as the driver takes them; they stay
// prepared until the transaction ends (t.prepared), as an import runs the
// same few shapes for every chunk.
func sqliteInsert(ctx context.Context, t *tx, table string, cols []string, conflict string, n int, row func(i int, vals []any) []any) (int64, error) {
	nc := len(cols)
	if nc == 0 || n == 0 {
		return 0, nil
	}
	group := min(sqliteGroup, max(1, 32766/nc))
	var affected int64
	err := t.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("store: the SQLite driver's connection %T cannot prepare", dc)
		}
		if t.prepared == nil {
			t.prepared = map[string]driver.Stmt{}
		}
		stmts := t.prepared
		name := table + "\x00" + strings.Join(cols, ",") + "\x00" + conflict + "\x00"
		vals := make([]any, 0, group*nc)
		modes := make([]byte, nc)
		args := make([]driver.NamedValue, 0, group*nc)
		for start := 0; start < n; start += group {
			rows := min(group, n-start)
			vals = vals[:0]
			for i := start; i < start+rows; i++ {
				vals = row(i, vals)
			}
			if len(vals) != rows*nc {
				return fmt.Errorf("store: insert into %s: %d values for %d rows of %d columns", table, len(vals), rows, nc)
			}
			for j, v := range vals {
				var err error
				if vals[j], err = driverValue(v); err != nil {
					return fmt.Errorf("store: insert into %s, column %s: %w", table, cols[j%nc], err)
				}
			}
			shape(modes, vals, rows)
			key := name + string(modes) + strconv.Itoa(rows)
			st := stmts[key]
			if st == nil {
				var err error
				if st, err = conn.PrepareContext(ctx, sharedInsert(table, cols, conflict, modes, rows)); err != nil {
					return err
				}
				stmts[key] = st
			}
			args = args[:0]
			for c, m := range modes {
				if m != colRow {
					v := vals[c]
					if m == colSeq {
						v = vals[c].(int64) - 1
					}
					args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: v})
				}
			}
			for r := range rows {
				for c, m := range modes {
					if m == colRow {
						args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: vals[r*nc+c]})
					}
				}
			}
			res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			affected += k
		}
		return nil
	})
	return affected, err
}

// driverValue is v as the driver binds it: times as SQLite's Unix
// microseconds, other integers as int64 (what database/sql's default
// converter does).
func driverValue(v any) (any, error) {
	switch x := v.(type) {
	case string, int64, nil, bool, float64, []byte:
		return v, nil
	case int:
		return int64(x), nil
	}
	return driver.DefaultParameterConverter.ConvertValue(sqliteDialect{}.arg(v))
}

// shape sets the mode of each column of a group of rows (vals, row after
// row): shared when every row has the first row's value, a sequence when an
// int64 column counts up by one from the first row, else one value per row.
// Only strings, integers and booleans are compared.
func shape(modes []byte, vals []any, rows int) {
	nc := len(modes)
	for c := range modes {
		modes[c] = colRow
		if rows == 1 {
			continue
		}
		switch first := vals[c].(type) {
		case string:
			if sameInRows(vals, nc, c, rows, first) {
				modes[c] = colShared
			}
		case bool:
			if sameInRows(vals, nc, c, rows, first) {
				modes[c] = colShared
			}
		case int64:
			if sameInRows(vals, nc, c, rows, first) {
				modes[c] = colShared
				break
			}
			modes[c] = colSeq
			for r := 1; r < rows; r++ {
				if k, ok := vals[r*nc+c].(int64); !ok || k != first+int64(r) {
					modes[c] = colRow
					break
				}
			}
		}
	}
}

// sameInRows reports whether column c holds first, of first's type, in every
// one of rows rows of nc columns.
func sameInRows[T comparable](vals []any, nc, c, rows int, first T) bool {
	for r := 1; r < rows; r++ {
		if v, ok := vals[r*nc+c].(T); !ok || v != first {
			return false
		}
	}
	return true
}

// sharedInsert is the INSERT of rows rows into table whose columns have
// modes. The shared and sequence columns come first in every row, their
// parameters numbered ?1, ?2, …, and each row's own values follow as
// anonymous parameters, which SQLite numbers on from there: the driver looks
// up the name of every parameter it binds, and SQLite's lookup walks the
// list of named ones (quadratic when every parameter is numbered).
func sharedInsert(table string, cols []string, conflict string, modes []byte, rows int) string {
	var list []string
	for _, own := range []bool{false, true} {
		for c, m := range modes {
			if (m == colRow) == own {
				list = append(list, cols[c])
			}
		}
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + table + ` (` + strings.Join(list, ", ") + `) VALUES `)
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		k := 0
		for _, m := range modes {
			if m == colRow {
				continue
			}
			k++
			if k > 1 {
				b.WriteByte(',')
			}
			b.WriteString("?" + strconv.Itoa(k))
			if m == colSeq {
				b.WriteString("+" + strconv.Itoa(r+1))
			}
		}
		for _, m := range modes {
			if m == colRow {
				if k > 0 {
					b.WriteByte(',')
				}
				k++
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	if conflict != "" {
		b.WriteString(" " + conflict)
	}
	return b.String()
}
