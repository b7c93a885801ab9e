package iso20022

import (
	"strconv"
	"strings"
)

// node is an element read into memory: the group header, the debtor side
// of a payment information block, or one transaction, never the whole
// message.
type node struct {
	name   string
	text   string
	ccy    string // the Ccy attribute of amounts and accounts
	kids   []*node
	parent *node
	idx    int // 1-based among the same-named children of its parent
	line   int
}

// child returns the first child named name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// at follows a path of child names; nil when any is missing.
func (n *node) at(names ...string) *node {
	for _, name := range names {
		n = n.child(name)
		if n == nil {
			return nil
		}
	}
	return n
}

// get is the trimmed text at a path of child names, or "".
func (n *node) get(names ...string) string {
	if c := n.at(names...); c != nil {
		return strings.TrimSpace(c.text)
	}
	return ""
}

// all returns the children named name.
func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// repeatable elements show their index in paths even when first.
var repeatable = map[string]bool{"PmtInf": true, "CdtTrfTxInf": true}

// path is the element path from the document element, with the index of
// elements that repeat (CdtTrfTxInf[3]).
func (n *node) path() string {
	var parts []string
	for x := n; x != nil; x = x.parent {
		p := x.name
		if x.idx > 1 || repeatable[x.name] {
			p += "[" + strconv.Itoa(x.idx) + "]"
		}
		parts = append(parts, p)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}
