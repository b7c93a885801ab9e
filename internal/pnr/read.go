package pnr

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/importer/pnrgov"
)

// member is the member whose PNR data v may read, or a refusal.
func member(v access.Viewer) (string, error) {
	m, ok := v.PNRMember()
	if !ok {
		return "", concord.Errorf(concord.EFORBIDDEN, "PNR data needs the analyst or reviewer role and the screen scope")
	}
	return m, nil
}

// Bookings lists the bookings of v's member (of a record locator, if
// given), latest push first; audited.
func (s *Service) Bookings(ctx context.Context, v access.Viewer, locator string, limit int) ([]concord.Booking, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	bs, err := s.store.Bookings(ctx, concord.BookingQuery{Member: m, Locator: strings.ToUpper(strings.TrimSpace(locator)), Limit: limit})
	if err != nil {
		return nil, err
	}
	return bs, s.store.Audit(ctx, "pnr.bookings", locator, strconv.Itoa(len(bs))+" bookings")
}

// BookingView is a booking with its versions, its links and its rule hits.
type BookingView struct {
	Booking  concord.Booking          `json:"booking"`
	Versions []concord.BookingVersion `json:"versions"`
	Links    []concord.BookingLink    `json:"links"`
	Hits     []concord.RuleHit        `json:"rule_hits"`
}

// Booking returns a booking of v's member; another member's is not found.
// Audited.
func (s *Service) Booking(ctx context.Context, v access.Viewer, id string) (*BookingView, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	b, vs, err := s.store.Booking(ctx, m, id)
	if err != nil {
		return nil, err
	}
	ls, err := s.store.Links(ctx, concord.LinkQuery{Member: m, BookingID: id}, 0)
	if err != nil {
		return nil, err
	}
	hits, err := s.store.RuleHits(ctx, concord.RuleHitQuery{Member: m, BookingID: id})
	if err != nil {
		return nil, err
	}
	view := &BookingView{Booking: *b, Versions: vs, Links: []concord.BookingLink{}, Hits: hits}
	for _, l := range ls {
		if l.Version == b.Versions || l.Version == latestN(vs) {
			view.Links = append(view.Links, concord.BookingLink{Kind: l.Kind, Value: l.Value, Traveller: l.Traveller})
		}
	}
	return view, s.store.Audit(ctx, "pnr.booking", id, fmt.Sprintf("%d versions", len(vs)))
}

func latestN(vs []concord.BookingVersion) int {
	if len(vs) == 0 {
		return 0
	}
	return vs[len(vs)-1].N
}

