package graph

import (
	"slices"
	"strings"
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

// node is one entity.
type node struct {
	id      string
	schema  string    // most specific schema stated, by anyone (for building)
	schemas []named   // schemata stated, with their visibility (for views)
	vis     []uint16  // distinct visibilities of its statements
	listed  []uint16  // ... of its statements from published lists, when listable
	names   []propVal // its name-like values, for captions
	refs    []named
	adj     []int32    // edges at this node
	values  []valueRef // the shared values it holds
}

type valueRef struct {
	key sharedKey
	vis uint16
}

type named struct {
	value string
	vis   uint16
}

type propVal struct {
	prop, value string
	vis         uint16
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

// Index is the facts of the network with their visibility.
type Index struct {
	nodes  []node
	byID   map[string]int32
	edges  []edge
	vis    []vis
	visOf  map[vis]uint16
	shared map[sharedKey][]holder // value → who holds it
}

type sharedKey struct{ typ, value string }

type holder struct {
	node int32
	vis  uint16
	prop string
	raw  string
}

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

func addVis(list []uint16, v uint16) []uint16 {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// Add records the statements of one entity (not retracted; all of them,
// any audience). Entities may come in any order: an edge to an entity not
// yet seen creates its node, which exists for a viewer only once the
// viewer sees a statement of it.
func (ix *Index) Add(stmts []concord.Statement) {
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
		nd.vis = addVis(nd.vis, v)
		if sc := concord.SchemaByName(s.Schema); nd.schema == "" || sc != nil && sc.Is(nd.schema) && s.Schema != nd.schema {
			nd.schema = s.Schema
		}
		if !slices.Contains(nd.schemas, named{s.Schema, v}) {
			nd.schemas = append(nd.schemas, named{s.Schema, v})
		}
		if s.ContributedBy == "" && s.Dataset != "" && listable[s.Schema] {
			nd.listed = addVis(nd.listed, v)
		}
		if s.SourceRef != "" && !slices.ContainsFunc(nd.refs, func(x named) bool { return x.value == s.SourceRef && x.vis == v }) {
			nd.refs = append(nd.refs, named{s.SourceRef, v})
		}
		if slices.Contains(captionProps, s.Prop) {
			nd.names = append(nd.names, propVal{s.Prop, s.Value, v})
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
				ix.shared[k] = append(ix.shared[k], holder{node: n, vis: v, prop: s.Prop, raw: s.Value})
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
				ix.addEdge(edge{from: ix.nodeOf(a.id), to: ix.nodeOf(b.id), typ: l.typ, needs: uniq(a.v, b.v),
					link: nd.id, labels: label, refs: refs, datasets: datasets})
			}
		}
	}
	for _, h := range ends["@holder"] {
		if nd.schema != "BankAccount" && nd.schema != "CryptoWallet" {
			break // documents are not nodes of the network
		}
		ix.addEdge(edge{from: ix.nodeOf(h.id), to: n, typ: Holds, needs: []uint16{h.v}, link: nd.id, refs: refs, datasets: datasets})
	}
	for _, o := range ends["@owner"] {
		ix.addEdge(edge{from: ix.nodeOf(o.id), to: n, typ: Ownership, needs: []uint16{o.v}, link: nd.id, labels: []named{{"owner", o.v}}, refs: refs, datasets: datasets})
	}
}

func uniq(a, b uint16) []uint16 {
	if a == b {
		return []uint16{a}
	}
	return []uint16{a, b}
}

func (ix *Index) addEdge(e edge) {
	if e.from == e.to {
		return
	}
	i := int32(len(ix.edges))
	ix.edges = append(ix.edges, e)
	ix.nodes[e.from].adj = append(ix.nodes[e.from].adj, i)
	ix.nodes[e.to].adj = append(ix.nodes[e.to].adj, i)
}

// Len is the number of nodes and of stated edges (shared values not
// counted: they are linked per viewer).
func (ix *Index) Len() (nodes, edges int) { return len(ix.nodes), len(ix.edges) }

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
