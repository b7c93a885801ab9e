package mediabank

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/media/exchange"
	"concord/media/pdq"
)

// Share is how imported records are shared: the contributing member, the
// audience, and the TLP of records whose source says none.
type Share struct {
	Member   string
	Audience concord.Audience
	TLP      concord.TLP
}

// EntityID is the id of the record of a signal in a dataset: one record per
// hash and dataset, whatever number of descriptors say it.
func EntityID(dataset, typ, value string) string {
	h := sha1.Sum([]byte(typ + ":" + value))
	return "media-" + dataset + "-" + hex.EncodeToString(h[:8])
}

// Batch turns exchanged records into one import batch of Media records in
// dataset, contributed by sh.Member. Each record keeps its own TLP when
// the source gives one; every TLP must suit the audience (access rules:
// AMBER+STRICT and RED stay within one member), else the whole batch is
// refused, naming the record.
func Batch(v access.Viewer, dataset, version, source string, recs []exchange.Record, sh Share) (*concord.ImportBatch, error) {
	if dataset == "" {
		return nil, concord.Errorf(concord.EINVALID, "a media import needs a dataset name")
	}
	b := &concord.ImportBatch{Dataset: dataset, Version: version, Source: source}
	for i, r := range recs {
		h := r.TLP
		if h == "" {
			h = sh.TLP
		}
		if err := access.ValidateShare(v, sh.Audience, h); err != nil {
			return nil, &concord.Error{Code: concord.ErrorCode(err), Message: recordName(source, i, r), Err: err}
		}
		e := Entity(dataset, r)
		ref := dataset + ":" + r.ID
		if r.ID == "" {
			ref = dataset + ":" + r.Value[:16]
		}
		p := concord.Provenance{Dataset: dataset, SourceRef: ref, ContributedBy: sh.Member, Audience: sh.Audience, Handling: h}
		b.Statements = append(b.Statements, e.Statements(p)...)
	}
	return b, nil
}

func recordName(source string, i int, r exchange.Record) string {
	s := source + ": record " + strconv.Itoa(i+1)
	if r.ID != "" {
		s += " (" + r.ID + ")"
	}
	return s
}

// Entity is the Media record of an exchanged signal.
func Entity(dataset string, r exchange.Record) *concord.Entity {
	e := concord.NewEntity(EntityID(dataset, r.Type, r.Value), Schema)
	switch r.Type {
	case exchange.TypePDQ:
		e.Add(concord.PropPDQHash, r.Value)
		if r.Quality >= 0 {
			e.Add(concord.PropPDQQuality, strconv.Itoa(r.Quality))
		}
	case exchange.TypeMD5:
		e.Add(concord.PropMD5, r.Value)
	case exchange.TypeSHA256:
		e.Add(concord.PropSHA256, r.Value)
	}
	e.Add(concord.PropLabel, r.Labels...)
	e.Add("description", strings.TrimSpace(r.Description))
	e.Add("status", r.Status)
	e.Add("publisher", r.Owner)
	if !r.FirstSeen.IsZero() {
		e.Add("firstSeen", r.FirstSeen.Format(time.DateOnly))
	}
	if !r.LastSeen.IsZero() {
		e.Add("lastSeen", r.LastSeen.Format(time.DateOnly))
	}
	return e
}

// Records returns the media records f sees in dataset ("" for all) as
// exchanged records, one per hash, with the TLP of its hash statement.
func Records(ctx context.Context, st Store, f concord.Filter, dataset string) ([]exchange.Record, error) {
	var out []exchange.Record
	q := concord.EntityQuery{Schemata: []string{Schema}, Dataset: dataset}
	err := st.EachEntity(ctx, f, q, func(e *concord.Entity) error {
		stmts, err := st.Statements(ctx, f, e.ID)
		if err != nil {
			return err
		}
		tlp := map[string]concord.TLP{}
		for _, s := range stmts {
			if s.Prop == concord.PropPDQHash || s.Prop == concord.PropMD5 || s.Prop == concord.PropSHA256 {
				tlp[s.Value] = stricter(tlp[s.Value], s.Handling)
			}
		}
		base := exchange.Record{ID: e.ID, Quality: -1, Labels: e.Properties[concord.PropLabel],
			Description: e.First("description"), Status: e.First("status"), Owner: e.First("publisher")}
		if q, err := strconv.Atoi(e.First(concord.PropPDQQuality)); err == nil {
			base.Quality = q
		}
		base.FirstSeen, _ = time.Parse(time.DateOnly, e.First("firstSeen"))
		base.LastSeen, _ = time.Parse(time.DateOnly, e.First("lastSeen"))
		for _, kind := range []struct{ prop, typ string }{
			{concord.PropPDQHash, exchange.TypePDQ}, {concord.PropMD5, exchange.TypeMD5}, {concord.PropSHA256, exchange.TypeSHA256},
		} {
			for _, v := range e.Properties[kind.prop] {
				r := base
				r.Type, r.Value, r.TLP = kind.typ, v, tlp[v]
				if kind.typ != exchange.TypePDQ {
					r.Quality = -1
				} else if _, err := pdq.Parse(v); err != nil {
					continue
				}
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// stricter returns the more restrictive of two TLP labels ("" is none).
func stricter(a, b concord.TLP) concord.TLP {
	rank := func(t concord.TLP) int {
		for i, x := range concord.TLPs {
			if x == t {
				return i
			}
		}
		return -1
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// CheckValue checks and normalises a contributed value of a Media record:
// hashes in lower-case hex of their length, a quality in 0..100; other
// properties pass as they are.
func CheckValue(prop, v string) (string, error) {
	switch prop {
	case concord.PropPDQHash:
		h, err := pdq.Parse(v)
		if err != nil {
			return "", concord.Errorf(concord.EINVALID, "property %s: %v", prop, err)
		}
		return h.String(), nil
	case concord.PropMD5, concord.PropSHA256:
		n := map[string]int{concord.PropMD5: 32, concord.PropSHA256: 64}[prop]
		if _, err := hex.DecodeString(v); err != nil || len(v) != n {
			return "", concord.Errorf(concord.EINVALID, "property %s: want %d hex digits", prop, n)
		}
		return strings.ToLower(v), nil
	case concord.PropPDQQuality:
		q, err := strconv.Atoi(v)
		if err != nil || q < 0 || q > 100 {
			return "", concord.Errorf(concord.EINVALID, "property %s: want 0..100", prop)
		}
		return strconv.Itoa(q), nil
	}
	return v, nil
}
