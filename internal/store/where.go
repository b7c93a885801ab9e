package store

import (
	"slices"
	"strings"

	"concord"
)

// where is a SQL condition (ANDed terms with ? placeholders) and its
// arguments, in the order the placeholders appear.
type where struct {
	d     dialect
	conds []string
	args  []any
}

func (db *DB) where() *where { return &where{d: db.d} }

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col is one of vals" (never true for no value).
func (w *where) in(col string, vals []string) { in(w, col, vals) }

// in adds "col is one of vals" to w.
func in[T any](w *where, col string, vals []T) {
	switch {
	case len(vals) == 0:
		w.add("FALSE")
	case w.d.arrays():
		w.add(col+" = ANY(?)", vals)
	default:
		args := make([]any, len(vals))
		for i, v := range vals {
			args[i] = v
		}
		w.add(col+" IN ("+marks(len(vals))+")", args...)
	}
}

// oneOf is the condition "col is one of vals" with its arguments.
func (db *DB) oneOf(col string, vals []string) (string, []any) {
	w := db.where()
	w.in(col, vals)
	return w.String(), w.args
}

func (w *where) clone() *where {
	return &where{d: w.d, conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// visible compiles f into the condition concord.Filter.Allows describes.
func (db *DB) visible(f concord.Filter) *where {
	w := db.where()
	if !f.IncludeRetracted {
		w.add("NOT retracted")
	}
	if f.All {
		return w
	}
	var or []string
	var args []any
	if f.Member != "" {
		or = append(or, "contributed_by = ?")
		args = append(args, f.Member)
	}
	if len(f.Audiences) > 0 && len(f.Handlings) > 0 {
		shared := db.where()
		shared.in("audience", toStrings(f.Audiences))
		shared.in("handling", toStrings(f.Handlings))
		or = append(or, "("+shared.String()+")")
		args = append(args, shared.args...)
	}
	if len(or) == 0 {
		w.add("FALSE")
	} else {
		w.add("("+strings.Join(or, " OR ")+")", args...)
	}
	return w
}

// toStrings converts values of a string type.
func toStrings[S ~string](vals []S) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}
