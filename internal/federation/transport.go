package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"concord"
)

// The feed over HTTPS with mutual TLS: each side presents a self-signed
// certificate of its node key, and each pins the other's key (the server
// looks the client's up among its peers, the client holds the server to
// the key it configured). A page is the signed format, so that the client
// verifies it as it verifies a bundle.

// FeedPath is the path of the feed.
const FeedPath = "/federation/v1/feed"

// maxPage bounds the body of a feed page a client reads.
const maxPage = 256 << 20

// ServerTLS is the TLS configuration of the federation listener: TLS 1.3,
// a client certificate required (checked against the peers by Handler).
func (n *Node) ServerTLS() (*tls.Config, error) {
	cert, err := n.Key.Certificate(n.now().Now())
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAnyClientCert,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			_, err := certKey(raw)
			return err
		},
	}, nil
}

// Handler serves the feed to peers that present a configured key.
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+FeedPath, n.serveFeed)
	return mux
}

func (n *Node) serveFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	fail := func(err error) {
		code := concord.ErrorCode(err)
		if code == concord.EINTERNAL && n.Log != nil {
			n.Log.Error("federation feed", "err", err)
		}
		msg := err.Error()
		if code == concord.EINTERNAL {
			msg = "internal error"
		}
		http.Error(w, msg, concord.HTTPStatus(code))
	}
	if r.TLS == nil {
		fail(concord.Errorf(concord.EUNAUTHORIZED, "the feed needs mutual TLS with a node key"))
		return
	}
	pub, err := certKey(rawChain(r.TLS))
	if err != nil {
		fail(concord.Errorf(concord.EUNAUTHORIZED, "client certificate: %v", err))
		return
	}
	p, err := n.peerByKey(ctx, pub)
	if err != nil {
		fail(concord.Errorf(concord.EFORBIDDEN, "not a peer of this node: %s", FormatPublicKey(pub)))
		return
	}
	ctx = concord.WithActor(ctx, concord.Actor{User: "peer:" + p.ID, Member: p.Member, Via: "federation"})
	limit := n.pageSize()
	if s := r.URL.Query().Get("limit"); s != "" {
		if l, err := strconv.Atoi(s); err == nil && l > 0 {
			limit = min(l, limit)
		}
	}
	cs := n.Key.cursors()
	seal := "feed:" + FormatPublicKey(pub)
	since := r.URL.Query().Get("cursor")
	pos, err := cs.open(since, seal)
	if err != nil {
		fail(err)
		return
	}
	if err := n.Store.SyncFederationLog(ctx); err != nil {
		fail(err)
		return
	}
	id, member, err := n.identity(ctx)
	if err != nil {
		fail(err)
		return
	}
	// The page is built in memory (bounded by the page size) so that an
	// error is answered as one, not as a page cut short.
	var buf bytes.Buffer
	to := recipient{member: p.Member, node: p.NodeID}
	if !n.Relay {
		to.self = id
	}
	// A page is written twice: first to learn where it ends, then with
	// that cursor in its header (the header is signed with the rest).
	probe := newWriter(io.Discard, n.Key, &Header{})
	reached, more, err := n.page(ctx, probe, to, pos, math.MaxInt64, limit)
	if err != nil {
		fail(err)
		return
	}
	pw := newWriter(&buf, n.Key, &Header{Kind: kindFeed, Node: id, Signer: n.Key.String(), From: member, To: p.Member,
		Since: since, Until: cs.seal(reached, seal), More: more, Created: n.now().Now()})
	if _, _, err := n.page(ctx, pw, to, pos, reached, limit); err != nil {
		fail(err)
		return
	}
	if err := pw.close(); err != nil {
		fail(err)
		return
	}
	if err := n.Store.Audit(ctx, "federation.feed", "peer:"+p.ID, fmt.Sprintf("%d versions", pw.n)); err != nil {
		fail(err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.concord.federation")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

func rawChain(st *tls.ConnectionState) [][]byte {
	var out [][]byte
	for _, c := range st.PeerCertificates {
		out = append(out, c.Raw)
	}
	return out
}

// client is an HTTPS client that presents this node's key and holds the
// server to the peer's.
func (n *Node) client(peerKey ed25519.PublicKey) (*http.Client, error) {
	cert, err := n.Key.Certificate(n.now().Now())
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS13,
		Certificates:       []tls.Certificate{cert},
		InsecureSkipVerify: true, // no CA: the key is pinned below
		VerifyConnection: func(cs tls.ConnectionState) error {
			pub, err := certKey(rawChain(&cs))
			if err != nil {
				return err
			}
			if !pub.Equal(peerKey) {
				return fmt.Errorf("the server's key is %s, not the peer's %s", FormatPublicKey(pub), FormatPublicKey(peerKey))
			}
			return nil
		},
	}
	tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true,
		DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext, TLSHandshakeTimeout: 10 * time.Second}
	return &http.Client{Transport: tr, Timeout: 5 * time.Minute}, nil
}

