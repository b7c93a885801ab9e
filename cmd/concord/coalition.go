package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/seed"
)

func (m *Main) coalitionCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "coalition",
		Short: "List and edit the coalition's members and groups",
		Long: `Members are states or agencies (ISO 3166 country + agency); groups are
regional task forces, working groups, lines of effort and initiatives, with
members and leads. Groups are audiences: records shared with a group are
visible to its members only. A fresh store holds the default coalition as it
stood after the Madrid meeting.`,
	}
	var asJSON bool
	members := &cobra.Command{
		Use:   "members",
		Short: "List members",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			ms, err := st.Members(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, ms)
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tCOUNTRY\tAGENCY\tREGION\tNOTE")
			for _, x := range ms {
				note := ""
				if x.CoChair {
					note = "co-chair"
				}
				if x.Joined != "" {
					note = strings.TrimSpace(note + " joined " + x.Joined)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.Name, x.Country, x.Agency, x.Region, note)
			}
			return tw.Flush()
		}),
	}
	members.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	groups := &cobra.Command{
		Use:   "groups [ID]",
		Short: "List groups, or show one with its members and leads",
		Args:  cobra.MaximumNArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			if len(args) == 1 {
				g, err := st.Group(ctx, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(m.Stdout, g)
				}
				fmt.Fprintf(m.Stdout, "%s  %s  (%s, version %d)\n%s\nleads:   %s\nmembers: %s\n", g.ID, g.Name, g.Kind, g.Version, g.Description, strings.Join(g.Leads, ", "), strings.Join(g.Members, ", "))
				return nil
			}
			gs, err := st.Groups(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, gs)
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tKIND\tLEADS\tMEMBERS")
			for _, g := range gs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", g.ID, g.Name, g.Kind, strings.Join(g.Leads, ","), len(g.Members))
			}
			return tw.Flush()
		}),
	}
	groups.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var mem concord.Member
	addMember := &cobra.Command{
		Use:     "add-member ID",
		Short:   "Add or update a member",
		Example: `  concord coalition add-member kz --name Kazakhstan --country KZ --agency "National Security Committee"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			mem.ID = args[0]
			mem.Country = strings.ToUpper(mem.Country)
			if err := mem.Validate(); err != nil {
				return err
			}
			st, err := m.openStore(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.PutMember(cmd.Context(), &mem); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "member %s saved\n", mem.ID)
			return nil
		},
	}
	addMember.Flags().StringVar(&mem.Name, "name", "", "display name (required)")
	addMember.Flags().StringVar(&mem.Country, "country", "", "ISO 3166-1 alpha-2 country")
	addMember.Flags().StringVar(&mem.Kind, "kind", "state", "state or organisation")
	addMember.Flags().StringVar(&mem.Agency, "agency", "", "agency")
	addMember.Flags().StringVar(&mem.Region, "region", "", "region")
	addMember.Flags().StringVar(&mem.Joined, "joined", "", "date joined (YYYY or YYYY-MM-DD)")

	removeMember := &cobra.Command{
		Use:   "remove-member ID",
		Short: "Remove a member",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			if err := st.DeleteMember(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "member %s removed\n", args[0])
			return nil
		}),
	}

	var highRisk []string
	var clearRisk bool
	setHighRisk := &cobra.Command{
		Use:   "high-risk MEMBER",
		Short: "Show or set the countries a member treats as high-risk for payments",
		Long: `A party, account or agent of a payment tied to one of these countries (by its
address, its IBAN or its BIC) raises a lower-priority flag, with its reason,
when the member screens payments (concord screen --member, and the member's
jobs through the API). Without --set or --clear the list is printed.`,
		Example: `  concord coalition high-risk es --set af,ir,kp,sy,ye
  concord coalition high-risk es --clear`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			mem, err := st.Member(ctx, args[0])
			if err != nil {
				return err
			}
			if len(highRisk) > 0 || clearRisk {
				mem.HighRisk = nil
				for _, c := range highRisk {
					cc, ok := concord.CountryCode(c)
					if !ok {
						return concord.Errorf(concord.EINVALID, "--set: %q is not a country", c)
					}
					if !slices.Contains(mem.HighRisk, cc) {
						mem.HighRisk = append(mem.HighRisk, cc)
					}
				}
				slices.Sort(mem.HighRisk)
				if err := st.PutMember(ctx, mem); err != nil {
					return err
				}
			}
			fmt.Fprintf(m.Stdout, "%s: high-risk countries: %s\n", mem.ID, strings.Join(mem.HighRisk, ","))
			return nil
		}),
	}
	setHighRisk.Flags().StringSliceVar(&highRisk, "set", nil, "countries (ISO codes or names), replacing the list")
	setHighRisk.Flags().BoolVar(&clearRisk, "clear", false, "empty the list")

	var g concord.Group
	var addTo, removeFrom, addLeads, removeLeads []string
	setGroup := &cobra.Command{
		Use:   "set-group ID",
		Short: "Create a group or change its name, kind, members and leads",
		Example: `  concord coalition set-group ttwg --add uz,kz
  concord coalition set-group sahel-cell --name "Sahel Cell" --kind working_group --add ne,ng --lead ng`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			cur, err := st.Group(ctx, args[0])
			if concord.ErrorCode(err) == concord.ENOTFOUND {
				cur, err = &concord.Group{ID: args[0]}, nil
			}
			if err != nil {
				return err
			}
			if g.Name != "" {
				cur.Name = g.Name
			}
			if g.Kind != "" {
				cur.Kind = g.Kind
			}
			if g.Description != "" {
				cur.Description = g.Description
			}
			for _, x := range append(addTo, addLeads...) {
				if !slices.Contains(cur.Members, x) {
					cur.Members = append(cur.Members, x)
				}
			}
			for _, x := range addLeads {
				if !slices.Contains(cur.Leads, x) {
					cur.Leads = append(cur.Leads, x)
				}
			}
			cur.Members = slices.DeleteFunc(cur.Members, func(s string) bool { return slices.Contains(removeFrom, s) })
			cur.Leads = slices.DeleteFunc(cur.Leads, func(s string) bool {
				return slices.Contains(removeLeads, s) || slices.Contains(removeFrom, s)
			})
			slices.Sort(cur.Members)
			ms, err := st.Members(ctx)
			if err != nil {
				return err
			}
			known := map[string]bool{}
			for _, x := range ms {
				known[x.ID] = true
			}
			if err := cur.Validate(known); err != nil {
				return err
			}
			if err := st.PutGroup(ctx, cur); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "group %s saved (%d members, leads %s)\n", cur.ID, len(cur.Members), strings.Join(cur.Leads, ","))
			return nil
		}),
	}
	setGroup.Flags().StringVar(&g.Name, "name", "", "display name")
	setGroup.Flags().StringVar(&g.Kind, "kind", "", "task_force, working_group, line_of_effort or initiative")
	setGroup.Flags().StringVar(&g.Description, "description", "", "description")
	setGroup.Flags().StringSliceVar(&addTo, "add", nil, "members to add")
	setGroup.Flags().StringSliceVar(&removeFrom, "remove", nil, "members to remove")
	setGroup.Flags().StringSliceVar(&addLeads, "lead", nil, "members to make leads (added as members)")
	setGroup.Flags().StringSliceVar(&removeLeads, "unlead", nil, "leads to demote to plain members")

	removeGroup := &cobra.Command{
		Use:   "remove-group ID",
		Short: "Remove a group",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			if err := st.DeleteGroup(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "group %s removed\n", args[0])
			return nil
		}),
	}

	load := &cobra.Command{
		Use:   "load [FILE]",
		Short: "Replace members and groups with a coalition file (default: the bundled one)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c *concord.Coalition
			if len(args) == 1 {
				b, err := os.ReadFile(args[0])
				if err != nil {
					return err
				}
				c = new(concord.Coalition)
				if err := json.Unmarshal(b, c); err != nil {
					return concord.Errorf(concord.EINVALID, "%s: %v", args[0], err)
				}
				if err := c.Validate(); err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
			} else {
				var err error
				if c, err = seed.Coalition(); err != nil {
					return err
				}
			}
			st, err := m.openStore(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.LoadCoalition(cmd.Context(), c); err != nil {
				return err
			}
			if err := m.loadWork(cmd.Context(), st, c); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "loaded %s: %d members, %d groups, %d meetings, %d decisions\n", c.Name, len(c.Members), len(c.Groups), len(c.Meetings), len(c.Decisions))
			return nil
		},
	}
	cmd.AddCommand(members, groups, addMember, removeMember, setHighRisk, setGroup, removeGroup, load)
	return cmd
}

func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
