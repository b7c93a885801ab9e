package iso20022

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"

	"concord/internal/importer/payment"
)

// Bounds that keep memory flat whatever the input.
const (
	maxDepth     = 64
	maxNodes     = 20000   // elements of one group header, payment block or transaction
	maxText      = 1 << 16 // bytes of one element's text
	maxCapture   = 4 << 20 // bytes of text in one captured element
	detectWindow = 4096
)

// Message roots, and the message each one is.
var roots = map[string]string{
	"CstmrCdtTrfInitn":  "pain.001",
	"FIToFICstmrCdtTrf": "pacs.008",
	"FICdtTrf":          "pacs.009",
}

// otherRoots are ISO 20022 messages Concord does not screen, named in the
// error that refuses them.
var otherRoots = map[string]string{
	"BkToCstmrStmt": "camt.053", "BkToCstmrDbtCdtNtfctn": "camt.054", "BkToCstmrAcctRpt": "camt.052",
	"FIToFIPmtStsRpt": "pacs.002", "FIToFICstmrDrctDbt": "pacs.003", "PmtRtr": "pacs.004",
	"CstmrDrctDbtInitn": "pain.008", "CstmrPmtStsRpt": "pain.002", "FIToFIPmtCxlReq": "camt.056",
}

var reMsgName = regexp.MustCompile(`(pain|pacs|camt|head)\.\d{3}\.\d{3}\.\d{2}(\.[A-Za-z]{2,3}\.\d{2})?`)

// Detect reports whether head (the first bytes of a file) is an ISO 20022
// credit transfer: XML that names pacs.008, pacs.009 or pain.001 in a
// namespace or by its root element.
func Detect(head []byte) bool {
	h := bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	if !bytes.HasPrefix(h, []byte("<")) {
		return false
	}
	for _, m := range reMsgName.FindAll(head, -1) {
		if bytes.HasPrefix(m, []byte("pain.001")) || bytes.HasPrefix(m, []byte("pacs.008")) || bytes.HasPrefix(m, []byte("pacs.009")) {
			return true
		}
	}
	for root := range roots {
		if bytes.Contains(head, []byte("<"+root)) || bytes.Contains(head, []byte(":"+root)) {
			return true
		}
	}
	return false
}

// reader is the state of one streaming read.
type reader struct {
	sc     *scanner
	file   string
	fn     func(*payment.Transaction) error
	msg    payment.Message
	kind   string // pain.001, pacs.008, pacs.009
	stack  []*node
	names  []qname       // raw names of the open elements, to match end tags
	seen   []childCounts // per open element: children seen by name
	root   *node         // the message element
	grpHdr *node
	appHdr *node
	pmtInf *node // the open PmtInf, holding its children other than transactions
	pmtN   int   // PmtInf blocks read
	txN    int   // transactions read
	// capture is the element being read into memory (nil outside one);
	// nodes and bytes count what it holds.
	capture      *node
	nodes, bytes int
	lastPmtNb    string // NbOfTxs of the open PmtInf
	pmtTx        int    // transactions of the open PmtInf
	// The nodes of the open transaction are the arena's (inArena), taken
	// back when the next transaction starts; the texts of the open
	// capture's elements are one buffer (tbuf) until it ends, when they
	// become one string: texts are the nodes that have some.
	arena   nodeArena
	inArena bool
	tbuf    []byte
	texts   []*node
	// parties are the open transaction's, copied out when it is mapped.
	parties []payment.Party
	// ns maps the namespace prefixes declared outside captured elements
	// ("" for the default namespace) to their names.
	ns map[string]string
	// interned are the element names and currencies read so far: a
	// message repeats a few dozen.
	interned map[string]string
}

// qname is an element's name as written: prefix and local name.
type qname struct{ space, local string }

func (n qname) String() string {
	if n.space != "" {
		return n.space + ":" + n.local
	}
	return n.local
}

