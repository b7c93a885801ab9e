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
	parent *node
	// The children, in document order: first and last child, and the next
	// sibling (a list, not a slice per element).
	first, last, next *node
	idx               int // 1-based among the same-named children of its parent
	line              int
	// While its capture is read, the node's text is toff:tend of the
	// capture's text buffer (toff < 0: none there, text holds it).
	toff, tend int
}

// addKid appends k to n's children.
func (n *node) addKid(k *node) {
	if n.last == nil {
		n.first = k
	} else {
		n.last.next = k
	}
	n.last = k
}

// child returns the first child named name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for k := n.first; k != nil; k = k.next {
		if k.name == name {
			return k
		}
	}
	return nil
}

// nextNamed returns the next sibling of n with n's name, or nil: with
// child, it walks the children of one name (for k := n.child(x); k != nil;
// k = k.nextNamed()).
func (n *node) nextNamed() *node {
	for k := n.next; k != nil; k = k.next {
		if k.name == n.name {
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

// repeatable elements show their index in paths even when first.
func repeatable(name string) bool { return name == "PmtInf" || name == "CdtTrfTxInf" }

// path is the element path from the document element, with the index of
// elements that repeat (CdtTrfTxInf[3]).
func (n *node) path() string {
	var buf [256]byte
	return string(n.appendPath(buf[:0]))
}

func (n *node) appendPath(b []byte) []byte {
	if n.parent != nil {
		b = append(n.parent.appendPath(b), '/')
	}
	b = append(b, n.name...)
	if n.idx > 1 || repeatable(n.name) {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(n.idx), 10)
		b = append(b, ']')
	}
	return b
}

// nodeArena hands out the nodes of one transaction and takes them all back
// when the next begins: the nodes of a message's transactions are the same
// few chunks of memory.
type nodeArena struct {
	chunks [][]node
	c, i   int // next node: chunks[c][i]
}

const arenaChunk = 64

// keptChunks bounds what the arena keeps between transactions after an
// unusually large one.
const keptChunks = 16

func (a *nodeArena) alloc() *node {
	if a.c == len(a.chunks) {
		a.chunks = append(a.chunks, make([]node, arenaChunk))
	}
	n := &a.chunks[a.c][a.i]
	*n = node{}
	if a.i++; a.i == arenaChunk {
		a.c, a.i = a.c+1, 0
	}
	return n
}

// reset takes every node back: none may be used after it.
func (a *nodeArena) reset() {
	if len(a.chunks) > keptChunks {
		clear(a.chunks[keptChunks:])
		a.chunks = a.chunks[:keptChunks]
	}
	a.c, a.i = 0, 0
}