// Repersonalise returns a depersonalised version of a booking of v's
// member whole. Only a reviewer may, giving a reason; the store audits who
// and why in the same transaction as it hands out the sealed version.
func (s *Service) Repersonalise(ctx context.Context, v access.Viewer, id string, n int, reason string) (*pnrgov.PNR, error) {
	if !v.Can(access.RepersonalisePNR) {
		return nil, concord.Errorf(concord.EFORBIDDEN, "re-personalisation needs the reviewer role and the review scope")
	}
	if len(strings.TrimSpace(reason)) < 10 {
		return nil, concord.Errorf(concord.EINVALID, "re-personalisation: state the reason (at least 10 characters)")
	}
	if err := concord.CheckText(reason, MaxReason, true); err != nil {
		return nil, concord.Errorf(concord.EINVALID, "re-personalisation: reason: %v", err)
	}
	sealed, err := s.store.Repersonalise(ctx, v.Member, id, n, v.User, strings.TrimSpace(reason))
	if err != nil {
		return nil, err
	}
	plain, err := s.keys.Open(sealed)
	if err != nil {
		return nil, err
	}
	var p pnrgov.PNR
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// LinkAnswer is the bookings of v's member that carry a link.
type LinkAnswer struct {
	Kind     string                  `json:"kind"`
	Bookings []concord.LinkedBooking `json:"bookings"`
}

// Links answers "who else used this phone?": the bookings of v's member
// whose versions carry this value of this kind, newest first. Audited.
func (s *Service) Links(ctx context.Context, v access.Viewer, kind, value string, limit int) (*LinkAnswer, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	norm, err := s.LinkValue(kind, value)
	if err != nil {
		return nil, err
	}
	ls, err := s.store.Links(ctx, concord.LinkQuery{Member: m, Kind: kind, Key: s.keys.LinkKey(kind, norm)}, limit)
	if err != nil {
		return nil, err
	}
	return &LinkAnswer{Kind: kind, Bookings: ls}, s.store.Audit(ctx, "pnr.links", kind, fmt.Sprintf("%d bookings", len(ls)))
}

// BookingLinks is a booking's links: its co-travellers, and for each of its
// attributes the other bookings of v's member that share it.
type BookingLinks struct {
	Booking      concord.Booking         `json:"booking"`
	CoTravellers []Person                `json:"co_travellers"`
	Linked       []concord.LinkedBooking `json:"linked"`
}

// Person is a traveller of a booking as a link answer names it (masked
// once the version is depersonalised).
type Person struct {
	Position int    `json:"position"`
	Name     string `json:"name,omitempty"`
	Masked   bool   `json:"masked,omitempty"`
}

// LinksOf returns the links of a booking of v's member. Audited.
func (s *Service) LinksOf(ctx context.Context, v access.Viewer, id string, limit int) (*BookingLinks, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	out, err := s.linksOf(ctx, m, id, limit)
	if err != nil {
		return nil, err
	}
	return out, s.store.Audit(ctx, "pnr.links", id, fmt.Sprintf("%d co-travellers, %d linked", len(out.CoTravellers), len(out.Linked)))
}

func (s *Service) linksOf(ctx context.Context, m, id string, limit int) (*BookingLinks, error) {
	b, vs, err := s.store.Booking(ctx, m, id)
	if err != nil {
		return nil, err
	}
	out := &BookingLinks{Booking: *b, CoTravellers: people(vs), Linked: []concord.LinkedBooking{}}
	own, err := s.store.Links(ctx, concord.LinkQuery{Member: m, BookingID: id}, 0)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, l := range own {
		if done[l.Kind+l.Key] {
			continue
		}
		done[l.Kind+l.Key] = true
		others, err := s.store.Links(ctx, concord.LinkQuery{Member: m, Kind: l.Kind, Key: l.Key}, limit)
		if err != nil {
			return nil, err
		}
		for _, o := range others {
			if o.Booking.ID != id {
				o.Via = id
				out.Linked = append(out.Linked, o)
			}
		}
	}
	return out, nil
}

// people are the travellers of the latest version.
func people(vs []concord.BookingVersion) []Person {
	out := []Person{}
	if len(vs) == 0 {
		return out
	}
	last := vs[len(vs)-1]
	var p pnrgov.PNR
	if json.Unmarshal(last.Data, &p) != nil {
		return out
	}
	for i := range p.Travellers {
		out = append(out, Person{Position: i + 1, Name: p.Travellers[i].Name(), Masked: last.Masked})
	}
	return out
}

// NetworkEntry is a booking of a listed or watched person (a traveller with
// an alert that is not dismissed, on a record the viewer still sees): its
// co-travellers, and the bookings that share one of its attributes.
type NetworkEntry struct {
	BookingLinks
}

// Network returns, for each booking of v's member with a listed or watched
// person, its co-travellers and linked bookings. Audited.
func (s *Service) Network(ctx context.Context, v access.Viewer, limit int) ([]NetworkEntry, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	ls, err := s.store.Network(ctx, m, limit)
	if err != nil {
		return nil, err
	}
	var out []NetworkEntry
	at := map[string]int{}
	listed := map[string]bool{}
	recs := newRecords(s.store, v.Filter())
	for _, l := range ls {
		stands, ok := listed[l.Via]
		if !ok {
			as, err := recs.live(ctx, m, l.Via)
			if err != nil {
				return nil, err
			}
			stands = len(as) > 0
			listed[l.Via] = stands
		}
		if !stands {
			continue // its alerts' records are hidden from v now
		}
		i, ok := at[l.Via]
		if !ok {
			b, vs, err := s.store.Booking(ctx, m, l.Via)
			if err != nil {
				return nil, err
			}
			i = len(out)
			at[l.Via] = i
			out = append(out, NetworkEntry{BookingLinks{Booking: *b, CoTravellers: people(vs), Linked: []concord.LinkedBooking{}}})
		}
		out[i].Linked = append(out[i].Linked, l)
	}
	if out == nil {
		out = []NetworkEntry{}
	}
	return out, s.store.Audit(ctx, "pnr.network", "", fmt.Sprintf("%d bookings of listed persons, %d links", len(out), len(ls)))
}

// Housekeep applies every member's policy now (the schedule calls it).
func (s *Service) Housekeep(ctx context.Context) (*concord.HousekeepingReport, error) {
	return s.store.PNRHousekeeping(ctx, s.clock.Now())
}

// Policy returns the policy of v's member.
func (s *Service) Policy(ctx context.Context, v access.Viewer) (concord.PNRPolicy, error) {
	if !v.Can(access.ReadPNR) && !v.Can(access.ManagePNRPolicy) {
		return concord.PNRPolicy{}, concord.Errorf(concord.EFORBIDDEN, "the PNR policy is for the PNR unit and the member's administrators")
	}
	return s.store.PNRPolicy(ctx, v.Member)
}

// SetPolicy sets the policy of v's member (an administrator).
func (s *Service) SetPolicy(ctx context.Context, v access.Viewer, depersonalise, retain int) (concord.PNRPolicy, error) {
	if !v.Can(access.ManagePNRPolicy) {
		return concord.PNRPolicy{}, concord.Errorf(concord.EFORBIDDEN, "setting the PNR policy needs the admin role")
	}
	p := concord.PNRPolicy{Member: v.Member, DepersonaliseDays: depersonalise, RetainDays: retain}
	return p, s.store.SetPNRPolicy(ctx, p)
}
