package match

import "concord/match/score"

// entry is one indexed record, prepared for scoring. Its strings other
// than the id, schema and caption share one slice (vals), read through
// the methods below: at millions of records six slice headers per record
// were a tenth of the index.
type entry struct {
	id, schema, caption string
	names               []name
	dates               []score.Date
	// vals holds, in this order: refs (nRefs), the birth dates as given
	// (one per dates), nationalities (nNats), identifiers normalised and
	// as given (nIDs each), then local: the texts and skeletons of parts
	// the index does not number (part.local, part.unknown), only in
	// entries prepared for one query, never in an indexed one.
	vals               []string
	nRefs, nNats, nIDs uint32
	gender             uint8
	minParts           uint8 // parts in the shortest name
	dead               bool
}

// setVals sets the entry's strings (dates must be set: rawDates are as
// many).
func (e *entry) setVals(refs, rawDates, nats, ids, rawIDs, local []string) {
	n := len(refs) + len(rawDates) + len(nats) + len(ids) + len(rawIDs) + len(local)
	if n == 0 {
		e.vals, e.nRefs, e.nNats, e.nIDs = nil, 0, 0, 0
		return
	}
	v := make([]string, 0, n)
	v = append(append(append(append(append(append(v, refs...), rawDates...), nats...), ids...), rawIDs...), local...)
	e.vals, e.nRefs, e.nNats, e.nIDs = v, uint32(len(refs)), uint32(len(nats)), uint32(len(ids))
}

// cut returns vals[a:a+n], capped so that an append copies.
func (e *entry) cut(a, n uint32) []string {
	if n == 0 {
		return nil
	}
	return e.vals[a : a+n : a+n]
}

func (e *entry) refs() []string     { return e.cut(0, e.nRefs) }
func (e *entry) rawDates() []string { return e.cut(e.nRefs, uint32(len(e.dates))) }
func (e *entry) nats() []string     { return e.cut(e.nRefs+uint32(len(e.dates)), e.nNats) }
func (e *entry) ids() []string      { return e.cut(e.nRefs+uint32(len(e.dates))+e.nNats, e.nIDs) }
func (e *entry) rawIDs() []string {
	return e.cut(e.nRefs+uint32(len(e.dates))+e.nNats+e.nIDs, e.nIDs)
}

// local returns the strings of the parts the index does not number.
func (e *entry) local() []string {
	return e.vals[min(len(e.vals), int(e.nRefs+uint32(len(e.dates))+e.nNats+2*e.nIDs)):]
}