// PullResult is what a pull from one peer brought.
type PullResult struct {
	Peer  string
	Pages int
	concord.FederationReport
}

// Pull reads the peer's feed from its stored cursor to its end, applying
// each page with the cursor it reaches in one transaction: an interrupted
// pull resumes from the last page applied, with nothing lost or doubled.
func (n *Node) Pull(ctx context.Context, peerID string) (*PullResult, error) {
	_, member, err := n.identity(ctx)
	if err != nil {
		return nil, err
	}
	if member == "" {
		return nil, concord.Errorf(concord.EINVALID, "this node serves no member yet: set it with concord node member ID")
	}
	res := &PullResult{Peer: peerID}
	for {
		p, err := n.Store.Peer(ctx, peerID)
		if err != nil {
			return res, err
		}
		more, rep, err := n.pullPage(ctx, p, member)
		if err != nil {
			return res, fmt.Errorf("pulling from peer %s: %w", p.ID, err)
		}
		res.Pages++
		res.Versions += rep.Versions
		res.Added += rep.Added
		res.Updated += rep.Updated
		res.Withdrawn += rep.Withdrawn
		res.Ignored += rep.Ignored
		res.Entities = append(res.Entities, rep.Entities...)
		if !more {
			return res, nil
		}
	}
}

func (n *Node) pullPage(ctx context.Context, p *concord.Peer, member string) (bool, *concord.FederationReport, error) {
	if p.URL == "" {
		return false, nil, concord.Errorf(concord.EINVALID, "peer %s has no URL (bundles only)", p.ID)
	}
	pub, err := ParsePublicKey(p.PublicKey)
	if err != nil {
		return false, nil, err
	}
	c, err := n.client(pub)
	if err != nil {
		return false, nil, err
	}
	defer c.CloseIdleConnections()
	u := strings.TrimSuffix(p.URL, "/") + FeedPath + "?cursor=" + url.QueryEscape(p.Cursor)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, nil, concord.Errorf(concord.EINVALID, "peer %s: URL %q: %v", p.ID, p.URL, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPage+1))
	if err != nil {
		return false, nil, fmt.Errorf("reading the page: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return false, nil, fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	name := "feed page from " + p.ID
	v, signer, err := verify(name, bytes.NewReader(body))
	if err != nil {
		return false, nil, err
	}
	h := &v.Header
	switch {
	case !signer.Equal(pub):
		return false, nil, concord.Errorf(concord.EFORBIDDEN, "%s: signed by %s, not the peer's key", name, h.Signer)
	case h.Kind != kindFeed:
		return false, nil, concord.Errorf(concord.EINVALID, "%s: a %s, not a feed page", name, h.Kind)
	case h.To != member:
		return false, nil, concord.Errorf(concord.EFORBIDDEN, "%s: the page is for member %s; this node serves %s", name, h.To, member)
	case h.Since != p.Cursor:
		return false, nil, concord.Errorf(concord.EINVALID, "%s: the page does not continue from the cursor asked", name)
	}
	rep, err := n.Store.ApplyFederated(ctx, concord.FederationSource{Peer: p.ID, NodeID: h.Node, Since: h.Since, Until: h.Until},
		trusted(p, h, versions(name, bytes.NewReader(body), v.Digest)))
	if err != nil {
		return false, nil, err
	}
	return h.More, rep, nil
}

// Run pulls from every peer with a URL every interval until ctx ends,
// logging what fails (the next round retries from the cursor reached).
func (n *Node) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n.PullAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PullAll pulls once from every peer with a URL.
func (n *Node) PullAll(ctx context.Context) []error {
	peers, err := n.Store.Peers(ctx)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, p := range peers {
		if p.URL == "" {
			continue
		}
		res, err := n.Pull(ctx, p.ID)
		if err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
			if n.Log != nil {
				n.Log.Warn("federation pull", "peer", p.ID, "err", err)
			}
			continue
		}
		if n.Log != nil && res != nil && res.Versions > 0 {
			n.Log.Info("federation pull", "peer", p.ID, "versions", res.Versions, "added", res.Added,
				"updated", res.Updated, "withdrawn", res.Withdrawn, "ignored", res.Ignored)
		}
	}
	return errs
}
