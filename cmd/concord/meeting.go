package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/service"
)

// operatorViewer is the operator's view of the coalition's work on the
// command line without --as: the secretariat's rights, every group's
// audience (the node's operator sees the whole store anyway).
func operatorViewer(ctx context.Context, st concord.Store) (access.Viewer, error) {
	gs, err := st.Groups(ctx)
	if err != nil {
		return access.Viewer{}, err
	}
	v := access.Viewer{User: "operator", Member: "secretariat", Roles: []concord.Role{concord.RoleSecretariat, concord.RoleViewer}}
	for _, g := range gs {
		v.Groups = append(v.Groups, g.ID)
	}
	return v, nil
}

// asUserOrOperator runs fn as --as, or as the operator when it is empty.
func (m *Main) asUserOrOperator(user *string, fn func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error) func(*cobra.Command, []string) error {
	return m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
		svc := &service.Service{Store: st, Clock: m.Clock}
		if *user == "" {
			v, err := operatorViewer(ctx, st)
			if err != nil {
				return err
			}
			return fn(ctx, svc, v, args)
		}
		v, err := viewerOf(ctx, st, *user)
		if err != nil {
			return err
		}
		return fn(concord.WithActor(ctx, concord.Actor{User: v.User, Member: v.Member, Via: "cli"}), svc, v, args)
	})
}

func (m *Main) meetingCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "meeting",
		Short: "The coalition's meetings, with their joint statements, decisions and action items",
		Long: `Meetings of the coalition or of a group (a task force, a working group, a line
of effort): date, place, host, co-chairs (the member and the official who
chaired), participants, agenda, documents; and what came of them. A group's
meetings are visible to its members. Without --as the operator sees every
meeting; with --as a user's member and groups decide.`,
	}
	var as, body, handling string
	var asJSON bool
	cmd.PersistentFlags().StringVar(&as, "as", "", "read or record as this user (default: the operator)")
	list := &cobra.Command{
		Use: "list", Short: "List meetings, newest first", Args: cobra.NoArgs,
		RunE: m.asUserOrOperator(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			ms, err := svc.Meetings(ctx, v, body)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, ms)
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDATE\tBODY\tPLACE\tTITLE")
			for _, x := range ms {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", x.ID, x.Date, x.Body, x.Place, x.Title)
			}
			return tw.Flush()
		}),
	}
	list.Flags().StringVar(&body, "body", "", "coalition or a group id")
	show := &cobra.Command{
		Use: "show ID", Short: "Show a meeting with its statements, decisions and action items", Args: cobra.ExactArgs(1),
		RunE: m.asUserOrOperator(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			mv, err := svc.Meeting(ctx, v, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(m.Stdout, mv)
			}
			w := m.Stdout
			fmt.Fprintf(w, "%s\n%s", mv.Title, mv.Date)
			if mv.EndDate != "" {
				fmt.Fprintf(w, " to %s", mv.EndDate)
			}
			fmt.Fprintf(w, ", %s (%s; shared with %s)\n", mv.Place, mv.Body, mv.Audience)
			if mv.Host != "" {
				fmt.Fprintf(w, "host: %s\n", mv.Host)
			}
			for _, c := range mv.CoChairs {
				fmt.Fprintf(w, "co-chair: %s, %s\n", c.Member, c.Official)
			}
			if len(mv.Participants) > 0 {
				fmt.Fprintf(w, "participants: %s\n", strings.Join(mv.Participants, ", "))
			}
			for _, a := range mv.Agenda {
				fmt.Fprintf(w, "agenda: %s\n", a)
			}
			for _, s := range mv.Statements {
				fmt.Fprintf(w, "\nstatement %s (%s; signed by %s)\n  %s\n", s.Title, s.Date, strings.Join(s.Signatories, ", "), s.Text)
			}
			for _, d := range mv.Decisions {
				fmt.Fprintf(w, "\ndecision %s: %s (%s, %s)\n", d.ID, d.Title, d.Body, d.Date)
			}
			for _, a := range mv.Actions {
				owner := a.OwnerMember
				if owner == "" {
					owner = "group " + a.OwnerGroup
				}
				fmt.Fprintf(w, "\naction %s: %s (owner %s, due %s, %s)\n", a.ID, a.Title, owner, a.Due, a.Status)
			}
			return nil
		}),
	}
	add := &cobra.Command{
		Use:   "add FILE",
		Short: "Record a meeting from a JSON file (- for stdin); the secretariat, or a group lead's analyst for the group's",
		Example: `  concord meeting add --as es-secretariat meeting.json
  {"title":"Small Group meeting","body":"coalition","date":"2026-06-10","place":"Madrid, Spain","host":"es",
   "co_chairs":[{"member":"es","official":"Director General for Foreign and Security Policy"}]}`,
		Args: cobra.ExactArgs(1),
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			var mt concord.Meeting
			if err := readJSONFile(m.Stdin, args[0], &mt); err != nil {
				return err
			}
			id, err := svc.RecordWork(ctx, v, service.WorkRecord{Meeting: &mt, Handling: handling})
			if err != nil {
				return err
			}
			fmt.Fprintln(m.Stdout, id)
			return nil
		}),
	}
	add.Flags().StringVar(&handling, "handling", "", "TLP: CLEAR, GREEN (default) or AMBER")
	for _, c := range []*cobra.Command{list, show} {
		c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	}
	cmd.AddCommand(list, show, add)
	return cmd
}

