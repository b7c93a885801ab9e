package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/job"
	"concord/internal/pnr"
	"concord/internal/search"
)

// pnrKey reads the node's secret for PNR data (--pnr-key, else
// <data>/pnr.key, created with 32 random bytes on first use). Every node on
// one database must use the same.
func (m *Main) pnrKey() ([]byte, error) {
	path := m.PNRKeyFile
	if path == "" {
		path = filepath.Join(m.DataDir, "pnr.key")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && m.PNRKeyFile == "" {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, err
		}
		m.logf("created the PNR key %s (every node on this database needs the same: --pnr-key)", path)
		return key, nil
	}
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "--pnr-key: %v", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 32 {
		return nil, concord.Errorf(concord.EINVALID, "PNR key %s: want at least 32 bytes in hex", path)
	}
	return key, nil
}

func (m *Main) pnrService(st concord.Store, read job.Options) (*pnr.Service, error) {
	key, err := m.pnrKey()
	if err != nil {
		return nil, err
	}
	return pnr.New(st, key, m.Clock, read.PNR.Deny)
}

// pnrUser is the user of the PNR unit a command acts as, with its rights.
func pnrUser(ctx context.Context, st concord.Store, name string) (access.Viewer, context.Context, error) {
	if name == "" {
		return access.Viewer{}, ctx, concord.Errorf(concord.EINVALID, "--user is required: the user of the PNR unit the command acts as")
	}
	v, err := viewerOf(ctx, st, name)
	if err != nil {
		return v, ctx, err
	}
	return v, concord.WithActor(ctx, concord.Actor{User: v.User, Member: v.Member, Via: "cli"}), nil
}

func (m *Main) pnrCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pnr",
		Short: "PNR bookings: store pushes, links, scenario rules, the law's limits",
		Long: `PNR data of a member's passenger information unit. Every subcommand acts as
--user, a user of that unit, with that user's rights: analysts and reviewers
read their member's bookings; analysts define rules; reviewers decide hits
and re-personalise; administrators set the policy.

A push is stored as versions of its bookings (a repeated push is counted,
not stored again); the travellers that are new or changed are screened at
once, and the member's enabled scenario rules raise hits for review. Links
(phones, e-mail, addresses, cards, frequent-flyer accounts, agencies) are
kept by keyed hashes under the node's PNR key (--pnr-key, by default
<data>/pnr.key, created on first use; all nodes on one database need the
same). Versions are depersonalised and deleted on the member's policy (by
default after 183 days and five years) by concord serve every hour, or by
"concord pnr housekeep".`,
	}
	var user string
	cmd.PersistentFlags().StringVar(&user, "user", "", "the PNR unit's user to act as")
	var deny string
	imp := &cobra.Command{
		Use:   "import FILE...",
		Short: "Store PNRGOV pushes and screen the travellers that are new or changed",
		Example: `  concord pnr import --user amina push.edi
  concord pnr import --user amina --pnr-deny deny.txt day/*.edi`,
		Args: cobra.MinimumNArgs(1),
		RunE: m.withStore(true, func(ctx context.Context, st concord.Store, args []string) error {
			read, err := readOptions(deny)
			if err != nil {
				return err
			}
			return m.pnrImport(ctx, st, read, user, args)
		}),
	}
	imp.Flags().StringVar(&deny, "pnr-deny", "", "file of SSR codes never kept (default: special meals and health requests)")
	cmd.AddCommand(imp, m.pnrLinksCommand(&user), m.pnrRuleCommand(&user))
	cmd.AddCommand(m.pnrReadCommands(&user)...)
	cmd.AddCommand(m.pnrAdminCommands(&user)...)
	return cmd
}

func (m *Main) pnrImport(ctx context.Context, st concord.Store, read job.Options, user string, files []string) error {
	v, ctx, err := pnrUser(ctx, st, user)
	if err != nil {
		return err
	}
	svc, err := m.pnrService(st, read)
	if err != nil {
		return err
	}
	var idx *search.Service
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return concord.Errorf(concord.EINVALID, "%v", err)
		}
		rep, err := svc.Import(ctx, v, filepath.Base(f), b)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s: %d PNRs: %d new, %d changed, %d unchanged; %d travellers screened, %d rule hits\n",
			f, rep.PNRs, rep.New, rep.Changed, rep.Unchanged, rep.Screened, rep.RuleHits)
		if rep.Job == "" {
			continue
		}
		if idx == nil {
			if idx, err = search.New(ctx, st); err != nil {
				return err
			}
		}
		runner := &job.Runner{Store: st, Match: idx.Match, Clock: m.Clock, Log: discardLog(),
			Viewer: func(ctx context.Context, name string) (access.Viewer, error) { return viewerOf(ctx, st, name) }}
		if err := runner.RunJob(ctx, rep.Job); err != nil {
			return err
		}
		alerts, err := st.Alerts(ctx, concord.AlertQuery{Member: v.Member, JobID: rep.Job})
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "  screening job %s: %d alerts for review\n", rep.Job, len(alerts))
		for _, a := range alerts {
			var q job.Query
			_ = json.Unmarshal(a.Query, &q)
			fmt.Fprintf(m.Stdout, "  alert %d: %s (%s) ~ %s, score %.2f\n", a.ID, q.Booking, a.QueryKey, a.EntityID, a.Score)
		}
	}
	return nil
}

