package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"concord"
	"concord/internal/audit"
	"concord/internal/importer"
	"concord/internal/importer/unxml"
	"concord/internal/seed"
	"concord/internal/store"
)

// openStore opens the store the flags name and seeds a fresh one with the
// default coalition; with lists, also with the bundled UN list when no
// dataset has been imported yet.
func (m *Main) openStore(ctx context.Context, lists bool) (concord.Store, error) {
	var (
		st  *store.DB
		err error
	)
	if m.DBURL != "" && !strings.HasPrefix(m.DBURL, "postgres://") && !strings.HasPrefix(m.DBURL, "postgresql://") {
		return nil, concord.Errorf(concord.EINVALID, "--db %q: want a postgres:// URL", m.DBURL)
	}
	key, err := m.auditKey()
	if err != nil {
		return nil, err
	}
	if m.DBURL != "" {
		st, err = store.OpenPostgres(ctx, m.DBURL, m.Clock)
	} else {
		st, err = store.OpenSQLite(ctx, m.DataDir, m.Clock)
	}
	if err != nil {
		return nil, err
	}
	st.UseAuditKey(key)
	if err := m.seed(ctx, st, lists); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// auditKeyPath is the file of the node's audit key: --audit-key, else
// audit.key in the data directory.
func (m *Main) auditKeyPath() string {
	if m.AuditKeyFile != "" {
		return m.AuditKeyFile
	}
	return filepath.Join(m.DataDir, "audit.key")
}

// auditKey reads the node's audit key, creating it on first use. It is kept
// outside the database: whoever can write the database but not read this
// file cannot forge audit rows.
func (m *Main) auditKey() (*concord.AuditKey, error) {
	path := m.auditKeyPath()
	k, created, err := audit.LoadOrCreateKey(path)
	if err != nil {
		return nil, concord.FieldError("--audit-key", err)
	}
	if created {
		m.logf("created the audit key %s (key %s): keep a copy apart from the database; concord audit verify needs it", path, k.ID)
	}
	return k, nil
}

func (m *Main) seed(ctx context.Context, st concord.Store, lists bool) error {
	members, err := st.Members(ctx)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		c, err := seed.Coalition()
		if err != nil {
			return err
		}
		if err := st.LoadCoalition(ctx, c); err != nil {
			return fmt.Errorf("seeding the coalition: %w", err)
		}
		if err := m.loadWork(ctx, st, c); err != nil {
			return err
		}
		m.logf("seeded the default coalition: %d members, %d groups, %d meetings, %d decisions", len(c.Members), len(c.Groups), len(c.Meetings), len(c.Decisions))
	}
	if !lists {
		return nil
	}
	ds, err := st.Datasets(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Name != workDataset {
			return nil
		}
	}
	var recs []importer.Record
	meta, err := unxml.Read(seed.UNList(), seed.UNListName, func(r importer.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return err
	}
	rep, err := st.Import(ctx, importer.Batch("un", meta.Generated, seed.UNListName, recs, publicProvenance()))
	if err != nil {
		return fmt.Errorf("loading the bundled UN list: %w", err)
	}
	m.logf("loaded the bundled UN Consolidated List: %d persons, %d organisations", rep.BySchema["Person"], rep.BySchema["Organization"])
	return nil
}

// workDataset holds the coalition's meetings, statements and decisions.
const workDataset = "coalition-work"

// loadWork imports the coalition's work (meetings, joint statements,
// decisions, action items) as the dataset coalition-work, contributed by
// its secretariat member when there is one: a newer file retracts what it
// no longer holds.
func (m *Main) loadWork(ctx context.Context, st concord.Store, c *concord.Coalition) error {
	by := ""
	for _, x := range c.Members {
		if x.ID == "secretariat" {
			by = x.ID
		}
	}
	b := c.WorkBatch(by, m.Clock.Now())
	if len(b.Statements) == 0 {
		return nil
	}
	if _, err := st.Import(ctx, b); err != nil {
		return fmt.Errorf("loading the coalition's meetings and decisions: %w", err)
	}
	return nil
}

// publicProvenance is the provenance of a published list loaded by the
// operator: visible to everyone, TLP:CLEAR.
func publicProvenance() concord.Provenance {
	return concord.Provenance{Audience: concord.AudiencePublic, Handling: concord.TLPClear}
}

func (m *Main) logf(format string, args ...any) {
	if m.Quiet {
		return
	}
	fmt.Fprintf(m.Stderr, format+"\n", args...)
}

// cliActor marks what the command line does as the operator's, for the
// audit.
func (m *Main) cliActor(ctx context.Context) context.Context {
	if a := concord.ActorFrom(ctx); a.Via != "system" {
		return ctx
	}
	return concord.WithActor(ctx, concord.Actor{User: "operator", Via: "cli"})
}

// withStore makes a command's RunE that opens the store (seeding it, and with
// lists also loading the bundled UN list when empty), runs fn with the
// command's context and closes the store.
func (m *Main) withStore(lists bool, fn func(ctx context.Context, st concord.Store, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		st, err := m.openStore(ctx, lists)
		if err != nil {
			return err
		}
		defer st.Close()
		return fn(ctx, st, args)
	}
}
