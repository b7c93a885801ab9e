package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/job"
	"concord/internal/pnr"
)

// pnrRuleCommand defines, lists and deletes scenario rules, and shows their
// hit rates by nationality.
func (m *Main) pnrRuleCommand(user *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "The member's scenario rules: list, add, delete, rates",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			rs, err := svc.Rules(ctx, v)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tNAME\tENABLED\tVERSION\tCONDITIONS")
			for _, r := range rs {
				fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%s\n", r.ID, r.Name, r.Enabled, r.Version, pnr.Describe(r.Conditions))
			}
			return tw.Flush()
		}),
	}
	var (
		name, id                        string
		via, issuedBy, agency, services []string
		oneWay, cash, disabled          bool
		within                          int
	)
	add := &cobra.Command{
		Use:   "add",
		Short: "Define (or with --id replace) a scenario rule: all its conditions must hold for a traveller",
		Long: `Define a rule of the member: a hit is raised for a person to review when all
conditions hold for a traveller of a stored push — never an action. Rules on
protected characteristics (nationality, gender, age, names, religion, ethnic
origin, health, ...) or on data the reader drops (special meals, health
requests, remarks) are refused. Every hit explains each condition.`,
		Example: `  concord pnr rules add --user amina --name "via IST, one-way" --via IST --one-way
  concord pnr rules add --user amina --name "cash, booked late" --cash --booked-within 72`,
		Args: cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			r := concord.PNRRule{ID: id, Name: name, Enabled: !disabled}
			for _, c := range []struct {
				kind string
				vals []string
				on   bool
			}{{pnr.CondRouteVia, via, len(via) > 0}, {pnr.CondOneWay, nil, oneWay}, {pnr.CondCash, nil, cash},
				{pnr.CondDocIssuer, issuedBy, len(issuedBy) > 0}, {pnr.CondAgency, agency, len(agency) > 0}, {pnr.CondService, services, len(services) > 0}} {
				if c.on {
					r.Conditions = append(r.Conditions, concord.RuleCondition{Kind: c.kind, Values: c.vals})
				}
			}
			if within > 0 {
				r.Conditions = append(r.Conditions, concord.RuleCondition{Kind: pnr.CondBookedSoon, Hours: within})
			}
			out, err := svc.PutRule(ctx, v, r)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "rule %s (version %d): %s\n", out.ID, out.Version, pnr.Describe(out.Conditions))
			return nil
		}),
	}
	add.Flags().StringVar(&name, "name", "", "the rule's name")
	add.Flags().StringVar(&id, "id", "", "replace this rule")
	add.Flags().StringSliceVar(&via, "via", nil, "connecting or stopping at one of these airports")
	add.Flags().BoolVar(&oneWay, "one-way", false, "the itinerary does not come back")
	add.Flags().BoolVar(&cash, "cash", false, "the ticket was paid in cash")
	add.Flags().IntVar(&within, "booked-within", 0, "booked at most these hours before departure")
	add.Flags().StringSliceVar(&issuedBy, "issued-by", nil, "a travel document issued by one of these countries")
	add.Flags().StringSliceVar(&agency, "agency", nil, "booked through one of these agencies (IATA numbers)")
	add.Flags().StringSliceVar(&services, "service", nil, "a special service request with one of these codes (not one the deny list drops)")
	add.Flags().BoolVar(&disabled, "disabled", false, "define it without applying it yet")
	del := &cobra.Command{
		Use:   "delete RULE",
		Short: "Delete a rule (its hits stay for review)",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			return svc.DeleteRule(ctx, v, args[0])
		}),
	}
	rates := &cobra.Command{
		Use:   "rates RULE",
		Short: "A rule's hit rate by nationality, so that disproportion is visible",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			r, err := svc.Rates(ctx, v, args[0])
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NATIONALITY\tTRAVELLERS\tHITS\tRATE")
			for _, x := range append(r.ByNationality, r.All) {
				nat := x.Nationality
				if x == r.All {
					nat = "all"
				} else if nat == "" {
					nat = "unknown"
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\n", nat, x.Evaluated, x.Hits, 100*x.Rate)
			}
			return tw.Flush()
		}),
	}
	cmd.AddCommand(add, del, rates)
	return cmd
}

