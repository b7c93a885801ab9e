package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/graph"
)

func (m *Main) graphCommand() *cobra.Command {
	var member, format string
	var hops, limit int
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Follow the network: neighbourhoods, paths, exposure to listed entities, analysis, exports",
		Long: `Question the network of the entities in the store: ownership, directorship,
membership, family, associates, OFAC "Linked To", the accounts and wallets
people hold and the payments between them, and the identifiers, addresses,
accounts and wallets two records share (a value more than 50 records share
is not a link). Every edge carries its provenance: the record that states it
and the source records and datasets it comes from.

The operator sees everything; --member answers as an analyst of that member
would see it (its audiences and groups), through the same access predicate
as the API.

  neighbourhood ID   the entities within --hops (default 2) and the edges among them;
                     --format json (default), graphml, cytoscape or svg
  paths A B          the shortest paths of at most --hops (default 4)
  exposure ID        is ID within --hops (default 3) of a listed entity, and through what
  analyse ID         components, communities and the most central entities within --hops`,
		Example: `  concord graph exposure ofac-36216 --hops 3
  concord graph paths ofac-15431 ofac-15062
  concord graph neighbourhood un-QDe.137 --hops 2 --format graphml > nusra.graphml
  concord graph neighbourhood ofac-24545 --format svg > bilad.svg`,
	}
	cmd.PersistentFlags().StringVar(&member, "member", "", "answer as this member sees the network (default: everything)")
	cmd.PersistentFlags().IntVar(&hops, "hops", 0, "hops (1-6; default 2, 4 for paths, 3 for exposure)")
	cmd.PersistentFlags().IntVar(&limit, "limit", 0, "most nodes (neighbourhood), paths or listed entities (exposure)")
	sub := func(use, short string, n int, def int, run func(v *graph.View, w io.Writer, args []string, hops int) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(n),
			RunE: m.withStore(true, func(ctx context.Context, st concord.Store, args []string) error {
				h := hops
				if h == 0 {
					h = def
				}
				v, err := m.networkView(ctx, st, member)
				if err != nil {
					return err
				}
				if err := st.Audit(m.cliActor(ctx), "graph."+strings.Fields(use)[0], strings.Join(args, " "), ""); err != nil {
					return err
				}
				return run(v, m.Stdout, args, h)
			})}
	}
	nb := sub("neighbourhood ID", "The entities within hops of ID and the edges among them", 1, 2, func(v *graph.View, w io.Writer, args []string, h int) error {
		s, err := v.Neighbourhood(args[0], h, limit)
		if err != nil {
			return err
		}
		return writeSubgraph(w, format, s)
	})
	nb.Flags().StringVar(&format, "format", "json", "json, graphml, cytoscape or svg")
	cmd.AddCommand(nb,
		sub("paths A B", "The shortest paths between two entities", 2, 4, func(v *graph.View, w io.Writer, args []string, h int) error {
			ps, err := v.Paths(args[0], args[1], h, limit)
			if err != nil {
				return err
			}
			if len(ps) == 0 {
				fmt.Fprintf(m.Stderr, "no path of at most %d hops between %s and %s\n", h, args[0], args[1])
			}
			for _, p := range ps {
				printPath(w, p)
			}
			return nil
		}),
		sub("exposure ID", "Is ID within hops of a listed entity, and through what", 1, 3, func(v *graph.View, w io.Writer, args []string, h int) error {
			ex, err := v.Exposure(args[0], h, limit)
			if err != nil {
				return err
			}
			if !ex.Exposed {
				fmt.Fprintf(w, "%s (%s): no listed entity within %d hops\n", ex.Entity.Caption, ex.Entity.ID, h)
				return nil
			}
			fmt.Fprintf(w, "%s (%s): %d listed entities within %d hops\n", ex.Entity.Caption, ex.Entity.ID, len(ex.Paths), h)
			for _, p := range ex.Paths {
				printPath(w, p)
			}
			return nil
		}),
		sub("analyse ID", "Components, communities and the most central entities within hops of ID", 1, 2, func(v *graph.View, w io.Writer, args []string, h int) error {
			a, err := v.Analyse(args[0], h, limit)
			if err != nil {
				return err
			}
			return printJSON(w, a)
		}),
	)
	return cmd
}

// networkView loads the network and returns it as the operator, or a
// member's analyst, sees it.
func (m *Main) networkView(ctx context.Context, st concord.Store, member string) (*graph.View, error) {
	ix, err := graph.Load(ctx, st)
	if err != nil {
		return nil, err
	}
	if member == "" {
		return ix.View(concord.System), nil
	}
	if _, err := st.Member(ctx, member); err != nil {
		return nil, err
	}
	groups, err := st.MemberGroups(ctx, member)
	if err != nil {
		return nil, err
	}
	v := access.Viewer{User: "cli", Member: member, Roles: []concord.Role{concord.RoleAnalyst}, Groups: groups}
	return ix.View(v.Filter()), nil
}

// writeSubgraph writes s in format: json, graphml, cytoscape or svg.
func writeSubgraph(w io.Writer, format string, s *graph.Subgraph) error {
	switch format {
	case "graphml":
		return graph.WriteGraphML(w, s)
	case "cytoscape":
		return graph.WriteCytoscape(w, s)
	case "svg":
		return graph.WriteSVG(w, s)
	case "", "json":
		return printJSON(w, s)
	}
	return concord.Errorf(concord.EINVALID, "--format %q: want json, graphml, cytoscape or svg", format)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printPath writes a path one step a line: the entity, then each edge that
// joins it to the next with its provenance (its source records, then the
// link's id).
func printPath(w io.Writer, p graph.Path) {
	for i, n := range p.Nodes {
		mark := ""
		if n.Listed {
			mark = " [listed]"
		}
		fmt.Fprintf(w, "  %s %s (%s, %s)%s\n", strings.Repeat("  ", i), n.Caption, n.ID, n.Schema, mark)
		if i < len(p.Steps) {
			for _, e := range p.Steps[i] {
				label := ""
				if e.Label != "" {
					label = " " + e.Label
				}
				from := slices.DeleteFunc(append(slices.Clone(e.Refs), e.Link), func(s string) bool { return s == "" })
				fmt.Fprintf(w, "  %s  └ %s%s — %s\n", strings.Repeat("  ", i), e.Type, label, strings.Join(from, " "))
			}
		}
	}
	fmt.Fprintln(w)
}
