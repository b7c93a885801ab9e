package federation

import (
	"context"
	"crypto/ed25519"
	"iter"
	"log/slog"

	"concord"
	"concord/access"
)

// Node is this node's side of federation: its key and store.
type Node struct {
	Store concord.Store
	Key   *Key
	Clock concord.Clock
	Log   *slog.Logger
	// Relay nodes (a coalition node) forward to their peers what they
	// received from others; other nodes send only what was made on them.
	Relay bool
	// PageSize is the number of log entries a feed page covers (default
	// 1000).
	PageSize int
}

func (n *Node) now() concord.Clock {
	if n.Clock == nil {
		return concord.SystemClock{}
	}
	return n.Clock
}

func (n *Node) pageSize() int {
	if n.PageSize <= 0 {
		return 1000
	}
	return n.PageSize
}

// identity is this node's id and member.
func (n *Node) identity(ctx context.Context) (id, member string, err error) {
	if id, err = n.Store.NodeID(ctx); err != nil {
		return "", "", err
	}
	member, err = n.Store.NodeMember(ctx)
	return id, member, err
}

// recipient is who a feed or bundle is written for.
type recipient struct {
	member string
	node   string // its node id when known: its own versions are not sent back
	self   string // this node's id; set unless this node relays
}

// viewer is the recipient's view under the one predicate.
func (n *Node) filter(ctx context.Context, member string) (concord.Filter, error) {
	groups, err := n.Store.MemberGroups(ctx, member)
	if err != nil {
		return concord.Filter{}, err
	}
	return access.Node(member, groups).Filter(), nil
}

// page writes what the recipient may see of the log entries after since,
// up to position until and limit entries, and returns the position reached
// and whether entries remain.
func (n *Node) page(ctx context.Context, w *writer, to recipient, since, until int64, limit int) (reached int64, more bool, err error) {
	f, err := n.filter(ctx, to.member)
	if err != nil {
		return 0, false, err
	}
	reached = since
	for limit > 0 {
		ask := min(limit, 1000)
		entries, err := n.Store.FederationLog(ctx, reached, ask)
		if err != nil {
			return 0, false, err
		}
		for i := range entries {
			e := &entries[i]
			if e.Seq > until {
				return reached, false, nil
			}
			reached = e.Seq
			if v := versionFor(f, to, e); v != nil {
				if err := w.add(v); err != nil {
					return 0, false, err
				}
			}
		}
		limit -= len(entries)
		if len(entries) < ask || reached >= until {
			return reached, false, nil
		}
	}
	head, err := n.Store.FederationHead(ctx)
	return reached, head > reached, err
}

// versionFor decides what of entry e leaves for the recipient whose
// filter is f: the version when f admits it (and it is not of a case's
// record or a minor's, which no feed carries); a withdrawal when f admitted
// an earlier one of the statement (narrowed away, retracted, or become a
// minor's); nothing otherwise — not even a sign that the statement exists.
func versionFor(f concord.Filter, to recipient, e *concord.FederationEntry) *concord.StatementVersion {
	if to.node != "" && e.Origin == to.node {
		return nil // its own
	}
	if to.self != "" && e.Origin != to.self {
		return nil // received from another node, and this one relays nothing
	}
	if !e.CaseOnly && f.Allows(&e.Statement) {
		v := e.StatementVersion
		v.Statement.Seq = 0
		return &v
	}
	for _, sh := range e.Earlier {
		before := concord.Statement{ContributedBy: e.Statement.ContributedBy, Audience: sh.Audience, Handling: sh.Handling}
		if f.Allows(&before) {
			return &concord.StatementVersion{Origin: e.Origin, OriginSeq: e.OriginSeq, Withdrawn: true,
				Statement: concord.Statement{ID: e.Statement.ID}}
		}
	}
	return nil
}

// trusted checks each version against what the sending peer may say: a
// peer speaks for its own member and node; a relay also forwards others'.
func trusted(p *concord.Peer, h *Header, vs iter.Seq2[*concord.StatementVersion, error]) iter.Seq2[*concord.StatementVersion, error] {
	return func(yield func(*concord.StatementVersion, error) bool) {
		i := 0
		for v, err := range vs {
			i++
			if err == nil && !v.Withdrawn && concord.IsCaseSchema(v.Statement.Schema) {
				err = concord.Errorf(concord.EFORBIDDEN, "version %d: peer %s sends a statement of a %s record; a case's records travel only through the case operations", i, p.ID, v.Statement.Schema)
			}
			if err == nil && !p.Relay {
				switch {
				case v.Origin != h.Node:
					err = concord.Errorf(concord.EFORBIDDEN, "version %d: peer %s forwards a statement made on node %s; only relay peers forward other nodes' statements", i, p.ID, v.Origin)
				case !v.Withdrawn && v.Statement.ContributedBy != p.Member:
					err = concord.Errorf(concord.EFORBIDDEN, "version %d: peer %s (member %s) sends a statement of member %q; only relay peers forward other members' statements", i, p.ID, p.Member, v.Statement.ContributedBy)
				}
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// peerByKey finds the configured peer with public key pub.
func (n *Node) peerByKey(ctx context.Context, pub ed25519.PublicKey) (*concord.Peer, error) {
	peers, err := n.Store.Peers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range peers {
		k, err := ParsePublicKey(peers[i].PublicKey)
		if err == nil && k.Equal(pub) {
			return &peers[i], nil
		}
	}
	return nil, concord.Errorf(concord.EFORBIDDEN, "signed by an unknown node key %s: add the sender first (concord peer add)", FormatPublicKey(pub))
}
