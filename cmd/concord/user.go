package main

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"concord"
	"concord/access"
	"concord/internal/auth"
)

func (m *Main) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage user accounts (works while the server runs)",
	}
	var member string
	var roles []string
	var pwStdin bool
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Create a user of a member with roles; prints a generated password once",
		Long: `Create a user. Roles: viewer, analyst, reviewer, admin, secretariat. Without
--password-stdin a random password is generated and printed once.`,
		Example: `  concord user add amina --member uz --role analyst,reviewer
  echo 'a long passphrase here' | concord user add bot --member es --role viewer --password-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // Run made the operator its actor
			if len(roles) == 0 {
				return concord.Errorf(concord.EINVALID, "--role is required (viewer, analyst, reviewer, admin, secretariat)")
			}
			u := &concord.User{Name: args[0], Member: member, CreatedAt: m.Clock.Now()}
			if !concord.ValidSlug(u.Name) {
				return concord.Errorf(concord.EINVALID, "user name %q: want lower-case letters, digits and dashes", u.Name)
			}
			for _, r := range roles {
				role, err := concord.ParseRole(strings.TrimSpace(r))
				if err != nil {
					return err
				}
				if !slices.Contains(u.Roles, role) {
					u.Roles = append(u.Roles, role)
				}
			}
			pw, generated, err := m.newPassword(pwStdin)
			if err != nil {
				return err
			}
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			u.PasswordHash = hash
			st, err := m.openStore(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close()
			if _, err := st.Member(ctx, member); err != nil {
				if concord.ErrorCode(err) == concord.ENOTFOUND {
					return concord.Errorf(concord.EINVALID, "unknown member %q (see concord coalition members)", member)
				}
				return err
			}
			if err := st.CreateUser(ctx, u); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "user %s created (member %s, roles %s)\n", u.Name, u.Member, strings.Join(roles, ","))
			if generated {
				fmt.Fprintf(m.Stdout, "password (shown once): %s\n", pw)
			}
			return nil
		},
	}
	add.Flags().StringVar(&member, "member", "", "member id (see concord coalition members)")
	add.Flags().StringSliceVar(&roles, "role", nil, "roles: viewer, analyst, reviewer, admin, secretariat")
	add.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of stdin")
	_ = add.MarkFlagRequired("member")

	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			us, err := st.Users(ctx, member)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tMEMBER\tROLES\tCREATED\tSTATUS")
			for _, u := range us {
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				var rs []string
				for _, r := range u.Roles {
					rs = append(rs, string(r))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Member, strings.Join(rs, ","), u.CreatedAt.Format("2006-01-02"), status)
			}
			return tw.Flush()
		}),
	}
	list.Flags().StringVar(&member, "member", "", "only this member's users")

	disable := &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable a user: its sessions and tokens stop working",
		Args:  cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			u, err := st.User(ctx, args[0])
			if err != nil {
				return err
			}
			u.Disabled = true
			if err := st.UpdateUser(ctx, u); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "user %s disabled\n", u.Name)
			return nil
		}),
	}
	unlock := &cobra.Command{
		Use:   "unlock NAME",
		Short: "Forget a user's failed sign-ins on every running node (works while the server runs)",
		Long: `Sign-in is throttled after failed attempts, per account and address (and per
account from addresses it has not signed in from lately). unlock clears that
for one account: the command records the unlock in the audit, and every
concord serve on this data directory or PostgreSQL applies it within a
second or two.`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			u, err := st.User(ctx, args[0])
			if err != nil {
				return err
			}
			if err := st.Audit(ctx, auth.ActionUnlock, u.Name, "operator unlock"); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "user %s unlocked: running servers forget its failed sign-ins within seconds\n", u.Name)
			return nil
		}),
	}
	reset := &cobra.Command{
		Use:   "reset-password NAME",
		Short: "Give a user a new password, end its sessions and unlock it (works while the server runs)",
		Long: `Replace the user's password with a generated one, printed once (or one read
