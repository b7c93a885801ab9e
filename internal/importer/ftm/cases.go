package ftm

import (
	"encoding/json"
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
	return eachLine(r, file, func(line int, b []byte) error {
		var head struct {
			Schema string `json:"schema"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return importer.LineError(file, line, "not a JSON object: %v", err)
		}
		if head.Schema == "WorkflowEvent" {
			var ev Event
			if err := json.Unmarshal(b, &ev); err != nil {
				return importer.LineError(file, line, "history line: %v", err)
			}
			if ev.Record == "" || ev.Kind == "" || ev.State == "" {
				return importer.LineError(file, line, "history line: record, kind and state are required")
			}
			return event(&ev.WorkflowEvent)
		}
		e, err := decode(b)
		if err != nil {
			return importer.LineError(file, line, "%v", err)
		}
		if !concord.IsCaseSchema(e.Schema) {
			return importer.LineError(file, line, "%s: a case export holds Case, Detainee and Kinship records, not %s", e.ID, e.Schema)
		}
		return entity(e)
	})
}

// WriteEvent writes a history line of a case export.
func WriteEvent(w io.Writer, ev *concord.WorkflowEvent) error {
	b, err := json.Marshal(Event{Schema: "WorkflowEvent", WorkflowEvent: *ev})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
