// Package pnr keeps the PNR bookings a member's passenger information unit
// receives (issue 15): each push of a PNRGOV file is stored as versions of
// its bookings, compared with what was stored before, and only the
// travellers that are new or changed are screened; the attributes that link
// bookings (phones, e-mail, addresses, cards, loyalty accounts, agencies)
// are kept by keyed hashes so that links outlive depersonalisation; the
// member's scenario rules raise hits for review, each explained by its
// conditions, and count what they look at by nationality; the member's
// policy depersonalises and deletes versions on schedule; a reviewer sees a
// depersonalised version whole only by giving a reason, which is audited.
//
// Everything is the member's own: a booking, link, hit or rule of another
// member is not found. The service asks access for every right and reads
// through the store with the viewer's member; reads are audited.
package pnr

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"concord"
	"concord/access"
	"concord/internal/importer/pnrgov"
	"concord/internal/job"
	"concord/match"
)

// Store is what the service keeps PNR data in.
type Store interface {
	concord.PNRStore
	Audit(ctx context.Context, action, object, detail string) error
	// Statements are the records a booking's network names (listed
	// persons its travellers' alerts point to), read through the viewer's
	// filter.
	Statements(ctx context.Context, f concord.Filter, entityID string) ([]concord.Statement, error)
}

// Service is the PNR unit's side of Concord.
type Service struct {
	store Store
	keys  *Keys
	clock concord.Clock
	deny  *pnrgov.DenyList
	// Threshold and Limit are those of the screening jobs of pushes.
	Threshold float64
	Limit     int
}

// New returns a service on st with the node's secret; deny is the list of
// SSR codes never kept (nil: pnrgov.DefaultDenyList).
func New(st Store, secret []byte, clock concord.Clock, deny *pnrgov.DenyList) (*Service, error) {
	keys, err := NewKeys(secret)
	if err != nil {
		return nil, err
	}
	if deny == nil {
		deny = pnrgov.DefaultDenyList()
	}
	if clock == nil {
		clock = concord.SystemClock{}
	}
	return &Service{store: st, keys: keys, clock: clock, deny: deny, Threshold: match.DefaultThreshold, Limit: match.DefaultLimit}, nil
}

// Keys are the service's keys (the card key screening a push needs).
func (s *Service) Keys() *Keys { return s.keys }

func (s *Service) options() pnrgov.Options {
	return pnrgov.Options{Now: s.clock.Now, Deny: s.deny, CardKey: s.keys.CardKey()}
}

// Import stores a PNRGOV push for v's member: the whole file is read first
// (a bad file changes nothing), then each PNR becomes a version of its
// booking unless it equals the latest one; the travellers that are new or
// changed are screened by a job; the member's enabled rules are applied.
// All of it is stored in one transaction.
func (s *Service) Import(ctx context.Context, v access.Viewer, source string, data []byte) (*concord.PNRImportReport, error) {
	if !v.Can(access.PushPNR) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "storing PNR data needs the analyst or reviewer role and the screen scope")
	}
	ic, err := s.options().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%s: %v", source, err)
	}
	var ps []pnrgov.PNR
	for _, m := range ic.Messages {
		ps = append(ps, m.PNRs...)
	}
	if len(ps) == 0 {
		return nil, concord.Errorf(concord.EINVALID, "%s: no PNR in the push", source)
	}
	all, err := s.store.PNRRules(ctx, v.Member)
	if err != nil {
		return nil, err
	}
	var rules []concord.PNRRule
	for _, r := range all {
		if r.Enabled {
			rules = append(rules, r)
		}
	}
	for attempt := 0; ; attempt++ {
		imp, err := s.prepare(ctx, v, source, ps, rules)
		if err != nil {
			return nil, err
		}
		rep, err := s.store.ImportPNR(ctx, imp)
		if concord.ErrorCode(err) == concord.ECONFLICT && attempt < 3 {
			continue // another node stored a version meanwhile: compare again
		}
		return rep, err
	}
}

// bookingKey names the booking of a PNR; one without a record locator is
// named by its content.
func bookingKey(member string, p *pnrgov.PNR) concord.BookingKey {
	loc := p.Locator
	if loc == "" {
		loc = "no-locator-" + digest(p)[:12]
	}
	return concord.BookingKey{Member: member, Owner: p.Owner, Locator: loc, Created: p.Created}
}

// seenVersion is the version a PNR is compared with.
type seenVersion struct {
	n        int
	digest   string
	received time.Time   // zero for a version of this push
	pnr      *pnrgov.PNR // nil once depersonalised
}

