// Package idindex finds listed records by the identifiers that payments
// carry, exactly: account numbers and IBANs, BICs, digital-currency wallet
// addresses, and organisation and personal identifiers (registration, tax
// and national id numbers, passports, LEIs).
//
// The index is built from the store's entities (the system view: every
// statement) and kept in step with Refresh. A look-up for a viewer re-reads
// every record it found through the viewer's filter, and reports only what
// the viewer sees: a record, or the identifier's statement, hidden from the
// viewer answers exactly like one that is not there.
//
// Values are compared in one normal form per kind: accounts and
// identifiers without spaces, hyphens, dots and slashes, upper case; BICs
// by their first eight characters (the institution), a listed branch
// other than the one paid scoring a little less; wallet addresses as written
// (hex and bech32 ones case-folded). A hit is reported on the record that
// holds the identifier (the holder of a BankAccount or CryptoWallet, the
// organisation of a swiftBic) with an explanation naming the values compared
// and the record that lists them.
package idindex

import (
	"context"
	"slices"
	"sort"
	"sync"

	"concord"
	"concord/access"
	"concord/internal/importer/payment"
	"concord/match"
)

// Spaces of values compared against each other.
const (
	spaceAccount = "account" // IBANs and other account numbers
	spaceBIC     = "bic"
	spaceWallet  = "wallet"
	spaceID      = "id" // registration, tax, national, passport numbers, LEIs
)

// minIDLen keeps very short numbers (a "Registration Number 2904") from
// matching every identifier that happens to be written the same.
const minIDLen = 6

// Score of an identifier hit: exact, or the same institution at another
// branch.
const (
	scoreExact  = 1.0
	scoreBranch = 0.95
)

// Store is what the index reads.
type Store interface {
	ScanEntities(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func(*concord.Entity) error) error
	Entity(ctx context.Context, f concord.Filter, id string) (*concord.Entity, error)
}

// idProps are the properties that carry identifiers, by space.
var idProps = map[string]string{
	"iban": spaceAccount, "accountNumber": spaceAccount,
	"bic": spaceBIC, "swiftBic": spaceBIC,
	"publicKey":          spaceWallet,
	"registrationNumber": spaceID, "idNumber": spaceID, "taxNumber": spaceID, "innCode": spaceID,
	"passportNumber": spaceID, "number": spaceID, "leiCode": spaceID,
}

// holderProps name the record an identifier belongs to.
var holderProps = []string{"holder"}

// schemata read when building: those that carry identifiers.
var schemata = []string{"BankAccount", "CryptoWallet", "Person", "Organization", "Company", "LegalEntity",
	"Passport", "Identification", "Vessel", "Airplane"}

type key struct{ space, value string }

// entry is one listed identifier: the record that states it, the property
// and the value as listed.
type entry struct {
	carrier string
	prop    string
	written string
}

// Index maps normalised identifiers to the records that list them.
type Index struct {
	store Store
	mu    sync.RWMutex
	by    map[key][]entry
	of    map[string][]key // carrier → its keys
}

// New builds the index from the store.
func New(ctx context.Context, st Store) (*Index, error) {
	ix := &Index{store: st}
	if err := ix.Rebuild(ctx); err != nil {
		return nil, err
	}
	return ix, nil
}