// maxInterned and maxInternedLen bound what the names kept hold, whatever
// the input: any other name is a string of its own.
const (
	maxInterned    = 4096
	maxInternedLen = 64
)

func (r *reader) intern(b []byte) string {
	if len(b) > maxInternedLen {
		return string(b)
	}
	if s, ok := r.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.interned) < maxInterned {
		r.interned[s] = s
	}
	return s
}

// Read streams a message from r and calls fn for each transaction, in
// document order, as soon as it is read. It returns the message header
// (with the number of transactions) or an *Error. fn's error stops the read
// and is returned as is.
func Read(r io.Reader, file string, fn func(*payment.Transaction) error) (*payment.Message, error) {
	sc := newScanner(r, func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("encoding %q not supported", label)
		}
		return transform.NewReader(in, enc.NewDecoder()), nil
	})
	sc.textLimit = maxText + 1 // a longer run is refused where it is read, never held whole
	rd := &reader{sc: sc, file: file, fn: fn, ns: map[string]string{}, interned: map[string]string{}}
	if err := rd.run(); err != nil {
		return nil, err
	}
	return &rd.msg, nil
}

// ReadAll reads every transaction into memory (tests, small messages).
func ReadAll(r io.Reader, file string) (*payment.Message, []payment.Transaction, error) {
	var txs []payment.Transaction
	m, err := Read(r, file, func(t *payment.Transaction) error {
		txs = append(txs, *t)
		return nil
	})
	return m, txs, err
}

func (r *reader) errAt(n *node, format string, args ...any) error {
	e := &Error{File: r.file, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line, e.Path = n.line, n.path()
	} else {
		e.Line = r.sc.line
	}
	return e
}

func (r *reader) top() *node {
	if len(r.stack) == 0 {
		return nil
	}
	return r.stack[len(r.stack)-1]
}

func (r *reader) run() error {
	for {
		kind, err := r.sc.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *syntaxError
			if errors.As(err, &se) {
				msg := se.msg
				if msg == "unexpected EOF" && r.top() != nil {
					msg = fmt.Sprintf("unexpected end of input: <%s> is not closed (truncated message?)", r.top().name)
				}
				return &Error{File: r.file, Line: se.line, Path: r.openPath(), Err: errors.New(msg)}
			}
			return &Error{File: r.file, Line: r.sc.line, Path: r.openPath(), Err: err}
		}
		switch kind {
		case tokStart:
			err = r.start()
		case tokEnd:
			err = r.end()
		case tokText:
			err = r.chars(r.sc.text)
		}
		if err != nil {
			return err
		}
	}
	if n := r.top(); n != nil {
		return &Error{File: r.file, Line: r.sc.line, Path: n.path(), Err: fmt.Errorf("unexpected end of input: <%s> is not closed (truncated message?)", n.name)}
	}
	if r.root == nil {
		return &Error{File: r.file, Err: errors.New("no pacs.008, pacs.009 or pain.001 message in the document")}
	}
	if r.msg.Declared > 0 && r.msg.Declared != r.txN {
		r.msg.Warnings = append(r.msg.Warnings, fmt.Sprintf("GrpHdr/NbOfTxs says %d transactions, the message holds %d", r.msg.Declared, r.txN))
	}
	r.msg.Transactions = r.txN
	return nil
}

// openPath is the path of the innermost open element, for syntax errors.
func (r *reader) openPath() string {
	if n := r.top(); n != nil {
		return n.path()
	}
	return ""
}

