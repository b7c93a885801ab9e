package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/federation"
)

// nodeKeyPath is the node key file: --node-key, or node.key in the data
// directory.
func (m *Main) nodeKeyPath() string {
	if m.NodeKey != "" {
		return m.NodeKey
	}
	return filepath.Join(m.DataDir, "node.key")
}

// federationNode opens this node's key (creating it on first use) over st.
func (m *Main) federationNode(st concord.Store, relay bool) (*federation.Node, error) {
	k, created, err := federation.LoadKey(m.nodeKeyPath())
	if err != nil {
		return nil, err
	}
	if created {
		m.logf("created the node key %s: %s", m.nodeKeyPath(), k)
	}
	return &federation.Node{Store: st, Key: k, Clock: m.Clock, Relay: relay}, nil
}

func (m *Main) nodeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "This node's identity for federation: its key, id and member",
		Long: `A node is one Concord installation (one store). For federation it has an
ed25519 key pair, created on first use in the data directory (node.key,
readable by its owner only; --node-key to keep it elsewhere), an id that
peers know it by (kept in the store: it survives a key rotation), and the
member it serves, whose view it receives from its peers.`,
	}
	key := &cobra.Command{
		Use:   "key",
		Short: "Print this node's public key and id (what peers configure)",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			n, err := m.federationNode(st, false)
			if err != nil {
				return err
			}
			id, err := st.NodeID(ctx)
			if err != nil {
				return err
			}
			member, err := st.NodeMember(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "public key: %s\nnode id:    %s\nmember:     %s\n", n.Key, id, orNone(member))
			return nil
		}),
	}
	rotate := &cobra.Command{
		Use:   "rotate-key",
		Short: "Replace the node key (the old one is kept as node.key.old); tell every peer the new public key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := m.nodeKeyPath()
			old, err := federation.ReadKey(path)
			if err != nil {
				return err
			}
			k, err := federation.NewKey()
			if err != nil {
				return err
			}
			if err := os.Rename(path, path+".old"); err != nil {
				return err
			}
			if err := k.Write(path); err != nil {
				_ = os.Rename(path+".old", path)
				return err
			}
			fmt.Fprintf(m.Stdout, "old public key: %s (kept in %s.old)\nnew public key: %s\nOn every peer: concord peer add ID --member MEMBER --key %s (same ID: the key is replaced)\n",
				old, path, k, k)
			return nil
		},
	}
	member := &cobra.Command{
		Use:   "member ID",
		Short: "Set the member this node serves (the view its peers send it)",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			if err := st.SetNodeMember(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "this node serves member %s\n", args[0])
			return nil
		}),
	}
	cmd.AddCommand(key, rotate, member)
	return cmd
}

func orNone(s string) string {
	if s == "" {
		return "(none: set it with concord node member ID)"
	}
	return s
}

func (m *Main) peerCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "peer",
		Short: "Configure the nodes this node exchanges statements with",
		Long: `A peer is another node, configured by its public key (concord node key
on it prints it) and the member it serves: what this node sends it, by feed
or bundle, is exactly what that member's users may see here. A peer with a
URL is pulled from by concord sync and concord serve --sync-every; without
one it exchanges bundles only. --relay marks a peer (a coalition node) that
may forward statements of other members and nodes; any other peer may send
only its own member's statements, made on it.`,
	}
	var p concord.Peer
	add := &cobra.Command{
		Use:     "add ID --member MEMBER --key ed25519:... [--url https://host:port] [--relay]",
		Short:   "Add a peer, or change its key, member, URL or relay flag",
		Example: `  concord peer add coalition --member secretariat --key ed25519:Xy...= --url https://coalition.example:8443 --relay`,
		Args:    cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			p.ID = args[0]
			if _, err := federation.ParsePublicKey(p.PublicKey); err != nil {
				return err
			}
			if _, err := st.Member(ctx, p.Member); err != nil {
				return fmt.Errorf("--member: %w", err)
			}
			if err := st.PutPeer(ctx, &p); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "peer %s: member %s, key %s\n", p.ID, p.Member, p.PublicKey)
			return nil
		}),
	}
	add.Flags().StringVar(&p.Member, "member", "", "the member the peer serves (required)")
	add.Flags().StringVar(&p.PublicKey, "key", "", "the peer's public key, ed25519:... (required)")
	add.Flags().StringVar(&p.URL, "url", "", "the peer's federation address, https://host:port (none: bundles only)")
	add.Flags().BoolVar(&p.Relay, "relay", false, "the peer may forward other members' statements (a coalition node)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the peers and how far each was synced",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			peers, err := st.Peers(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tMEMBER\tRELAY\tURL\tNODE\tLAST SYNC\tBUNDLE\tKEY")
			for _, p := range peers {
				last := "never"
				if !p.LastSync.IsZero() {
					last = p.LastSync.Format("2006-01-02T15:04:05Z")
				}
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\t%s\t%d\t%s\n", p.ID, p.Member, p.Relay, p.URL, p.NodeID, last, p.Bundle, p.PublicKey)
			}
			return tw.Flush()
		}),
	}
	remove := &cobra.Command{
		Use:   "remove ID",
		Short: "Remove a peer (what it sent stays)",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			return st.DeletePeer(ctx, args[0])
		}),
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}