// pnrReadCommands are bookings, show and network.
func (m *Main) pnrReadCommands(user *string) []*cobra.Command {
	var locator string
	bookings := &cobra.Command{
		Use:   "bookings",
		Short: "List the member's bookings, latest push first",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			bs, err := svc.Bookings(ctx, v, locator, 0)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "BOOKING\tLOCATOR\tFLIGHT\tDEPARTS\tTRAVELLERS\tVERSIONS\tPUSHES\tMASKED")
			for _, b := range bs {
				fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%d\t%d\t%d\t%v\n", b.ID, b.Owner, b.Locator, b.Flight, b.Departure, b.Travellers, b.Versions, b.Pushes, b.Masked)
			}
			return tw.Flush()
		}),
	}
	bookings.Flags().StringVar(&locator, "locator", "", "only this record locator")
	show := &cobra.Command{
		Use:   "show BOOKING",
		Short: "Show a booking: versions (whole, or masked once depersonalised), links, rule hits (JSON)",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			b, err := svc.Booking(ctx, v, args[0])
			if err != nil {
				return err
			}
			return m.printJSON(b)
		}),
	}
	network := &cobra.Command{
		Use:   "network",
		Short: "Bookings linked to bookings of listed or watched persons (a traveller with an alert not dismissed, on a record the user sees)",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			n, err := svc.Network(ctx, v, 0)
			if err != nil {
				return err
			}
			for _, e := range n {
				m.printLinks(&e.BookingLinks)
			}
			return nil
		}),
	}
	return []*cobra.Command{bookings, show, network, m.pnrGraphCommand(user, false), m.pnrGraphCommand(user, true)}
}

// pnrGraphCommand is concord pnr graph (the network around a booking) or,
// exposure, concord pnr exposure.
func (m *Main) pnrGraphCommand(user *string, exposure bool) *cobra.Command {
	var hops int
	var format string
	cmd := &cobra.Command{
		Use:   "graph BOOKING",
		Short: "The network around a booking: bookings linked to it within hops, listed persons its travellers' alerts name",
		Long: `The network around a booking, built from the member's PNR data and the
records the user sees, answered by the network package (see docs/graph.md):
a node is a booking (pnr:ID) or a record; an edge a PNR link ("same phone:
…", "same agency: …"; no value once depersonalised) or a traveller's
screening alert that is not dismissed, on a record the user still sees.
--format json, graphml, cytoscape or svg.`,
		Example: `  concord pnr bookings --user petra --locator Q7KD2M     # its id, bk-…
  concord pnr graph --user petra BOOKING --hops 2 --format svg > booking.svg
  concord pnr exposure --user petra BOOKING`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			g, err := svc.Graph(ctx, v, args[0], hops)
			if err != nil {
				return err
			}
			if !exposure {
				s, err := g.View.Neighbourhood(g.Node, hops, 0)
				if err != nil {
					return err
				}
				s.Truncated = s.Truncated || g.Truncated
				return writeSubgraph(m.Stdout, format, s)
			}
			ex, err := g.View.Exposure(g.Node, hops, 0)
			if err != nil {
				return err
			}
			if !ex.Exposed {
				fmt.Fprintf(m.Stdout, "%s (%s): no listed person within %d hops\n", ex.Entity.Caption, ex.Entity.ID, hops)
				return nil
			}
			persons := "listed persons"
			if len(ex.Paths) == 1 {
				persons = "listed person"
			}
			fmt.Fprintf(m.Stdout, "%s (%s): %d %s within %d hops\n", ex.Entity.Caption, ex.Entity.ID, len(ex.Paths), persons, hops)
			for _, p := range ex.Paths {
				printPath(m.Stdout, p)
			}
			return nil
		}),
	}
	if exposure {
		cmd.Use, cmd.Short = "exposure BOOKING", "Is a booking within hops of a listed person, through PNR links and its travellers' alerts, and how"
		cmd.Long, cmd.Example = "", ""
		cmd.Flags().IntVar(&hops, "hops", 3, "hops from the booking (1-6)")
		return cmd
	}
	cmd.Flags().IntVar(&hops, "hops", 2, "hops from the booking (1-6)")
	cmd.Flags().StringVar(&format, "format", "json", "json, graphml, cytoscape or svg")
	return cmd
}

