package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"concord"
	"concord/internal/importer"
)

// Event is a history line of a case export: a concord.WorkflowEvent with
// "schema":"WorkflowEvent".
type Event struct {
	Schema string `json:"schema"`
	concord.WorkflowEvent
}

// ReadCases reads a case export (concord case export, /v1/cases/export):
// FollowTheMoney entity lines, and history lines whose schema is
// WorkflowEvent. Like Read it names the file and line of what it cannot
// read; an event line must have a record, a kind and a state.
func ReadCases(r io.Reader, file string, entity func(*concord.Entity) error, event func(*concord.WorkflowEvent) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return importer.LineError(file, line, "read: %v", err)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			var head struct {
				Schema string `json:"schema"`
			}
			if jerr := json.Unmarshal(b, &head); jerr != nil {
				return importer.LineError(file, line, "not a JSON object: %v", jerr)
			}
			if head.Schema == "WorkflowEvent" {
				var ev Event
				if jerr := json.Unmarshal(b, &ev); jerr != nil {
					return importer.LineError(file, line, "history line: %v", jerr)
				}
				if ev.Record == "" || ev.Kind == "" || ev.State == "" {
					return importer.LineError(file, line, "history line: record, kind and state are required")
				}
				if ferr := event(&ev.WorkflowEvent); ferr != nil {
					return ferr
				}
			} else {
				e, perr := decode(b)
				if perr != nil {
					return importer.LineError(file, line, "%v", perr)
				}
				if !concord.IsCaseSchema(e.Schema) {
					return importer.LineError(file, line, "%s: a case export holds Case, Detainee and Kinship records, not %s", e.ID, e.Schema)
				}
				if ferr := entity(e); ferr != nil {
					return ferr
				}
			}
		}
		if err != nil { // io.EOF
			return nil
		}
	}
}