// pnrAdminCommands are hits, decide, repersonalise, policy and housekeep.
func (m *Main) pnrAdminCommands(user *string) []*cobra.Command {
	var status, reason string
	hits := &cobra.Command{
		Use:   "hits",
		Short: "Scenario rule hits of the member, newest first, each explained by its conditions",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			hs, err := svc.Hits(ctx, v, concord.RuleHitQuery{Status: status})
			if err != nil {
				return err
			}
			for _, h := range hs {
				fmt.Fprintf(m.Stdout, "hit %d [%s] %s: booking %s version %d traveller %d\n", h.ID, h.Status, h.RuleName, h.BookingID, h.Version, h.Traveller)
				for _, w := range h.Explanation {
					fmt.Fprintf(m.Stdout, "  - %s\n", w)
				}
			}
			return nil
		}),
	}
	hits.Flags().StringVar(&status, "status", "", "pending, confirmed or dismissed")
	decide := &cobra.Command{
		Use:   "decide HIT confirmed|dismissed",
		Short: "Confirm or dismiss a rule hit (a reviewer), with a reason",
		Args:  cobra.ExactArgs(2),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return concord.Errorf(concord.EINVALID, "hit %q: want its number", args[0])
			}
			if reason == "" {
				return concord.Errorf(concord.EINVALID, "--reason is required")
			}
			return svc.DecideHit(ctx, v, id, args[1], reason)
		}),
	}
	decide.Flags().StringVar(&reason, "reason", "", "why (kept with the decision)")
	var why string
	repers := &cobra.Command{
		Use:   "repersonalise BOOKING VERSION",
		Short: "See a depersonalised version whole: a reviewer, stating the reason (audited)",
		Args:  cobra.ExactArgs(2),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			n, err := strconv.Atoi(args[1])
			if err != nil {
				return concord.Errorf(concord.EINVALID, "version %q: want a number", args[1])
			}
			p, err := svc.Repersonalise(ctx, v, args[0], n, why)
			if err != nil {
				return err
			}
			return m.printJSON(p)
		}),
	}
	repers.Flags().StringVar(&why, "reason", "", "why the whole version is needed (at least 10 characters; audited)")
	var dep, retain int
	policy := &cobra.Command{
		Use:   "policy",
		Short: "Show the member's policy, or set it (an administrator): days to depersonalisation and deletion",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			v, ctx, svc, err := m.pnrOpen(ctx, st, *user)
			if err != nil {
				return err
			}
			p, err := svc.Policy(ctx, v)
			if dep > 0 || retain > 0 {
				if err == nil || concord.ErrorCode(err) == concord.EFORBIDDEN {
					if dep == 0 {
						dep = p.DepersonaliseDays
					}
					if retain == 0 {
						retain = p.RetainDays
					}
					p, err = svc.SetPolicy(ctx, v, dep, retain)
				}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "member %s: depersonalised after %d days, deleted after %d days\n", p.Member, p.DepersonaliseDays, p.RetainDays)
			return nil
		}),
	}
	policy.Flags().IntVar(&dep, "depersonalise", 0, "days after transfer to depersonalise")
	policy.Flags().IntVar(&retain, "retain", 0, "days after transfer to delete")
	housekeep := &cobra.Command{
		Use:   "housekeep",
		Short: "Depersonalise and delete what the members' policies say is due now (concord serve does it every hour)",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, _ []string) error {
			svc, err := m.pnrService(st, job.Options{})
			if err != nil {
				return err
			}
			rep, err := svc.Housekeep(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%d versions depersonalised, %d deleted, %d bookings deleted\n", rep.Depersonalised, rep.Deleted, rep.Bookings)
			return nil
		}),
	}
	return []*cobra.Command{hits, decide, repers, policy, housekeep}
}
