package main

import (
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func (m *Main) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "concord",
		Short: "Concord: shared watchlists and screening for the Global Coalition to Defeat ISIS",
		Long: `Concord keeps the coalition's shared records (persons, organisations, documents,
accounts) with the provenance and audience of every value, finds listed persons
behind any spelling or script, screens queries and passenger manifests, and
serves the API.

Data lives in an embedded SQLite store under --data (default ./concord-data),
or in PostgreSQL when --db postgres://... is given. A fresh store is seeded
with the default coalition and the bundled UN Security Council Consolidated
List.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&m.DataDir, "data", "./concord-data", "data directory of the embedded SQLite store")
	root.PersistentFlags().StringVar(&m.DBURL, "db", os.Getenv("CONCORD_DB"), "PostgreSQL URL (postgres://...); overrides --data (env CONCORD_DB)")
	root.PersistentFlags().StringVar(&m.AuditKeyFile, "audit-key", os.Getenv("CONCORD_AUDIT_KEY"),
		"file of the key that seals the audit, created on first use (default: audit.key in --data; env CONCORD_AUDIT_KEY); nodes of one PostgreSQL share one")
	root.PersistentFlags().StringVar(&m.NodeKey, "node-key", "", "the node key file for federation (default: node.key in --data)")
	root.PersistentFlags().BoolVarP(&m.Quiet, "quiet", "q", false, "no progress output")
	root.PersistentFlags().StringVar(&m.PNRKeyFile, "pnr-key", os.Getenv("CONCORD_PNR_KEY_FILE"),
		"file of the node's secret for PNR data, hex (default <data>/pnr.key, created on first use; env CONCORD_PNR_KEY_FILE)")
	root.AddCommand(
		m.importCommand(),
		m.exportCommand(),
		m.entityCommand(),
		m.coalitionCommand(),
		m.screenCommand(),
		m.graphCommand(),
		m.pnrCommand(),
		m.evalCommand(),
		m.loadgenCommand(),
		m.uploadCommand(),
		m.serveCommand(),
		m.userCommand(),
		m.tokenCommand(),
		m.auditCommand(),
		m.jobCommand(),
		m.genCommand(),
		m.backupCommand(),
		m.restoreCommand(),
		m.mediaCommand(),
		m.caseCommand(),
		m.meetingCommand(),
		m.actionCommand(),
		m.retentionCommand(),
		m.nodeCommand(),
		m.peerCommand(),
		m.syncCommand(),
		m.bundleCommand(),
		m.taxiiCommand(),
	)
	return root
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