// pnrLinksCommand answers "who else used this phone?".
func (m *Main) pnrLinksCommand(user *string) *cobra.Command {
	vals := map[string]*string{}
	var booking string
	cmd := &cobra.Command{
		Use:   "links",
		Short: "Who else used this phone (e-mail, card, frequent-flyer account, agency)? Or a booking's links",
		Long: `Answer which bookings of the member carry a value (--phone in any notation,
--email, --card with the full number — compared by its keyed hash —, --ff
"AIRLINE NUMBER", --agency IATA number), or, with --booking, a booking's
co-travellers and the bookings that share any of its attributes. Each link
names the booking, version and traveller it comes from. Links outlive
depersonalisation; their values are then not shown. Audited.`,
		Example: `  concord pnr links --user amina --phone "+90 532 111 22 33"
  concord pnr links --user amina --booking bk-3f5a0c1d2e4b6a78`,
		Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			if booking != "" {
				l, err := svc.LinksOf(ctx, v, booking, 0)
				if err != nil {
					return err
				}
				m.printLinks(l)
				return nil
			}
			for kind, val := range vals {
				if *val == "" {
					continue
				}
				ans, err := svc.Links(ctx, v, kind, *val, 0)
				if err != nil {
					return err
				}
				ids := map[string]bool{}
				for _, b := range ans.Bookings {
					ids[b.Booking.ID] = true
				}
				fmt.Fprintf(m.Stdout, "%d bookings with this %s:\n", len(ids), strings.ReplaceAll(kind, "_", "-"))
				m.printLinked(ans.Bookings)
				return nil
			}
			return concord.Errorf(concord.EINVALID, "give --phone, --email, --card, --ff, --agency or --booking")
		}),
	}
	for _, f := range []struct{ flag, kind, help string }{{"phone", concord.LinkPhone, "a telephone number"}, {"email", concord.LinkEmail, "an e-mail address"},
		{"card", concord.LinkCard, "a card number (full)"}, {"ff", concord.LinkFrequentFlyer, `a frequent-flyer account, "AIRLINE NUMBER"`},
		{"agency", concord.LinkAgency, "a travel agency's IATA number"}} {
		vals[f.kind] = new(string)
		cmd.Flags().StringVar(vals[f.kind], f.flag, "", f.help)
	}
	cmd.Flags().StringVar(&booking, "booking", "", "a booking id: its co-travellers and linked bookings")
	return cmd
}

func (m *Main) printLinks(l *pnr.BookingLinks) {
	fmt.Fprintf(m.Stdout, "booking %s (%s/%s, %s %s)\n", l.Booking.ID, l.Booking.Owner, l.Booking.Locator, l.Booking.Flight, l.Booking.Departure)
	for _, p := range l.CoTravellers {
		name := p.Name
		if p.Masked {
			name = "(masked)"
		}
		fmt.Fprintf(m.Stdout, "  traveller %d: %s\n", p.Position, name)
	}
	m.printLinked(l.Linked)
}

func (m *Main) printLinked(ls []concord.LinkedBooking) {
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  BOOKING\tLOCATOR\tVERSION\tTRAVELLER\tLINK\tVALUE")
	for _, l := range ls {
		val := l.Value
		if val == "" {
			val = "(masked)"
		}
		who := "booking" // the booking's own contact, agency or payment
		if l.Traveller > 0 {
			who = strconv.Itoa(l.Traveller)
		}
		fmt.Fprintf(tw, "  %s\t%s/%s\t%d\t%s\t%s\t%s\n", l.Booking.ID, l.Booking.Owner, l.Booking.Locator, l.Version, who, l.Kind, val)
	}
	_ = tw.Flush()
}

func (m *Main) pnrOpen(ctx context.Context, st concord.Store, user string) (access.Viewer, context.Context, *pnr.Service, error) {
	v, ctx, err := pnrUser(ctx, st, user)
	if err != nil {
		return v, ctx, nil, err
	}
	svc, err := m.pnrService(st, job.Options{})
	return v, ctx, svc, err
}

func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
