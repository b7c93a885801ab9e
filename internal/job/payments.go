package job

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"concord"
	"concord/internal/importer/iso20022"
	"concord/internal/importer/payment"
	"concord/internal/importer/swiftmt"
	"concord/match"
)

// Kinds of payment message.
const (
	KindISO20022 = "iso20022" // pacs.008, pacs.009, pain.001
	KindSWIFTMT  = "swift-mt" // MT103, MT202
)

// IsPayment reports whether kind is a payment message.
func IsPayment(kind string) bool { return kind == KindISO20022 || kind == KindSWIFTMT }

// batchParties is how many parties ReadPayments hands over at a time.
const batchParties = 2048

// ReadPayments streams a payment message of the given kind and calls fn
// with the queries of its parties, one per party of each transaction, a
// batch of whole transactions at a time; fn must not keep the batch (its
// memory is the next one's). It returns the message header as JSON
// (format, id, sender, receiver, transactions, warnings).
func ReadPayments(r io.Reader, name, kind string, fn func([]Query) error) (meta string, err error) {
	// A batch is whole transactions, and the next batch reuses its memory.
	var batch []Query
	each := func(t *payment.Transaction) error {
		batch = appendPartyQueries(batch, t)
		if len(batch) >= batchParties {
			err := fn(batch)
			clear(batch)
			batch = batch[:0]
			return err
		}
		return nil
	}
	var m *payment.Message
	switch kind {
	case KindISO20022:
		m, err = iso20022.Read(r, name, each)
	case KindSWIFTMT:
		m, err = swiftmt.Read(r, name, each)
	default:
		return "", fmt.Errorf("job: %s is not a payment message kind", kind)
	}
	if err != nil {
		return "", invalid(err)
	}
	if len(batch) > 0 {
		if err := fn(batch); err != nil {
			return "", err
		}
	}
	b, _ := json.Marshal(m)
	return string(b), nil
}

// invalid marks a reader's error as bad input, keeping its text (which
// names the file, the line and the element or field).
func invalid(err error) error {
	switch err.(type) {
	case *iso20022.Error, *swiftmt.Error:
		return &concord.Error{Code: concord.EINVALID, Message: err.Error()}
	}
	return err
}

// PartyQueries turns the parties of a transaction into queries, one each,
// identified by transaction and role ("tx 3 creditor agent"). The queries
// point to the parties of t, which must not change after.
func PartyQueries(t *payment.Transaction) []Query {
	return appendPartyQueries(make([]Query, 0, len(t.Parties)), t)
}

func appendPartyQueries(out []Query, t *payment.Transaction) []Query {
	var id [64]byte
	for i := range t.Parties {
		p := &t.Parties[i]
		b := append(strconv.AppendInt(append(id[:0], "tx "...), int64(t.N), 10), ' ')
		q := Query{ID: string(append(b, p.Role...)), Tx: t.N, Role: p.Role, Name: p.Name, Party: p}
		switch p.Kind {
		case payment.KindPerson:
			q.Schema = "Person"
		case payment.KindOrganization, payment.KindInstitution:
			q.Schema = "Organization"
		case payment.KindText:
			q.Name = p.Text
		}
		if p.BirthDate != "" && dateRE.MatchString(p.BirthDate) {
			q.BirthDate = p.BirthDate
		}
		for _, id := range p.Identifiers {
			if id.Scheme == "CCPT" || id.Scheme == "NIDN" {
				q.DocumentNumber = id.Value
				break
			}
		}
		out = append(out, q)
	}
	return out
}

// label is what a result line shows of the party screened.
func (q *Query) label() string {
	p := q.Party
	switch {
	case p == nil:
		return ""
	case p.Name != "":
		return p.Name
	case p.Text != "":
		return p.Text
	case p.BIC != "":
		return p.BIC
	case p.Account != nil:
		return p.Account.Value
	case p.LEI != "":
		return p.LEI
	case len(p.Identifiers) > 0:
		return p.Identifiers[0].Value
	}
	return ""
}

// IdentFunc looks identifiers up exactly.
type IdentFunc func(ctx context.Context, ids []payment.Ident) ([]match.Match, error)

// Matchers screen queries: names through the engine, the identifiers of
// payment parties exactly. Limit bounds the name matches of one party (all
// identifier hits are kept).
type Matchers struct {
	Names  MatchFunc
	Idents IdentFunc // nil: identifiers are not looked up
	Limit  int
	// HighRisk are the countries (lower-case alpha-2) the screening member
	// treats as high-risk: a party tied to one is flagged. Member names it
	// in the flag's reason.
	HighRisk []string
	Member   string
}

// FlagHighRisk is the kind of flag a high-risk country raises.
const FlagHighRisk = "high_risk_country"

// FlagScore is the score of the alert a flag raises: below every match, so
// that reviewers see it after the hits.
const FlagScore = 0.5

// Flag is a lower-priority finding about a party that is not a match: a tie
// to a country the member treats as high-risk.
type Flag struct {
	Kind    string `json:"kind"`
	Country string `json:"country"`
	From    string `json:"from"` // address, IBAN or BIC
	Reason  string `json:"reason"`
}