func (m *Main) syncCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sync [PEER...]",
		Short: "Pull once from peers (all with a URL by default)",
		Long: `Pull the feed of each peer from where the last pull stopped, a page at a
time; each page is verified (the peer's key, the member it is for, the
cursor it continues) and applied with its cursor in one transaction, so an
interrupted sync resumes with nothing lost or doubled.`,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			n, err := m.federationNode(st, false)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				peers, err := st.Peers(ctx)
				if err != nil {
					return err
				}
				for _, p := range peers {
					if p.URL != "" {
						args = append(args, p.ID)
					}
				}
			}
			for _, id := range args {
				res, err := n.Pull(ctx, id)
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "%s: %d pages, %d versions: %d added, %d updated, %d withdrawn, %d already here\n",
					id, res.Pages, res.Versions, res.Added, res.Updated, res.Withdrawn, res.Ignored)
			}
			return nil
		}),
	}
	return cmd
}

func (m *Main) bundleCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Exchange statements across an air gap: signed (and encrypted) bundle files",
	}
	var opt federation.ExportOptions
	var encrypt, relay bool
	export := &cobra.Command{
		Use:   "export --to MEMBER [--since CURSOR] [--encrypt] FILE",
		Short: "Write a signed bundle of what MEMBER may see",
		Long: `Write what member MEMBER may see of this node's statement versions into a
bundle signed with the node key over its whole content. Bundles to a member
are numbered: by default a bundle continues the last one exported to the
member (its changes only); --since start writes everything, --since CURSOR
starts after the cursor an earlier export printed. --encrypt encrypts the
bundle with age to the node key of the member's peer (so that only that node
opens it).`,
		Example: `  concord bundle export --to uz --encrypt uz-0001.bundle`,
		Args:    cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			n, err := m.federationNode(st, relay)
			if err != nil {
				return err
			}
			if encrypt {
				peers, err := st.Peers(ctx)
				if err != nil {
					return err
				}
				for _, p := range peers {
					if p.Member == opt.To {
						if opt.EncryptTo, err = federation.ParsePublicKey(p.PublicKey); err != nil {
							return err
						}
						break
					}
				}
				if opt.EncryptTo == nil {
					return concord.Errorf(concord.EINVALID, "--encrypt: no peer serves member %s (concord peer add ... --member %s)", opt.To, opt.To)
				}
			}
			tmp := args[0] + ".partial"
			f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
			if err != nil {
				return err
			}
			res, err := n.ExportBundle(ctx, f, opt)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp, args[0])
			}
			if err != nil {
				os.Remove(tmp)
				return err
			}
			fmt.Fprintf(m.Stdout, "bundle %d to %s (continues %d): %d versions in %s\nnext: --since %s\n",
				res.Number, opt.To, res.Base, res.Versions, args[0], res.Cursor)
			return nil
		}),
	}
	export.Flags().StringVar(&opt.To, "to", "", "the recipient member (required)")
	export.Flags().StringVar(&opt.Since, "since", "", "start after this cursor (start: everything; default: continue the last bundle to the member)")
	export.Flags().BoolVar(&encrypt, "encrypt", false, "encrypt to the node key of the member's peer (age)")
	export.Flags().BoolVar(&relay, "relay", false, "also forward what this node received from others (a coalition node)")
	_ = export.MarkFlagRequired("to")
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Verify and apply a bundle: signer, integrity, recipient and sequence, before anything changes",
		Long: `Verify a bundle — signed by a configured peer's key over its whole content,
meant for the member this node serves, the next in the sender's sequence —
and apply it in one transaction. An altered, unknown-signer, misaddressed,
already imported or out-of-sequence bundle is refused and nothing changes.`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			n, err := m.federationNode(st, false)
			if err != nil {
				return err
			}
			res, err := n.ImportBundle(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "bundle %d from %s (node %s): %d versions: %d added, %d updated, %d withdrawn, %d already here\n",
				res.Header.Number, res.Peer, res.Header.Node, res.Versions, res.Added, res.Updated, res.Withdrawn, res.Ignored)
			return nil
		}),
	}
	cmd.AddCommand(export, imp)
	return cmd
}
