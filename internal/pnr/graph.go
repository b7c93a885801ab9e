package pnr

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/graph"
)

// The network of a booking, answered by package graph: the PNR links are
// edges of a network built for one viewer of the PNR unit on each call,
// from its member's bookings and the listed records the viewer sees. It is
// never kept beside the PNR tables, so it follows depersonalisation (a link
// of a masked version keeps its kind, not its value) and deletion (a
// deleted version has no link) at once, and no one without the PNR rights
// ever reaches it: the shared network (graph.Live) holds no PNR data.

// MaxGraphBookings bounds the bookings a booking's network holds.
const MaxGraphBookings = 500

// BookingNode is the id of a booking's node in its network.
func BookingNode(id string) string { return "pnr:" + id }

// BookingGraph is the network around a booking: its View answers
// neighbourhood, paths, exposure and analysis questions; Node is the
// booking's node.
type BookingGraph struct {
	View      *graph.View
	Node      string
	Bookings  int  // bookings in it
	Truncated bool // more bookings were within reach
}

// Graph builds the network around booking id of v's member: the bookings
// linked to it within hops through a shared phone, e-mail, address, card,
// frequent-flyer account or agency (one linked_to edge per link, labelled
// with its kind and, while not depersonalised, its value; its source
// records are the two versions that share it, VersionRef), and for every
// booking in it the listed or watched persons its travellers' screening
// alerts name, unless the alert was dismissed (an edge labelled with the
// traveller and the alert, from the traveller's screening row key). Listed
// records come from the store through v's filter: one v may not see is no
// node. Audited.
func (s *Service) Graph(ctx context.Context, v access.Viewer, id string, hops int) (*BookingGraph, error) {
	m, err := member(v)
	if err != nil {
		return nil, err
	}
	if hops < 1 || hops > graph.MaxHops {
		return nil, concord.Errorf(concord.EINVALID, "hops %d: want 1 to %d", hops, graph.MaxHops)
	}
	b, _, err := s.store.Booking(ctx, m, id)
	if err != nil {
		return nil, err
	}
	g := &graphBuilder{s: s, member: m, ix: graph.NewIndex(), bookings: map[string]bool{}, entities: map[string]bool{},
		edges: map[string]bool{}, filter: v.Filter(), records: newRecords(s.store, v.Filter())}
	g.booking(b)
	frontier := []string{id}
	for depth := 0; depth < hops && len(frontier) > 0; depth++ {
		var next []string
		for _, bid := range frontier {
			found, err := g.linksOf(ctx, bid)
			if err != nil {
				return nil, err
			}
			next = append(next, found...)
		}
		frontier = next
	}
	for bid := range g.bookings {
		if err := g.alerts(ctx, bid); err != nil {
			return nil, err
		}
	}
	out := &BookingGraph{View: g.ix.View(g.filter), Node: BookingNode(id), Bookings: len(g.bookings), Truncated: g.truncated}
	return out, s.store.Audit(ctx, "pnr.graph", id, fmt.Sprintf("%d hops, %d bookings", hops, len(g.bookings)))
}

type graphBuilder struct {
	s         *Service
	member    string
	ix        *graph.Index
	filter    concord.Filter
	records   *records
	bookings  map[string]bool
	entities  map[string]bool // listed records added
	edges     map[string]bool // links added, by their two bookings and attribute
	links     int
	truncated bool
}

// stmt is a statement of the member's PNR unit: seen only by the member
// (and only built for a viewer with the PNR rights); ref is the PNR it
// comes from, if any.
func (g *graphBuilder) stmt(entity, schema, prop, value, ref string) concord.Statement {
	return concord.Statement{EntityID: entity, Schema: schema, Prop: prop, Value: value, ContributedBy: g.member,
		Audience: concord.MemberAudience(g.member), Handling: concord.TLPRed, Dataset: "pnr", SourceRef: ref}
}