func (r *reader) start() error {
	sc := r.sc
	line := sc.line
	local := r.intern(sc.local)
	parent := r.top()
	if len(r.stack) >= maxDepth {
		return r.errAt(parent, "elements nested more than %d deep", maxDepth)
	}
	var n *node
	txStart := false
	switch {
	case r.capture != nil && r.inArena:
		n = r.arena.alloc()
	case r.capture == nil && local == "CdtTrfTxInf" && parent != nil && (parent == r.root || parent == r.pmtInf):
		// A transaction begins: the previous one's nodes are done with.
		r.arena.reset()
		n, txStart = r.arena.alloc(), true
	default:
		n = new(node)
	}
	n.name, n.parent, n.line, n.idx, n.toff = local, parent, line, 1, -1
	if len(r.seen) > 0 {
		n.idx = r.seen[len(r.seen)-1].add(n.name)
	}
	for _, a := range sc.attrs {
		if string(sc.bytesOf(a.local)) == "Ccy" {
			n.ccy = r.intern(bytes.TrimSpace(sc.bytesOf(a.value)))
		}
	}
	if r.capture == nil {
		for _, a := range sc.attrs {
			switch space := sc.bytesOf(a.space); {
			case len(space) == 0 && string(sc.bytesOf(a.local)) == "xmlns":
				r.ns[""] = string(sc.bytesOf(a.value))
			case string(space) == "xmlns":
				r.ns[string(sc.bytesOf(a.local))] = string(sc.bytesOf(a.value))
			}
		}
	}
	switch {
	case r.capture != nil:
		r.nodes++
		if r.nodes > maxNodes {
			return r.errAt(r.capture, "more than %d elements in one %s", maxNodes, r.capture.name)
		}
		parent.addKid(n)
	case r.root == nil:
		if kind, ok := roots[n.name]; ok {
			r.root, r.kind = n, kind
			r.setFormat(string(sc.prefix), local)
		} else if other, ok := otherRoots[n.name]; ok {
			return r.errAt(n, "%s (%s) is not a credit transfer: Concord screens pacs.008, pacs.009 and pain.001", other, n.name)
		} else if n.name == "AppHdr" {
			r.startCapture(n)
		} else if parent != nil && parent.name == "Document" {
			return r.errAt(n, "unknown message <%s>: want pacs.008 (FIToFICstmrCdtTrf), pacs.009 (FICdtTrf) or pain.001 (CstmrCdtTrfInitn)", n.name)
		}
	case parent == r.root:
		if n.name != "PmtInf" || r.kind != "pain.001" {
			r.startCapture(n)
		} else {
			r.pmtN++
			r.pmtInf, r.lastPmtNb, r.pmtTx = n, "", 0
		}
	case parent == r.pmtInf && parent != nil:
		r.startCapture(n)
		if n.name != "CdtTrfTxInf" {
			r.pmtInf.addKid(n)
		}
	}
	if r.capture == n {
		r.inArena = txStart
	}
	r.stack = append(r.stack, n)
	r.names = append(r.names, qname{r.intern(sc.prefix), local})
	// The counts of a level are reused from element to element (a map
	// per element was most of what reading a message allocated).
	if len(r.seen) < cap(r.seen) {
		r.seen = r.seen[:len(r.seen)+1]
		r.seen[len(r.seen)-1].reset()
	} else {
		r.seen = append(r.seen, childCounts{})
	}
	return nil
}

// childCounts counts an element's children by name: a short list, then a
// map once it holds more than maxListedNames names.
type childCounts struct {
	list []nameCount
	big  map[string]int
}

type nameCount struct {
	name string
	n    int
}

const maxListedNames = 32

func (c *childCounts) reset() {
	c.list = c.list[:0]
	c.big = nil
}

// add counts one more child named name and returns its count.
func (c *childCounts) add(name string) int {
	if c.big != nil {
		c.big[name]++
		return c.big[name]
	}
	for i := range c.list {
		if c.list[i].name == name {
			c.list[i].n++
			return c.list[i].n
		}
	}
	if len(c.list) < maxListedNames {
		c.list = append(c.list, nameCount{name, 1})
		return 1
	}
	c.big = make(map[string]int, 2*maxListedNames)
	for _, e := range c.list {
		c.big[e.name] = e.n
	}
	c.big[name] = 1
	return 1
}

