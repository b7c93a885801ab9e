// Command concord is the one binary of Concord: it imports and exports lists,
// screens queries and manifests, serves the API and console, and administers
// members, groups, users and the audit. Run `concord --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"concord"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if err != nil {
		var ex *exitError
		if errors.As(err, &ex) {
			if ex.msg != "" {
				fmt.Fprintln(os.Stderr, "concord:", ex.msg)
			}
			os.Exit(ex.code)
		}
		fmt.Fprintln(os.Stderr, "concord:", errorText(err))
		if concord.ErrorCode(err) == concord.EINVALID {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// exitError ends the program with a given status after output was written,
// e.g. when a screening run skipped bad rows.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Main owns the configuration and the lifetimes of everything the program
// opens. Tests build one with their own streams and clock and call Run.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Clock  concord.Clock

	DataDir string // --data
	DBURL   string // --db
	// PNRKeyFile is the node's secret for PNR data (--pnr-key); "" means
	// <data>/pnr.key, created on first use.
	PNRKeyFile string
	// AuditKeyFile is --audit-key: the file of the key that seals the audit
	// ("": audit.key in DataDir).
	AuditKeyFile string
	NodeKey      string // --node-key
	Quiet        bool   // --quiet: no progress bars
	// Interactive tells whether stderr is a terminal (progress bars).
	Interactive bool
}

// NewMain returns a Main wired to the process's streams.
func NewMain() *Main {
	return &Main{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Clock:       concord.SystemClock{},
		Interactive: isTerminal(os.Stderr),
	}
}

// Run executes the command line args.
func (m *Main) Run(ctx context.Context, args []string) error {
	root := m.rootCommand()
	root.SetArgs(args)
	root.SetIn(m.Stdin)
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	return root.ExecuteContext(m.cliActor(ctx))
}