// VersionRef names version n of a booking as the source of a link: the
// form of the row keys of its travellers' screening ("pnr/<booking>/<n>").
func VersionRef(bookingID string, n int) string { return "pnr/" + bookingID + "/" + strconv.Itoa(n) }

func (g *graphBuilder) booking(b *concord.Booking) {
	if g.bookings[b.ID] {
		return
	}
	g.bookings[b.ID] = true
	n := BookingNode(b.ID)
	g.ix.Add([]concord.Statement{g.stmt(n, "Thing", "name", strings.TrimSpace(b.Locator+" "+b.Flight), ""),
		g.stmt(n, "Thing", "notes", "PNR booking", "")})
}

// link adds an edge between two nodes, stated by an UnknownLink of the PNR
// unit; fromRef and toRef are the PNRs (versions or screened travellers)
// each end comes from, the edge's source records.
func (g *graphBuilder) link(from, to, role, fromRef, toRef string) {
	g.links++
	l := "pnr-link:" + strconv.Itoa(g.links)
	g.ix.Add([]concord.Statement{g.stmt(l, "UnknownLink", "subject", from, fromRef), g.stmt(l, "UnknownLink", "object", to, toRef),
		g.stmt(l, "UnknownLink", "role", role, fromRef)})
}

// linksOf adds the bookings that share an attribute with bid, and returns
// those not seen before.
func (g *graphBuilder) linksOf(ctx context.Context, bid string) ([]string, error) {
	own, err := g.s.store.Links(ctx, concord.LinkQuery{Member: g.member, BookingID: bid}, 0)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	var found []string
	for _, l := range own {
		if done[l.Kind+"\x00"+l.Key] {
			continue
		}
		done[l.Kind+"\x00"+l.Key] = true
		others, err := g.s.store.Links(ctx, concord.LinkQuery{Member: g.member, Kind: l.Kind, Key: l.Key}, graph.MaxShared+1)
		if err != nil {
			return nil, err
		}
		if len(others) > graph.MaxShared {
			continue // a value this many bookings share (an agency's office) says nothing
		}
		linked := map[string]bool{}
		for _, o := range others {
			if o.Booking.ID == bid || linked[o.Booking.ID] {
				continue
			}
			if !g.bookings[o.Booking.ID] {
				if len(g.bookings) >= MaxGraphBookings {
					g.truncated = true
					continue
				}
				g.booking(&o.Booking)
				found = append(found, o.Booking.ID)
			}
			linked[o.Booking.ID] = true
			a, b := min(bid, o.Booking.ID), max(bid, o.Booking.ID)
			if k := a + "\x00" + b + "\x00" + l.Kind + "\x00" + l.Key; !g.edges[k] {
				g.edges[k] = true
				g.link(BookingNode(bid), BookingNode(o.Booking.ID), linkRole(l.Kind, l.Value),
					VersionRef(bid, l.Version), VersionRef(o.Booking.ID, o.Version))
			}
		}
	}
	return found, nil
}

// linkRole labels a link: its kind, and its value while shown.
func linkRole(kind, value string) string {
	k := strings.ReplaceAll(kind, "_", " ")
	if value == "" {
		return "same " + k
	}
	return "same " + k + ": " + value
}

// alerts links a booking to the records its travellers' standing alerts
// name.
func (g *graphBuilder) alerts(ctx context.Context, bid string) error {
	as, err := g.records.live(ctx, g.member, bid)
	if err != nil {
		return err
	}
	for _, a := range as {
		if !g.entities[a.EntityID] {
			stmts, err := g.records.statements(ctx, a.EntityID)
			if err != nil {
				return err
			}
			g.ix.Add(stmts)
			g.entities[a.EntityID] = true
		}
		traveller := a.QueryKey[strings.LastIndexByte(a.QueryKey, '/')+1:]
		g.link(BookingNode(bid), a.EntityID, fmt.Sprintf("traveller %s screened: alert %d, %s", traveller, a.ID, a.Status), a.QueryKey, "")
	}
	return nil
}