func (r *reader) end() error {
	sc := r.sc
	n := r.top()
	if n == nil {
		return r.errAt(nil, "end tag </%s> without a start tag", sc.local)
	}
	if open := r.names[len(r.names)-1]; open.local != string(sc.local) || open.space != string(sc.prefix) {
		return r.errAt(n, "end tag </%s> does not close <%s>", qname{string(sc.prefix), string(sc.local)}, open)
	}
	r.stack = r.stack[:len(r.stack)-1]
	r.names = r.names[:len(r.names)-1]
	r.seen = r.seen[:len(r.seen)-1]
	parent := r.top()
	switch {
	case n == r.capture:
		r.capture = nil
		r.endText()
		switch {
		case n.name == "AppHdr":
			r.appHdr = n
			r.appHeader(n)
		case parent == r.root && n.name == "GrpHdr":
			r.grpHdr = n
			return r.header(n)
		case n.name == "CdtTrfTxInf" && (parent == r.root || parent == r.pmtInf && parent != nil):
			if parent == r.pmtInf {
				r.pmtTx++
			}
			return r.transaction(n)
		case parent == r.pmtInf && n.name == "NbOfTxs":
			r.lastPmtNb = strings.TrimSpace(n.text)
		}
	case n == r.pmtInf:
		if r.lastPmtNb != "" && r.lastPmtNb != fmt.Sprint(r.pmtTx) {
			r.msg.Warnings = append(r.msg.Warnings, fmt.Sprintf("%s: NbOfTxs says %s transactions, the block holds %d", n.path(), r.lastPmtNb, r.pmtTx))
		}
		r.pmtInf = nil
	}
	return nil
}

func (r *reader) chars(t []byte) error {
	if r.capture == nil {
		return nil
	}
	n := r.top()
	have := len(n.text)
	if n.toff >= 0 {
		have = n.tend - n.toff
	}
	if have == 0 && len(bytes.TrimSpace(t)) == 0 {
		return nil
	}
	if have+len(t) > maxText {
		return r.errAt(n, "text longer than %d bytes", maxText)
	}
	r.bytes += len(t)
	if r.bytes > maxCapture {
		return r.errAt(r.capture, "more than %d bytes of text in one %s", maxCapture, r.capture.name)
	}
	switch {
	case have == 0:
		n.toff = len(r.tbuf)
		r.tbuf = append(r.tbuf, t...)
		n.tend = len(r.tbuf)
		r.texts = append(r.texts, n)
	case n.toff >= 0 && n.tend == len(r.tbuf):
		r.tbuf = append(r.tbuf, t...)
		n.tend = len(r.tbuf)
	case n.toff >= 0:
		// Text on both sides of a child element (mixed content, which
		// ISO 20022 does not use): the element keeps a string of its own.
		n.text = string(r.tbuf[n.toff:n.tend]) + string(t)
		n.toff = -1
	default:
		n.text += string(t)
	}
	return nil
}

func (r *reader) startCapture(n *node) {
	r.capture, r.nodes, r.bytes = n, 1, 0
	r.tbuf = r.tbuf[:0]
	clear(r.texts)
	r.texts = r.texts[:0]
}

// endText gives the elements of the capture that ends their texts: one
// string for all of them.
func (r *reader) endText() {
	if len(r.texts) == 0 {
		return
	}
	s := string(r.tbuf)
	for _, n := range r.texts {
		if n.toff >= 0 {
			n.text = s[n.toff:n.tend]
		}
	}
}

// setFormat names the message from its namespace, or from its root.
func (r *reader) setFormat(prefix, local string) {
	ns := r.ns[prefix]
	r.msg.Namespace = ns
	r.msg.Format = r.kind
	if m := reMsgName.FindString(ns); m != "" {
		if strings.HasPrefix(m, r.kind) {
			r.msg.Format = m
		} else {
			r.msg.Warnings = append(r.msg.Warnings, fmt.Sprintf("namespace %s names %s but the message is %s (%s)", ns, m, r.kind, local))
		}
	}
}
