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
func (w *where) in(col string, vals []string) {
	cond, args := w.d.oneOf(col, vals)
	w.add(cond, args...)
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
		aud, aargs := db.d.oneOf("audience", toStrings(f.Audiences))
		hnd, hargs := db.d.oneOf("handling", toStrings(f.Handlings))
		or = append(or, "("+aud+" AND "+hnd+")")
		args = append(append(args, aargs...), hargs...)
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