from stdin with --password-stdin), end every session opened with the old one
and unlock the account on every running node. API tokens stay valid: revoke
them with concord token revoke if they may be compromised too.`,
		Example: `  concord user reset-password amina
  echo 'a long passphrase here' | concord user reset-password amina --password-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			u, err := st.User(ctx, args[0])
			if err != nil {
				return err
			}
			pw, generated, err := m.newPassword(pwStdin)
			if err != nil {
				return err
			}
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			if err := st.SetPassword(ctx, u.Name, hash); err != nil {
				return err
			}
			if err := st.Audit(ctx, auth.ActionUnlock, u.Name, "password reset"); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "password of %s reset; its sessions are ended and it is unlocked\n", u.Name)
			if generated {
				fmt.Fprintf(m.Stdout, "password (shown once): %s\n", pw)
			}
			return nil
		}),
	}
	reset.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of stdin")
	cmd.AddCommand(add, list, disable, unlock, reset)
	return cmd
}

// newPassword reads a password from the first line of stdin, or generates
// one (generated is then true); either way it is checked.
func (m *Main) newPassword(fromStdin bool) (pw string, generated bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, concord.Errorf(concord.EINVALID, "reading the password from stdin: %v", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	} else {
		if pw, err = auth.NewPassword(); err != nil {
			return "", false, err
		}
		generated = true
	}
	return pw, generated, auth.ValidatePassword(pw)
}

func (m *Main) tokenCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage API tokens (works while the server runs)",
	}
	var name string
	var scopes []string
	var ttl time.Duration
	create := &cobra.Command{
		Use:   "create USER",
		Short: "Create a bearer API token for USER; the token is printed once, as the last word",
		Example: `  concord token create amina --name border-gateway --scope match,screen
  TOKEN=$(concord token create amina | awk '{print $NF}')`,
		Args: cobra.ExactArgs(1),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			u, err := st.User(ctx, args[0])
			if err != nil {
				return err
			}
			if len(scopes) == 0 {
				scopes = scopesOf(u)
			}
			secret, tok, err := auth.NewToken(u.Name, name, scopes, m.Clock.Now(), ttl)
			if err != nil {
				return err
			}
			if err := st.CreateToken(ctx, tok); err != nil {
				return err
			}
			exp := "never"
			if tok.ExpiresAt != nil {
				exp = tok.ExpiresAt.Format(time.RFC3339)
			}
			fmt.Fprintf(m.Stdout, "token %s for %s (scopes %s, expires %s), shown once: %s\n", tok.ID, u.Name, strings.Join(tok.Scopes, ","), exp, secret)
			return nil
		}),
	}
	create.Flags().StringVar(&name, "name", "cli", "what the token is for")
	create.Flags().StringSliceVar(&scopes, "scope", nil, "scopes: "+strings.Join(access.Scopes, ", ")+" (default: all the user's roles allow)")
	create.Flags().DurationVar(&ttl, "ttl", 0, "lifetime, e.g. 720h (default: no expiry)")

	revoke := &cobra.Command{
		Use:   "revoke USER TOKEN-ID",
		Short: "Revoke a token",
		Args:  cobra.ExactArgs(2),
		RunE: m.withStore(false, func(ctx context.Context, st concord.Store, args []string) error {
			toks, err := st.Tokens(ctx, args[0])
			if err != nil {
				return err
			}
			for _, t := range toks {
				if t.ID == args[1] {
					if err := st.RevokeToken(ctx, t.ID, m.Clock.Now()); err != nil {
						return err
					}
					fmt.Fprintf(m.Stdout, "token %s revoked\n", t.ID)
					return nil
				}
			}
			return concord.Errorf(concord.ENOTFOUND, "user %s has no token %s", args[0], args[1])
		}),
	}
	cmd.AddCommand(create, revoke)
	return cmd
}

// scopesOf returns every scope a user's roles can use.
func scopesOf(u *concord.User) []string {
	return access.Viewer{User: u.Name, Member: u.Member, Roles: u.Roles}.UsableScopes()
}