func (m *Main) actionCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "action",
		Short: "Action items of the coalition's decisions: list, reminders, status, calendar",
	}
	var as, group, status, note string
	var mine bool
	cmd.PersistentFlags().StringVar(&as, "as", "", "as this user (default: the operator, for list)")
	list := &cobra.Command{
		Use: "list", Short: "List action items by due date (--group: a group's, across members)", Args: cobra.NoArgs,
		RunE: m.asUserOrOperator(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			as, err := svc.Actions(ctx, v, service.ActionQuery{Group: group, Mine: mine, Status: status})
			if err != nil {
				return err
			}
			return m.printActions(as)
		}),
	}
	list.Flags().StringVar(&group, "group", "", "a group's action items")
	list.Flags().BoolVar(&mine, "mine", false, "those of the user's member and groups")
	list.Flags().StringVar(&status, "status", "", "open, in_progress, done or cancelled")
	reminders := &cobra.Command{
		Use: "reminders", Short: "The user's member's action items overdue or due within two weeks", Args: cobra.NoArgs,
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			as, err := svc.Reminders(ctx, v)
			if err != nil {
				return err
			}
			return m.printActions(as)
		}),
	}
	set := &cobra.Command{
		Use: "status ID STATUS", Short: "Change an action item's status (done and cancelled need --note)", Args: cobra.ExactArgs(2),
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, args []string) error {
			if _, err := svc.SetActionStatus(ctx, v, args[0], args[1], note); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "%s %s\n", args[0], args[1])
			return nil
		}),
	}
	set.Flags().StringVar(&note, "note", "", "why, or what was done")
	cal := &cobra.Command{
		Use: "calendar", Short: "Write the user's iCalendar feed (meetings and due dates) to stdout", Args: cobra.NoArgs,
		RunE: m.asUser(&as, func(ctx context.Context, svc *service.Service, v access.Viewer, _ []string) error {
			return svc.Calendar(ctx, v, m.Stdout)
		}),
	}
	cmd.AddCommand(list, reminders, set, cal)
	return cmd
}

func (m *Main) printActions(as []service.ActionView) error {
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDUE\tSTATUS\tOWNER\tTITLE")
	for _, a := range as {
		owner := a.OwnerMember
		if owner == "" {
			owner = "group " + a.OwnerGroup
		}
		st := a.Status
		if a.Overdue {
			st += " (overdue)"
		} else if a.DueSoon {
			st += " (due soon)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Due, st, owner, a.Title)
	}
	return tw.Flush()
}
