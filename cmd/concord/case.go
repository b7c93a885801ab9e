package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/importer/ftm"
	"concord/internal/service"
)

// asUser runs fn as a user of the store: its member, roles and groups
// decide what it sees and may do, and the audit names it.
func (m *Main) asUser(user *string, fn func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error) func(*cobra.Command, []string) error {
	return m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
		if *user == "" {
			return concord.Errorf(concord.EINVALID, "--as USER is required: cases are read and changed as a member's user")
		}
		v, err := viewerOf(ctx, st, *user)
		if err != nil {
			return err
		}
		ctx = concord.WithActor(ctx, concord.Actor{User: v.User, Member: v.Member, Via: "cli"})
		return fn(ctx, &service.Service{Store: st, Clock: m.Clock}, v, args)
	})
}

func (m *Main) caseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Detained and displaced persons: cases, their repatriation, watch, statistics",
		Long: `A case is a person or a family held or displaced (a camp, a prison, a detention
facility), recorded by a member as statements with an audience and a TLP, and
read as a member's user (--as). Each person's repatriation is a workflow:
identified → nationality_verified → home_country_notified → requested →
accepted or refused (a refused request may be made again) → transferred →
prosecuted, reintegrated or released. Only the parties act: the member that
recorded the case or the custodian member (custodian side), and the home
country's member; a decision on a request is the other side's reviewer's.

A person under 18 at any date of the case is a minor: the case gets a stricter
default audience (the home country alone, TLP:AMBER+STRICT), and is read only
with a stated purpose (--purpose), which the audit keeps.`,
	}
	var as, purpose, status, state, by, date, country, reason string
	var docs []string
	var asJSON bool
	cmd.PersistentFlags().StringVar(&as, "as", "", "the user acting (its member, roles and groups apply)")
	cmd.PersistentFlags().StringVar(&purpose, "purpose", "", "why the records are read (required for a case with a minor, and for exports)")

	add := &cobra.Command{
		Use:   "add FILE",
		Short: "Record a case from a JSON file (- for stdin): location, custodian, persons, kinship, links",
		Example: `  concord case add --as us-analyst family.json
  {"location":"al-Hol camp","location_type":"camp","custodian":"SDF","held_since":"2019-03",
   "persons":[{"names":["Amina Quraishi"],"birth_date":"1994-03-02","nationality":["fr"]}]}`,
		Args: cobra.ExactArgs(1),
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			var c service.NewCase
			if err := readJSONFile(m.Stdin, args[0], &c); err != nil {
				return err
			}
			cv, err := svc.CreateCase(ctx, v, c)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, cv)
			}
			return m.printCase(cv)
		}),
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the cases the user sees (minors' names only with --purpose)",
		Args:  cobra.NoArgs,
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			cs, err := svc.Cases(ctx, v, service.CaseQuery{Status: status, State: state, Purpose: purpose})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, cs)
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CASE\tSTATUS\tLOCATION\tBY\tPERSONS")
			for _, c := range cs {
				var ps []string
				for _, p := range c.Persons {
					ps = append(ps, p.Caption+" ("+p.State+")")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Status, c.Location, c.Originator, strings.Join(ps, "; "))
			}
			return tw.Flush()
		}),
	}
	list.Flags().StringVar(&status, "status", "", "open, closed or depersonalised")
	list.Flags().StringVar(&state, "state", "", "cases with a person in this repatriation state")
	show := &cobra.Command{
		Use:   "show CASE",
		Short: "Show a case: its persons, their repatriation histories and the next steps",
		Args:  cobra.ExactArgs(1),
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			cv, err := svc.Case(ctx, v, args[0], purpose)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, cv)
			}
			return m.printCase(cv)
		}),
	}
	step := &cobra.Command{
		Use:   "step CASE PERSON STEP",
		Short: "Record the next step of a person's repatriation",
		Example: `  concord case step --as fr-analyst case-us-… det-us-… nationality_verified --country fr --doc "consular note 2026/114"
  concord case step --as fr-reviewer case-us-… det-us-… refused --reason "identity documents incomplete"`,
		Args: cobra.ExactArgs(3),
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			e, err := svc.Step(ctx, v, args[0], args[1], service.StepInput{Step: args[2], Date: date, Country: country, Documents: docs, Reason: reason})
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s %s: %s on %s by %s (%s side)\n", e.Record, e.Subject, e.State, e.Date, e.Member, e.Side)
			return nil
		}),
	}
	step.Flags().StringVar(&date, "date", "", "when it happened, YYYY-MM-DD (default today)")
	step.Flags().StringVar(&country, "country", "", "nationality_verified: the verified nationality")
	step.Flags().StringSliceVar(&docs, "doc", nil, "a document of the step (repeat)")
	step.Flags().StringVar(&reason, "reason", "", "why (required for refused and released)")
	setStatus := func(use, short, st string) *cobra.Command {
		c := &cobra.Command{
			Use: use + " CASE", Short: short, Args: cobra.ExactArgs(1),
			RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
				if _, err := svc.SetCaseStatus(ctx, v, args[0], st, reason); err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "%s %s\n", args[0], st)
				return nil
			}),
		}
		c.Flags().StringVar(&reason, "reason", "", "why (required)")
		return c
	}
	watch := func(use, short string, on bool) *cobra.Command {
		return &cobra.Command{
			Use: use + " CASE PERSON", Short: short, Args: cobra.ExactArgs(2),
			RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
				id, err := svc.Watch(ctx, v, args[0], args[1], on, purpose)
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "%s %s: %s (record %s)\n", args[0], args[1], map[bool]string{true: "on " + v.Member + "'s watch", false: "off the watch"}[on], id)
				return nil
			}),
		}
	}
	stats := &cobra.Command{
		Use:   "stats",
		Short: "Count the persons of the cases the user sees (task-force leads, secretariat); cells under 5 show as <5",
		Args:  cobra.NoArgs,
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			tb, err := svc.CaseStats(ctx, v, by)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, tb)
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "%s\tPERSONS\n", strings.ToUpper(tb.By))
			for _, c := range tb.Cells {
				fmt.Fprintf(tw, "%s\t%s\n", c.Key, c.Count)
			}
			fmt.Fprintf(tw, "total\t%s\n", tb.Total)
			return tw.Flush()
		}),
	}
	stats.Flags().StringVar(&by, "by", "nationality", "nationality, location or status")
	export := &cobra.Command{
		Use:   "export",
		Short: "Export the user's cases as FollowTheMoney JSON lines, then their histories (needs --purpose)",
		Args:  cobra.NoArgs,
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			bw := bufio.NewWriterSize(m.Stdout, 1<<16)
			err := svc.ExportCases(ctx, v, purpose, func(e *concord.Entity) error { return ftm.Write(bw, e) },
				func(ev *concord.WorkflowEvent) error { return ftm.WriteEvent(bw, ev) })
			if err != nil {
				return err
			}
			return bw.Flush()
		}),
	}
	var audience, handling string
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Record the cases of an export (concord case export) as the user's member's, with new ids, in one transaction",
		Long: `Reads FollowTheMoney JSON lines of Case, Detainee and Kinship records and the
history lines of an export. Each case is recorded anew by the user's member,
its persons identified on the date the file gives; later steps are not
replayed (each is the act of the party that takes it) and are counted. The
whole file is checked first: one bad line or case changes nothing.`,
		Args: cobra.ExactArgs(1),
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			var es []*concord.Entity
			var evs []concord.WorkflowEvent
			if err := ftm.ReadCases(f, args[0], func(e *concord.Entity) error { es = append(es, e); return nil },
				func(e *concord.WorkflowEvent) error { evs = append(evs, *e); return nil }); err != nil {
				return err
			}
			rep, err := svc.ImportCases(ctx, v, es, evs, audience, handling)
			if err != nil {
				return err
			}
			return writeJSON(m.Stdout, rep)
		}),
	}
	imp.Flags().StringVar(&audience, "audience", "", "audience of every case (default: each case's default)")
	imp.Flags().StringVar(&handling, "handling", "", "TLP of every case (with --audience)")
	for _, c := range []*cobra.Command{add, list, show, stats} {
		c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	}
	cmd.AddCommand(add, list, show, step,
		setStatus("close", "Close a case (its originator; a reason is required)", concord.CaseClosed),
		setStatus("reopen", "Reopen a closed case", concord.CaseOpen),
		watch("watch", "Put a transferred or released person on the user's member's watch", true),
		watch("unwatch", "Take a person off the user's member's watch", false),
		stats, export, imp)
	return cmd
}

