package graph

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"concord"
)

// MaxShared is the most holders a shared value (identifier, address,
// account number, wallet) may have, among those a viewer sees, to link
// them: beyond it the value says nothing about who knows whom.
const MaxShared = 50

// Edge types.
const (
	Ownership     = "ownership"
	Directorship  = "directorship"
	Membership    = "membership"
	Family        = "family"
	Associate     = "associate"
	LinkedTo      = "linked_to" // OFAC "Linked To", and other UnknownLinks
	Holds         = "holds"     // a person or organisation holds an account or a wallet
	Payment       = "payment"
	SharedID      = "shared_identifier"
	SharedAddress = "shared_address"
	SharedAccount = "shared_account"
	SharedWallet  = "shared_wallet"
)

// linkSchemata map an interval schema to its edge type and the properties
// of its two ends.
var linkSchemata = map[string]struct{ typ, from, to string }{
	"Ownership":    {Ownership, "owner", "asset"},
	"Directorship": {Directorship, "director", "organization"},
	"Membership":   {Membership, "member", "organization"},
	"Family":       {Family, "person", "relative"},
	"Associate":    {Associate, "person", "associate"},
	"UnknownLink":  {LinkedTo, "subject", "object"},
	"Payment":      {Payment, "payer", "beneficiary"},
}

// sharedProps are the properties whose values link the records that share
// them, with the edge type.
var sharedProps = map[string]string{
	"passportNumber": SharedID, "idNumber": SharedID, "taxNumber": SharedID, "registrationNumber": SharedID,
	"innCode": SharedID, "imoNumber": SharedID, "swiftBic": SharedID, "leiCode": SharedID,
	"address": SharedAddress,
	"iban":    SharedAccount, "accountNumber": SharedAccount,
	"publicKey": SharedWallet,
}

// listable schemata are those a published list lists.
var listable = map[string]bool{"Person": true, "Organization": true, "Company": true, "LegalEntity": true, "Vessel": true, "Airplane": true}

// vis is the visibility of a statement: the fields concord.Filter decides
// on. Index interns them: public lists have one.
type vis struct {
	contributedBy string
	audience      concord.Audience
	handling      concord.TLP
}

// node is one entity, 184 bytes: at a million records the nodes are the
// largest part of the network, so lists that go together share a slice.
type node struct {
	id      string
	schema  string  // most specific schema stated, by anyone (for building)
	schemas []named // schemata stated, with their visibility (for views)
	// vis holds the distinct visibilities of its statements (the first
	// nVis: visAll), then those of its statements from published lists,
	// when listable (listed).
	vis   []uint16
	names []propVal // its name-like values, for captions
	refs  []named
	// links holds the edges at this node, by their link's id (the first
	// nAdj: adj; see link), then the edges its statements state (own:
	// removed when it changes).
	links  []int32
	values []valueRef // the shared values it holds
	nAdj   uint32
	nVis   uint32
}

func (n *node) visAll() []uint16 { return n.vis[:n.nVis:n.nVis] }
func (n *node) listed() []uint16 { return n.vis[n.nVis:] }
func (n *node) adj() []int32     { return n.links[:n.nAdj:n.nAdj] }
func (n *node) own() []int32     { return n.links[n.nAdj:] }

// addVis adds visibility v to the node's, once.
func (n *node) addVis(v uint16) {
	if !slices.Contains(n.visAll(), v) {
		n.vis = slices.Insert(n.vis, int(n.nVis), v)
		n.nVis++
	}
}

// addListed adds v to the visibilities of its listed statements, once.
func (n *node) addListed(v uint16) {
	if !slices.Contains(n.listed(), v) {
		n.vis = append(n.vis, v)
	}
}

// unlink removes edge ei from the node's edges.
func (n *node) unlink(ei int32) {
	if k := slices.Index(n.adj(), ei); k >= 0 {
		n.links = slices.Delete(n.links, k, k+1)
		n.nAdj--
	}
}

type valueRef struct {
	key sharedKey
	vis uint16
}

type named struct {
	value string
	vis   uint16
}

// propVal is a name-like value; prop is its property's place in
// captionProps.
type propVal struct {
	value string
	vis   uint16
	prop  uint8
}

// captionProps are the properties a caption is taken from, in order (as
// concord.Entity.Caption).
var captionProps = []string{"name", "full", "number", "accountNumber", "iban", "publicKey", "alias"}

// edge is one fact linking two nodes.
type edge struct {
	from, to int32
	typ      string
	needs    []uint16 // visibilities of the statements it rests on: all must be seen
	link     string   // the entity stating it (an Ownership, an account, a Payment)
	labels   []named  // role, relationship, percentage, amount
	refs     []named  // source records
	datasets []named
}

// Index is the facts of the network with their visibility. It follows
// changes entity by entity (Replace); questions (View's methods) read it
// under its lock.
type Index struct {
	mu     sync.RWMutex
	nodes  []node
	byID   map[string]int32
	edges  []edge
	free   []int32 // edges removed, reused by the next ones
	vis    []vis
	visOf  map[vis]uint16
	shared map[sharedKey][]holder // value → who holds it, by the holders' ids
}

