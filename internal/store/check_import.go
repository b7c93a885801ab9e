// Validation of the statements of an import.

package store

import (
	"slices"
	"strconv"
	"time"

	"concord"
)

// checkStatement validates the i-th statement of a batch of dataset and
// returns its id, computed when the statement has none; own tells that the
// id is the one the store computes (from the dataset among others), which no
// statement of another dataset can have.
func checkStatement(dataset string, i int, s *concord.Statement) (id string, own bool, err error) {
	bad := func(format string, args ...any) (string, bool, error) {
		e := concord.Errorf(concord.EINVALID, format, args...)
		e.Message = "import " + dataset + ": statement " + strconv.Itoa(i+1) + ": " + e.Message
		return "", false, e
	}
	switch {
	case s.EntityID == "":
		return bad("empty entity id")
	case s.Schema == "":
		return bad("entity %s: empty schema", s.EntityID)
	case s.Prop == "":
		return bad("entity %s: empty property", s.EntityID)
	case s.Dataset != "" && s.Dataset != dataset:
		return bad("entity %s: dataset %q in a batch of %q", s.EntityID, s.Dataset, dataset)
	case s.Retracted:
		return bad("entity %s: retracted statement (leave it out of the batch to retract it)", s.EntityID)
	case !slices.Contains(concord.TLPs, s.Handling):
		return bad("entity %s: unknown handling %q", s.EntityID, s.Handling)
	}
	if _, err := concord.ParseAudience(string(s.Audience)); err != nil {
		return bad("entity %s: unknown audience %q", s.EntityID, s.Audience)
	}
	computed := concord.StatementID(s.EntityID, s.Prop, s.Value, s.Lang, dataset, s.ContributedBy)
	if s.ID != "" {
		return s.ID, s.ID == computed, nil
	}
	return computed, true, nil
}

// seen fills zero timestamps with now, as Unix microseconds.
func seen(first, last, now time.Time) (int64, int64) {
	first, last = first.UTC().Truncate(time.Microsecond), last.UTC().Truncate(time.Microsecond)
	switch {
	case first.IsZero() && last.IsZero():
		first, last = now, now
	case first.IsZero():
		first = last
	case last.IsZero():
		last = first
		if now.After(first) {
			last = now
		}
	}
	if last.Before(first) {
		last = first
	}
	return first.UnixMicro(), last.UnixMicro()
}

// entitySchema is the schema concord.Assemble gives an entity whose statements
// state these schemata in this order (the most specific one).
func entitySchema(schemas []string) string {
	if len(schemas) == 1 {
		return schemas[0]
	}
	st := make([]concord.Statement, len(schemas))
	for i, s := range schemas {
		st[i] = concord.Statement{EntityID: "e", Schema: s}
	}
	return concord.Assemble(st)[0].Schema
}