// readJSONFile decodes a JSON file (- for r), refusing unknown fields and
// naming the file.
func readJSONFile(r io.Reader, path string, v any) error {
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return concord.Errorf(concord.EINVALID, "%s: %v", path, err)
	}
	return nil
}

func (m *Main) printCase(cv *service.CaseView) error {
	w := m.Stdout
	c := cv.Case
	fmt.Fprintf(w, "%s  %s  (%s, custodian %s, held since %s)\n", cv.ID, c.First("location"), c.First("locationType"), c.First("custodian"), c.First("heldSince"))
	fmt.Fprintf(w, "status %s; recorded by %s; shared with %s, TLP:%s; minors %d\n", cv.Status, cv.Originator, cv.Audience, cv.Handling, cv.Minors)
	for _, p := range cv.Persons {
		minor := ""
		if p.Minor {
			minor = " [minor]"
		}
		fmt.Fprintf(w, "\n%s  %s%s  born %s  nationality %s\n", p.ID, p.Caption, minor, p.Person.First("birthDate"), strings.Join(p.Person.Properties["nationality"], ","))
		for _, h := range p.History {
			extra := ""
			if h.Country != "" {
				extra += " " + h.Country
			}
			if len(h.Documents) > 0 {
				extra += " docs: " + strings.Join(h.Documents, "; ")
			}
			if h.Reason != "" {
				extra += " (" + h.Reason + ")"
			}
			fmt.Fprintf(w, "  %s  %-22s %s/%s%s\n", h.Date, h.State, h.Member, h.Actor, extra)
		}
		next := strings.Join(p.Next, " or ")
		if next == "" {
			next = "nothing: the repatriation is complete"
		}
		fmt.Fprintf(w, "  next: %s", next)
		if len(p.CanTake) > 0 {
			fmt.Fprintf(w, "  (you may: %s)", strings.Join(p.CanTake, ", "))
		}
		fmt.Fprintln(w)
	}
	return nil
}