type sharedKey struct{ typ, value string }

type holder struct {
	node int32
	vis  uint16
	prop uint8 // the property's place in sharedPropNames
	raw  string
}

// sharedPropNames are the properties of sharedProps, in order: a holder
// keeps its property as a place in it.
var sharedPropNames = func() []string {
	ps := make([]string, 0, len(sharedProps))
	for p := range sharedProps {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}()

// propName is the name of a holder's property.
func (h *holder) propName() string { return sharedPropNames[h.prop] }

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: map[string]int32{}, visOf: map[vis]uint16{}, shared: map[sharedKey][]holder{}}
}

func (ix *Index) visID(s *concord.Statement) uint16 {
	v := vis{s.ContributedBy, s.Audience, s.Handling}
	if id, ok := ix.visOf[v]; ok {
		return id
	}
	id := uint16(len(ix.vis))
	ix.vis = append(ix.vis, v)
	ix.visOf[v] = id
	return id
}

func (ix *Index) nodeOf(id string) int32 {
	if n, ok := ix.byID[id]; ok {
		return n
	}
	n := int32(len(ix.nodes))
	ix.nodes = append(ix.nodes, node{id: id})
	ix.byID[id] = n
	return n
}

// protected reports whether an entity's statements are a case's records or
// a minor's (concord.IsCaseSchema, concord.TopicMinor): those are served by
// the case operations only, with their purpose, never as part of the
// network.
func protected(stmts []concord.Statement) bool {
	for i := range stmts {
		if concord.IsCaseSchema(stmts[i].Schema) || (stmts[i].Prop == "topics" && stmts[i].Value == concord.TopicMinor) {
			return true
		}
	}
	return false
}

// Add records the statements of one entity (not retracted; all of them,
// any audience). Entities may come in any order: an edge to an entity not
// yet seen creates its node, which exists for a viewer only once the
// viewer sees a statement of it. Each entity is added once (Replace
// replaces one).
func (ix *Index) Add(stmts []concord.Statement) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.add(stmts)
}

// Replace makes the entity id's facts those of stmts (its statements as
// the store now holds them, any audience; none when it is gone): the
// edges it stated and the values it shared are removed, then stmts are
// added. Edges other entities state about it stay. Whatever the order of
// changes, the index answers as one built afresh from the same statements
// does: a node's edges are kept in the order of their links' ids and a
// value's holders in the order of theirs, the order a build from the store
// (entity by entity in id order) gives them.
func (ix *Index) Replace(id string, stmts []concord.Statement) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.replace(id, stmts)
}

// ReplaceAll is Replace for several entities under one hold of the lock.
func (ix *Index) ReplaceAll(ids []string, stmts map[string][]concord.Statement) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range ids {
		ix.replace(id, stmts[id])
	}
}

func (ix *Index) replace(id string, stmts []concord.Statement) {
	if n, ok := ix.byID[id]; ok {
		ix.drop(n)
	}
	ix.add(stmts)
}

// drop removes what node n's own statements said: the edges it stated
// (from both ends), the values it holds, and its fields; its place and
// the edges others state about it stay.
func (ix *Index) drop(n int32) {
	// A copy: unlinking an edge from n itself moves what follows it.
	own := slices.Clone(ix.nodes[n].own())
	for _, ei := range own {
		e := &ix.edges[ei]
		for _, end := range [2]int32{e.from, e.to} {
			ix.nodes[end].unlink(ei)
		}
		*e = edge{}
		ix.free = append(ix.free, ei)
	}
	nd := &ix.nodes[n]
	for _, v := range nd.values {
		hs := slices.DeleteFunc(ix.shared[v.key], func(h holder) bool { return h.node == n })
		if len(hs) == 0 {
			delete(ix.shared, v.key)
		} else {
			ix.shared[v.key] = hs
		}
	}
	nd = &ix.nodes[n]
	*nd = node{id: nd.id, links: nd.links[:nd.nAdj], nAdj: nd.nAdj}
}