// prepare compares each PNR with the latest version of its booking (or one
// earlier in the same push) and builds what to store.
func (s *Service) prepare(ctx context.Context, v access.Viewer, source string, ps []pnrgov.PNR, rules []concord.PNRRule) (*concord.PNRImport, error) {
	keys := make([]concord.BookingKey, len(ps))
	for i := range ps {
		keys[i] = bookingKey(v.Member, &ps[i])
	}
	latest, err := s.store.LatestVersions(ctx, keys)
	if err != nil {
		return nil, err
	}
	seen := map[concord.BookingKey]seenVersion{}
	for k, lv := range latest {
		sv := seenVersion{n: lv.N, digest: lv.Digest, received: lv.Received}
		if lv.Personal != nil {
			var p pnrgov.PNR
			if err := json.Unmarshal(lv.Personal, &p); err != nil {
				return nil, fmt.Errorf("pnr: version %d of %s: %w", lv.N, lv.BookingID, err)
			}
			sv.pnr = &p
		}
		seen[k] = sv
	}
	imp := &concord.PNRImport{Member: v.Member, Source: source}
	stats := map[[2]string]*concord.RuleStat{}
	var rows []concord.JobRow
	for i := range ps {
		p, k := &ps[i], keys[i]
		prev := seen[k]
		push := concord.BookingPush{Member: k.Member, Owner: k.Owner, Locator: k.Locator, Created: k.Created,
			Flight: flightLabel(&p.Flight), Departure: p.Flight.DepartureTime, Travellers: len(p.Travellers),
			Prev: prev.n, Digest: digest(p)}
		if prev.n > 0 && push.Digest == prev.digest {
			push.Same = true
			imp.Pushes = append(imp.Pushes, push)
			continue
		}
		var screen []int
		switch {
		case prev.n == 0:
			push.Changes = []string{"first push"}
			screen = allTravellers(p)
		case prev.pnr == nil:
			push.Changes = []string{"the previous version is depersonalised: every traveller screened again"}
			screen = allTravellers(p)
		default:
			push.Changes, screen = compare(prev.pnr, p)
		}
		n := prev.n + 1
		if err := s.seal(&push, p); err != nil {
			return nil, err
		}
		push.Hits = applyRules(rules, prev, p, k.ID(), n, stats)
		for _, ti := range screen {
			q := job.TravellerQuery(p, ti)
			q.ID = fmt.Sprintf("pnr/%s/%d/%d", k.ID(), n, ti+1)
			b, _ := json.Marshal(&q)
			rows = append(rows, concord.JobRow{N: len(rows), Key: q.ID, Query: b})
		}
		seen[k] = seenVersion{n: n, digest: push.Digest, pnr: p}
		imp.Pushes = append(imp.Pushes, push)
	}
	for _, st := range stats {
		imp.Stats = append(imp.Stats, *st)
	}
	if len(rows) > 0 {
		now := s.clock.Now()
		meta, _ := json.Marshal(map[string]any{"pnrs": len(ps), "travellers": len(rows)})
		imp.Job = &concord.Job{ID: newJobID(), Kind: job.KindPNRGOV, Source: source, Owner: v.User, Member: v.Member,
			Status: concord.JobQueued, Threshold: s.Threshold, Limit: s.Limit, Meta: string(meta), CreatedAt: now, UpdatedAt: now}
		for i := range rows {
			rows[i].JobID = imp.Job.ID
		}
		imp.JobRows = rows
	}
	return imp, nil
}

// seal fills the version's forms: whole, masked, sealed; and its links.
func (s *Service) seal(push *concord.BookingPush, p *pnrgov.PNR) error {
	var err error
	if push.Personal, err = json.Marshal(p); err != nil {
		return err
	}
	m := pnrgov.Mask(p)
	if push.Masked, err = json.Marshal(&m); err != nil {
		return err
	}
	if push.Sealed, err = s.keys.Seal(push.Personal); err != nil {
		return err
	}
	push.Links = s.links(p)
	return nil
}

// applyRules evaluates the rules on every traveller of the version, counts
// each traveller by nationality in stats, and returns the hits not already
// raised for that traveller by the previous version (when the rule, as it
// is now, applied to it).
func applyRules(rules []concord.PNRRule, prev seenVersion, p *pnrgov.PNR, bookingID string, n int, stats map[[2]string]*concord.RuleStat) []concord.RuleHit {
	var hits []concord.RuleHit
	for ri := range rules {
		r := &rules[ri]
		for ti := range p.Travellers {
			nat := strings.ToUpper(p.Travellers[ti].Nationality)
			st := stats[[2]string{r.ID, nat}]
			if st == nil {
				st = &concord.RuleStat{RuleID: r.ID, Nationality: nat}
				stats[[2]string{r.ID, nat}] = st
			}
			st.Evaluated++
			why, ok := evaluate(r, p, ti)
			if !ok {
				continue
			}
			st.Hits++
			if j := sameTraveller(prev.pnr, p, ti); j >= 0 && (prev.received.IsZero() || prev.received.After(r.UpdatedAt)) {
				if _, before := evaluate(r, prev.pnr, j); before {
					continue // raised already, on an earlier version
				}
			}
			hits = append(hits, concord.RuleHit{RuleID: r.ID, RuleVersion: r.Version, RuleName: r.Name,
				BookingID: bookingID, Version: n, Traveller: ti + 1, Explanation: why})
		}
	}
	return hits
}

// sameTraveller is the index in prev of traveller i of p, by reference
// number or position and identity; -1 when there is none.
func sameTraveller(prev, p *pnrgov.PNR, i int) int {
	if prev == nil {
		return -1
	}
	t := &p.Travellers[i]
	for j := range prev.Travellers {
		o := &prev.Travellers[j]
		if (t.Ref != "" && o.Ref == t.Ref || t.Ref == "" && j == i) && identity(o) == identity(t) {
			return j
		}
	}
	return -1
}

func allTravellers(p *pnrgov.PNR) []int {
	out := make([]int, len(p.Travellers))
	for i := range out {
		out[i] = i
	}
	return out
}

func flightLabel(l *pnrgov.Leg) string {
	return strings.TrimSpace(l.Carrier + l.Number + " " + strings.Trim(l.Departure+"-"+l.Arrival, "-"))
}

func newJobID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "job-" + hex.EncodeToString(b[:])
}
