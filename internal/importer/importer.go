// Package importer holds what every list importer shares: the Record a reader
// yields, the conversion of records to an import batch, and format detection.
// Each format lives in its own package (unxml, ofaccsv, ftm, paxlst) as a
// streaming reader plus a mapper to concord entities.
package importer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"concord"
)

// Record is one record of a source list: its reference (e.g. "un:QDi.001",
// "ofac:12345") and the entities it describes, the listed entity first and
// then its dependants (passports, addresses, sanctions, links).
type Record struct {
	Ref      string
	Entities []*concord.Entity
}

// Main returns the record's listed entity.
func (r *Record) Main() *concord.Entity {
	if len(r.Entities) == 0 {
		return nil
	}
	return r.Entities[0]
}

// Formats Concord imports.
const (
	FormatUNXML   = "un-xml"
	FormatOFACCSV = "ofac-csv"
	FormatFtM     = "ftm"
	FormatSTIX    = "stix" // STIX 2.1 bundles (internal/stix)
)

// Formats lists the importable formats.
var Formats = []string{FormatUNXML, FormatOFACCSV, FormatFtM, FormatSTIX}

// Detect guesses the format of a file from its name and first bytes; "" when
// unknown.
func Detect(name string, head []byte) string {
	h := bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	base := strings.ToLower(filepath.Base(name))
	switch {
	case bytes.HasPrefix(h, []byte("<")) && bytes.Contains(head, []byte("CONSOLIDATED_LIST")):
		return FormatUNXML
	case bytes.HasPrefix(h, []byte("{")) && bytes.Contains(head, []byte(`"spec_version"`)):
		return FormatSTIX
	case bytes.HasPrefix(h, []byte("{")):
		return FormatFtM
	case strings.HasSuffix(base, ".csv") && (strings.Contains(base, "sdn") || strings.Contains(base, "alt") || strings.Contains(base, "add")):
		return FormatOFACCSV
	}
	return ""
}

// Batch converts records into statements with the given provenance; each
// statement's SourceRef is its record's Ref.
func Batch(dataset, version, source string, recs []Record, p concord.Provenance) *concord.ImportBatch {
	b := &concord.ImportBatch{Dataset: dataset, Version: version, Source: source}
	p.Dataset = dataset
	for _, r := range recs {
		p.SourceRef = r.Ref
		for _, e := range r.Entities {
			b.Statements = append(b.Statements, e.Statements(p)...)
		}
	}
	return b
}

// LineError is a parse error located in a file.
func LineError(file string, line int, format string, args ...any) error {
	return &concord.Error{Code: concord.EINVALID, Message: fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(format, args...))}
}