// Rebuild reads every record that carries identifiers: one streaming read
// of the identifier properties' statements.
func (ix *Index) Rebuild(ctx context.Context) error {
	by := map[key][]entry{}
	of := map[string][]key{}
	props := []string{"holder"}
	for p := range idProps {
		props = append(props, p)
	}
	sort.Strings(props)
	err := ix.store.ScanEntities(ctx, concord.System, concord.EntityQuery{Schemata: schemata, Props: props}, func(e *concord.Entity) error {
		if keys := add(by, e); len(keys) > 0 {
			of[e.ID] = append(of[e.ID], keys...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ix.mu.Lock()
	ix.by, ix.of = by, of
	ix.mu.Unlock()
	return nil
}

// add indexes e's identifiers and returns their keys.
func add(by map[key][]entry, e *concord.Entity) []key {
	var keys []key
	for prop, space := range idProps {
		for _, v := range e.Properties[prop] {
			n := normalize(space, v)
			if n == "" {
				continue
			}
			k := key{space, n}
			if slices.ContainsFunc(by[k], func(x entry) bool { return x.carrier == e.ID && x.prop == prop }) {
				continue
			}
			by[k] = append(by[k], entry{carrier: e.ID, prop: prop, written: v})
			keys = append(keys, k)
		}
	}
	return keys
}

// normalize returns the form v is compared in within space, or "" when v
// cannot be an identifier there.
func normalize(space, v string) string {
	switch space {
	case spaceBIC:
		b, err := payment.CheckBIC(v)
		if err != nil {
			return ""
		}
		return payment.BICInstitution(b)
	case spaceWallet:
		return payment.NormalizeWallet(v)
	case spaceAccount:
		if n := payment.CompactAccount(v); len(n) >= minIDLen {
			return n
		}
	case spaceID:
		if n := payment.CompactAccount(v); len(n) >= minIDLen {
			return n
		}
	}
	return ""
}

// Refresh re-reads one record after a change.
func (ix *Index) Refresh(ctx context.Context, id string) error {
	e, err := ix.store.Entity(ctx, concord.System, id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, k := range ix.of[id] {
		ix.by[k] = slices.DeleteFunc(ix.by[k], func(x entry) bool { return x.carrier == id })
		if len(ix.by[k]) == 0 {
			delete(ix.by, k)
		}
	}
	delete(ix.of, id)
	if e != nil {
		if keys := add(ix.by, e); len(keys) > 0 {
			ix.of[id] = keys
		}
	}
	return nil
}

// Len is the number of distinct identifiers indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.by)
}

// candidate is an identifier hit before the viewer's check.
type candidate struct {
	q     payment.Ident
	e     entry
	score float64
}

// lookup finds the listed entries of each identifier.
func (ix *Index) lookup(ids []payment.Ident) []candidate {
	var out []candidate
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, id := range ids {
		space := spaceOf(id.Kind)
		n := normalize(space, id.Value)
		if n == "" {
			continue
		}
		for _, e := range ix.by[key{space, n}] {
			score := scoreExact
			if space == spaceBIC {
				listed, _ := payment.CheckBIC(e.written)
				if len(listed) == 11 && len(id.Value) == 11 && listed != id.Value || len(listed) == 11 && len(id.Value) == 8 {
					score = scoreBranch
				}
			}
			out = append(out, candidate{q: id, e: e, score: score})
		}
	}
	return out
}

func spaceOf(kind string) string {
	switch kind {
	case payment.IdentIBAN, payment.IdentAccount:
		return spaceAccount
	case payment.IdentBIC:
		return spaceBIC
	case payment.IdentWallet:
		return spaceWallet
	}
	return spaceID
}

// MatchAll looks identifiers up in the system view (the operator's command
// line).
func (ix *Index) MatchAll(ctx context.Context, ids []payment.Ident) ([]match.Match, error) {
	return ix.matches(ctx, concord.System, ids)
}

// Match looks identifiers up for viewer v: only records v may see, found by
// statements v may see, are returned.
func (ix *Index) Match(ctx context.Context, v access.Viewer, ids []payment.Ident) ([]match.Match, error) {
	if !v.Can(access.Match) && !v.Can(access.Screen) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "matching needs the match scope")
	}
	return ix.matches(ctx, v.Filter(), ids)
}

func (ix *Index) matches(ctx context.Context, f concord.Filter, ids []payment.Ident) ([]match.Match, error) {
	cands := ix.lookup(ids)
	if len(cands) == 0 {
		return nil, nil
	}
	byEntity := map[string]*match.Match{}
	var order []string
	for _, c := range cands {
		carrier, err := ix.store.Entity(ctx, f, c.e.carrier)
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		// The identifier's own statement must be visible too.
		if !slices.Contains(carrier.Properties[c.e.prop], c.e.written) {
			continue
		}
		listed := carrier
		for _, hp := range holderProps {
			if h := carrier.First(hp); h != "" {
				he, err := ix.store.Entity(ctx, f, h)
				if err == nil {
					listed = he
				} else if concord.ErrorCode(err) != concord.ENOTFOUND {
					return nil, err
				}
				break
			}
		}
		feat := match.Feature{Feature: featureName(c.q.Kind, c.e.prop), Query: c.q.Value, Candidate: c.e.written, Score: c.score, Weight: 1}
		if listed != carrier {
			feat.Candidate += " (" + carrier.Schema + " " + carrier.ID + ")"
		}
		m := byEntity[listed.ID]
		if m == nil {
			m = &match.Match{EntityID: listed.ID, Caption: listed.Caption(), Schema: listed.Schema, Refs: refsOf(listed, carrier)}
			byEntity[listed.ID] = m
			order = append(order, listed.ID)
		}
		if !slices.ContainsFunc(m.Explanation, func(x match.Feature) bool { return x == feat }) {
			m.Explanation = append(m.Explanation, feat)
		}
		m.Score = max(m.Score, c.score)
	}
	out := make([]match.Match, 0, len(order))
	for _, id := range order {
		out = append(out, *byEntity[id])
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].EntityID < out[b].EntityID
	})
	return out, nil
}

func refsOf(listed, carrier *concord.Entity) []string {
	refs := slices.Clone(listed.Refs)
	for _, r := range carrier.Refs {
		if !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
	}
	if refs == nil {
		refs = []string{}
	}
	return refs
}

// featureName names an identifier feature of an explanation.
func featureName(kind, prop string) string {
	switch {
	case kind == payment.IdentIBAN || prop == "iban":
		return "identifier.iban"
	case kind == payment.IdentAccount || prop == "accountNumber":
		return "identifier.account"
	case kind == payment.IdentBIC:
		return "identifier.bic"
	case kind == payment.IdentWallet:
		return "identifier.wallet"
	}
	return "identifier." + prop
}
