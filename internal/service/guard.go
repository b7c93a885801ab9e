package service

import (
	"strconv"
	"strings"

	"concord"
)

// guard says whether the generic entity paths (entity, statements,
// history, contributions, export) may serve e: a case's records are served
// by the case operations only (which apply the minors' rules and audit a
// purpose), and a minor's record (concord.IsMinorRecord) only with a
// stated purpose. e is one the viewer sees, so the refusal tells nothing
// the viewer may not know.
func guard(e *concord.Entity, purpose string) error {
	if concord.IsCaseSchema(e.Schema) {
		c := e.ID
		if e.Schema != concord.SchemaCase {
			c = e.First("case")
		}
		return concord.Errorf(concord.EINVALID, "%s is a record of case %s: read and change it through the case (/v1/cases/%s)", e.ID, c, c)
	}
	if concord.IsMinorRecord(e) && strings.TrimSpace(purpose) == "" {
		return concord.Errorf(concord.EINVALID, "%s is a minor's record: state the purpose of the read (purpose)", e.ID)
	}
	return nil
}

// guardDetail is the audit detail of a read that guard judged.
func guardDetail(gerr error, purpose string) string {
	switch {
	case gerr != nil:
		return "refused: " + concord.ErrorMessage(gerr)
	case strings.TrimSpace(purpose) != "":
		return "purpose=" + strconv.Quote(strings.TrimSpace(purpose))
	}
	return ""
}

// Served reports whether a bulk read (an export) may include e: not a
// case's record, not a minor's.
func Served(e *concord.Entity) bool {
	return !concord.IsCaseSchema(e.Schema) && !concord.IsMinorRecord(e)
}