func (ix *Index) add(stmts []concord.Statement) {
	if len(stmts) == 0 || protected(stmts) {
		return
	}
	n := ix.nodeOf(stmts[0].EntityID)
	var nd *node
	type endpoint struct {
		id string
		v  uint16
	}
	ends := map[string][]endpoint{}
	var labels, refs, datasets []named
	for i := range stmts {
		s := &stmts[i]
		if s.Retracted {
			continue
		}
		v := ix.visID(s)
		nd = &ix.nodes[n]
		nd.addVis(v)
		sc := concord.SchemaByName(s.Schema)
		schema := s.Schema
		if sc != nil {
			schema = sc.Name // the schema's own string, not one per statement read
		}
		if nd.schema == "" || sc != nil && sc.Is(nd.schema) && schema != nd.schema {
			nd.schema = schema
		}
		if !slices.Contains(nd.schemas, named{schema, v}) {
			nd.schemas = append(nd.schemas, named{schema, v})
		}
		if s.ContributedBy == "" && s.Dataset != "" && listable[s.Schema] {
			nd.addListed(v)
		}
		if s.SourceRef != "" && !slices.ContainsFunc(nd.refs, func(x named) bool { return x.value == s.SourceRef && x.vis == v }) {
			nd.refs = append(nd.refs, named{s.SourceRef, v})
		}
		if i := slices.Index(captionProps, s.Prop); i >= 0 {
			nd.names = append(nd.names, propVal{value: s.Value, vis: v, prop: uint8(i)})
		}
		if s.SourceRef != "" && !slices.Contains(refs, named{s.SourceRef, v}) {
			refs = append(refs, named{s.SourceRef, v})
		}
		if s.Dataset != "" && !slices.Contains(datasets, named{s.Dataset, v}) {
			datasets = append(datasets, named{s.Dataset, v})
		}
		if l, ok := linkSchemata[s.Schema]; ok && (s.Prop == l.from || s.Prop == l.to) {
			ends[s.Prop] = append(ends[s.Prop], endpoint{s.Value, v})
		}
		switch s.Prop {
		case "holder", "owner":
			if s.Prop == "holder" || s.Schema == "Vessel" || s.Schema == "Airplane" {
				ends["@"+s.Prop] = append(ends["@"+s.Prop], endpoint{s.Value, v})
			}
		case "role", "relationship", "percentage", "amount", "currency", "startDate":
			labels = append(labels, named{s.Value, v})
		}
		if typ, ok := sharedProps[s.Prop]; ok {
			if val := normValue(typ, s.Value); val != "" {
				k := sharedKey{typ, val}
				pi, _ := slices.BinarySearch(sharedPropNames, s.Prop)
				ix.hold(k, holder{node: n, vis: v, prop: uint8(pi), raw: s.Value})
				nd = &ix.nodes[n]
				nd.values = append(nd.values, valueRef{k, v})
			}
		}
	}
	nd = &ix.nodes[n]
	label := labels
	if l, ok := linkSchemata[nd.schema]; ok {
		for _, a := range ends[l.from] {
			for _, b := range ends[l.to] {
				ix.addEdge(n, edge{from: ix.nodeOf(a.id), to: ix.nodeOf(b.id), typ: l.typ, needs: uniq(a.v, b.v),
					link: nd.id, labels: label, refs: refs, datasets: datasets})
			}
		}
	}
	for _, h := range ends["@holder"] {
		if nd.schema != "BankAccount" && nd.schema != "CryptoWallet" {
			break // documents are not nodes of the network
		}
		ix.addEdge(n, edge{from: ix.nodeOf(h.id), to: n, typ: Holds, needs: []uint16{h.v}, link: nd.id, refs: refs, datasets: datasets})
	}
	for _, o := range ends["@owner"] {
		ix.addEdge(n, edge{from: ix.nodeOf(o.id), to: n, typ: Ownership, needs: []uint16{o.v}, link: nd.id, labels: []named{{"owner", o.v}}, refs: refs, datasets: datasets})
	}
}

func uniq(a, b uint16) []uint16 {
	if a == b {
		return []uint16{a}
	}
	return []uint16{a, b}
}

// addEdge adds an edge that node by states.
func (ix *Index) addEdge(by int32, e edge) {
	if e.from == e.to {
		return
	}
	var i int32
	if k := len(ix.free); k > 0 {
		i, ix.free = ix.free[k-1], ix.free[:k-1]
		ix.edges[i] = e
	} else {
		i = int32(len(ix.edges))
		ix.edges = append(ix.edges, e)
	}
	ix.link(e.from, i)
	ix.link(e.to, i)
	ix.nodes[by].links = append(ix.nodes[by].links, i)
}

// link adds edge i to node n's edges after those whose link's id is not
// greater: built in id order, that is appending.
func (ix *Index) link(n, i int32) {
	nd := &ix.nodes[n]
	adj, l := nd.adj(), ix.edges[i].link
	at := sort.Search(len(adj), func(k int) bool { return ix.edges[adj[k]].link > l })
	nd.links = slices.Insert(nd.links, at, i)
	nd.nAdj++
}

// hold adds a holder of value k after those whose id is not greater.
func (ix *Index) hold(k sharedKey, h holder) {
	hs, id := ix.shared[k], ix.nodes[h.node].id
	at := sort.Search(len(hs), func(i int) bool { return ix.nodes[hs[i].node].id > id })
	ix.shared[k] = slices.Insert(hs, at, h)
}

// Len is the number of nodes and of stated edges (shared values not
// counted: they are linked per viewer).
func (ix *Index) Len() (nodes, edges int) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.nodes), len(ix.edges) - len(ix.free)
}

// normValue is the form a shared value is compared in: identifiers and
// accounts without spaces and punctuation, upper case; addresses folded to
// lower-case words; wallets as written.
func normValue(typ, v string) string {
	switch typ {
	case SharedWallet:
		return strings.TrimSpace(v)
	case SharedAddress:
		f := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(f) < 3 { // "Iran", "Tehran, Iran": a place, not an address
			return ""
		}
		return strings.Join(f, " ")
	}
	var b strings.Builder
	for _, r := range v {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	if b.Len() < 5 {
		return ""
	}
	return b.String()
}
