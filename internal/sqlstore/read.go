package sqlstore

import (
	"slices"

	"concord"
)

// EntityPage is how many entities EachEntity assembles per query.
const EntityPage = 500

// Emit assembles the statements of one page (seq order) and calls fn in the
// order of ids.
func Emit(ids []string, stmts []concord.Statement, schemata []string, fn func(*concord.Entity) error) error {
	byID := map[string]*concord.Entity{}
	for _, e := range concord.Assemble(stmts) {
		byID[e.ID] = e
	}
	for _, id := range ids {
		e := byID[id]
		if e == nil || (len(schemata) > 0 && !slices.Contains(schemata, e.Schema)) {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
