package federation

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"

	"concord"
)

// ExportOptions says what bundle to write.
type ExportOptions struct {
	To string // the recipient member
	// Since is the cursor the bundle starts after: "" continues the last
	// bundle exported to To, "start" is everything.
	Since string
	// EncryptTo, when set, encrypts the bundle with age to this node key
	// (the recipient's): only its private key opens it.
	EncryptTo ed25519.PublicKey
}

// ExportResult describes a bundle written.
type ExportResult struct {
	concord.ExportRecord
	Versions int
	Cursor   string // --since for a bundle that continues this one
}

const startCursor = "start"

func bundleSeal(member string) string { return "bundle:" + member }

// ExportBundle writes a signed bundle of what member opt.To may see to w.
func (n *Node) ExportBundle(ctx context.Context, w io.Writer, opt ExportOptions) (*ExportResult, error) {
	if _, err := n.Store.Member(ctx, opt.To); err != nil {
		return nil, err
	}
	id, member, err := n.identity(ctx)
	if err != nil {
		return nil, err
	}
	if err := n.Store.SyncFederationLog(ctx); err != nil {
		return nil, err
	}
	head, err := n.Store.FederationHead(ctx)
	if err != nil {
		return nil, err
	}
	prev, err := n.Store.Exports(ctx, opt.To)
	if err != nil {
		return nil, err
	}
	rec := concord.ExportRecord{Member: opt.To, Until: head, Number: 1}
	if len(prev) > 0 {
		rec.Number = prev[len(prev)-1].Number + 1
	}
	cs := n.Key.cursors()
	switch opt.Since {
	case startCursor:
	case "":
		if len(prev) > 0 {
			rec.Since, rec.Base = prev[len(prev)-1].Until, prev[len(prev)-1].Number
		}
	default:
		if rec.Since, err = cs.open(opt.Since, bundleSeal(opt.To)); err != nil {
			return nil, err
		}
		// Exports run to the head of the log, so this bundle needs the
		// first earlier one that reached Since (or all, when none did).
		rec.Base = rec.Number - 1
		for _, p := range prev {
			if p.Until >= rec.Since {
				rec.Base = p.Number
				break
			}
		}
		if rec.Since == 0 {
			rec.Base = 0
		}
	}
	out := w
	var enc io.WriteCloser
	if opt.EncryptTo != nil {
		sshKey, err := ssh.NewPublicKey(opt.EncryptTo)
		if err != nil {
			return nil, err
		}
		r, err := agessh.NewEd25519Recipient(sshKey)
		if err != nil {
			return nil, err
		}
		if enc, err = age.Encrypt(w, r); err != nil {
			return nil, err
		}
		out = enc
	}
	cursor := cs.seal(rec.Until, bundleSeal(opt.To))
	bw := newWriter(out, n.Key, &Header{Kind: kindBundle, Node: id, Signer: n.Key.String(), From: member, To: opt.To,
		Number: rec.Number, Base: rec.Base, Until: cursor, Created: n.now().Now()})
	to := recipient{member: opt.To}
	if !n.Relay {
		to.self = id
	}
	if _, _, err := n.page(ctx, bw, to, rec.Since, rec.Until, math.MaxInt); err != nil {
		return nil, err
	}
	if err := bw.close(); err != nil {
		return nil, err
	}
	if enc != nil {
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	if err := n.Store.RecordExport(ctx, &rec); err != nil {
		return nil, err
	}
	return &ExportResult{ExportRecord: rec, Versions: bw.n, Cursor: cursor}, nil
}

// ImportResult is what importing a bundle did.
type ImportResult struct {
	Header Header
	Peer   string
	concord.FederationReport
}

// ImportBundle verifies the bundle file at path — signer, integrity,
// recipient and sequence — and applies it in one transaction: a bundle
// altered by one byte, signed by an unknown key, meant for another member
// or already imported is refused and nothing changes.
func (n *Node) ImportBundle(ctx context.Context, path string) (*ImportResult, error) {
	id, member, err := n.identity(ctx)
	if err != nil {
		return nil, err
	}
	if member == "" {
		return nil, concord.Errorf(concord.EINVALID, "this node serves no member yet: set it with concord node member ID")
	}
	open := func() (io.Reader, func(), error) { return n.openBundle(path) }
	r, done, err := open()
	if err != nil {
		return nil, err
	}
	v, pub, err := verify(path, r)
	done()
	if err != nil {
		return nil, err
	}
	h := &v.Header
	switch {
	case h.Kind != kindBundle:
		return nil, concord.Errorf(concord.EINVALID, "%s: a %s, not a bundle", path, h.Kind)
	case h.Node == id:
		return nil, concord.Errorf(concord.EINVALID, "%s: written by this node", path)
	}
	p, err := n.peerByKey(ctx, pub)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if h.To != member {
		return nil, concord.Errorf(concord.EFORBIDDEN, "%s: the bundle is for member %s; this node serves %s", path, h.To, member)
	}
	if h.Number <= 0 || h.Base < 0 || h.Base >= h.Number {
		return nil, concord.Errorf(concord.EINVALID, "%s: bundle number %d continuing %d", path, h.Number, h.Base)
	}
	r, done, err = open()
	if err != nil {
		return nil, err
	}
	defer done()
	rep, err := n.Store.ApplyFederated(ctx, concord.FederationSource{Peer: p.ID, NodeID: h.Node, Number: h.Number, Base: h.Base},
		trusted(p, h, versions(path, r, v.Digest)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &ImportResult{Header: *h, Peer: p.ID, FederationReport: *rep}, nil
}

// openBundle opens a bundle file, decrypting it with this node's key when
// it is age-encrypted.
func (n *Node) openBundle(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	br := bufio.NewReader(f)
	head, _ := br.Peek(len("age-encryption.org/"))
	if !bytes.Equal(head, []byte("age-encryption.org/")) {
		return br, func() { f.Close() }, nil
	}
	id, err := agessh.NewEd25519Identity(n.Key.priv)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	r, err := age.Decrypt(br, id)
	if err != nil {
		f.Close()
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, nil, concord.Errorf(concord.EFORBIDDEN, "%s: the bundle is encrypted to another node's key", path)
		}
		return nil, nil, concord.Errorf(concord.EINVALID, "%s: cannot decrypt: %v", path, err)
	}
	return r, func() { f.Close() }, nil
}