// flags returns the party's ties to high-risk countries.
func (m Matchers) flags(q *Query) []Flag {
	if q.Party == nil || len(m.HighRisk) == 0 {
		return nil
	}
	var out []Flag
	for _, c := range q.Party.Countries() {
		if !slices.Contains(m.HighRisk, c.Country) {
			continue
		}
		who := "member " + m.Member
		if m.Member == "" {
			who = "this screening"
		}
		out = append(out, Flag{Kind: FlagHighRisk, Country: c.Country, From: c.From,
			Reason: fmt.Sprintf("the %s of the %s is in %s, a high-risk country for %s", c.From, q.Role, concord.CountryName(c.Country), who)})
	}
	return out
}

// maxCached bounds the name results remembered during one screening: the
// same debtor in every transaction of a batch is screened once.
const maxCached = 1 << 16

type nameCache struct {
	mu sync.Mutex
	m  map[match.Query][]match.Match
}

func (c *nameCache) get(ctx context.Context, fn MatchFunc, q match.Query) ([]match.Match, error) {
	c.mu.Lock()
	ms, ok := c.m[q]
	c.mu.Unlock()
	if ok {
		return ms, nil
	}
	ms, err := fn(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) < maxCached {
		c.m[q] = ms
	}
	c.mu.Unlock()
	return ms, nil
}

// party screens one payment party: its name (with birth date and document
// when it has them), the names in its free text, and its identifiers.
func (m Matchers) party(ctx context.Context, q *Query, cache *nameCache) ([]match.Match, error) {
	p := q.Party
	var groups [][]match.Match
	if p.Kind != payment.KindText && p.Name != "" {
		mq := q.MatchQuery()
		mq.ID = ""
		ms, err := cache.get(ctx, m.Names, mq)
		if err != nil {
			return nil, err
		}
		groups = append(groups, ms)
	}
	if p.Kind == payment.KindText {
		// The longest window that names someone wins: the words inside it
		// are not screened again ("ABU MOHAMMED" inside "ABU MOHAMMED
		// AL-ADNANI" would find everyone of that alias).
		var claimed []payment.Window
		for _, w := range payment.NameWindows(p.Text) {
			if slices.ContainsFunc(claimed, w.Within) {
				continue
			}
			mq := match.Query{Name: w.Text}
			if w.Words == 1 {
				mq.Schema = "Organization" // one word: names of groups, not people
			}
			ms, err := cache.get(ctx, m.Names, mq)
			if err != nil {
				return nil, err
			}
			if len(ms) > 0 {
				claimed = append(claimed, w)
			}
			found := make([]match.Match, len(ms))
			for i, x := range ms {
				x.Explanation = append([]match.Feature{{Feature: "text.window", Query: w.Text, Candidate: x.Caption, Score: x.Score, Weight: 1}}, x.Explanation...)
				found[i] = x
			}
			groups = append(groups, found)
		}
	}
	var idHits []match.Match
	if m.Idents != nil {
		if ids := p.Idents(); len(ids) > 0 {
			var err error
			if idHits, err = m.Idents(ctx, ids); err != nil {
				return nil, err
			}
		}
	}
	return merge(groups, idHits, m.Limit), nil
}

// merge combines name and identifier matches by record: the best score,
// every explanation line. Identifier hits are always kept; name matches
// fill up to limit.
func merge(groups [][]match.Match, ids []match.Match, limit int) []match.Match {
	if len(ids) == 0 && !slices.ContainsFunc(groups, func(g []match.Match) bool { return len(g) > 0 }) {
		return []match.Match{} // most parties: nothing found
	}
	by := map[string]*match.Match{}
	var order []string
	put := func(x match.Match) {
		cur := by[x.EntityID]
		if cur == nil {
			x.Explanation = slices.Clone(x.Explanation)
			x.Refs = slices.Clone(x.Refs)
			by[x.EntityID] = &x
			order = append(order, x.EntityID)
			return
		}
		if x.Score > cur.Score {
			cur.Score = x.Score
		}
		for _, f := range x.Explanation {
			if !slices.Contains(cur.Explanation, f) {
				cur.Explanation = append(cur.Explanation, f)
			}
		}
		for _, r := range x.Refs {
			if !slices.Contains(cur.Refs, r) {
				cur.Refs = append(cur.Refs, r)
			}
		}
	}
	for _, x := range ids {
		put(x)
	}
	for _, g := range groups {
		for _, x := range g {
			put(x)
		}
	}
	out := make([]match.Match, 0, len(order))
	for _, id := range order {
		out = append(out, *by[id])
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].EntityID < out[b].EntityID
	})
	if limit <= 0 {
		limit = match.DefaultLimit
	}
	if n := max(limit, len(ids)); len(out) > n {
		out = out[:n]
	}
	return out
}

// paymentIdentity adds a party's identifiers to its identity, so that a
// dismissed counterparty is the same name with the same account.
func paymentIdentity(q *Query) string {
	if q.Party == nil {
		return ""
	}
	var parts []string
	for _, id := range q.Party.Idents() {
		parts = append(parts, id.Kind+"="+id.Value)
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x00")
}
