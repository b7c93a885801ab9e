// Package job runs screenings: it reads batches of queries (the `concord
// screen` CSV contract, the travellers of a UN/EDIFACT PAXLST manifest, or
// those of the PNRs of a PNRGOV push),
// screens them with a worker pool, and — for the server — persists jobs so
// that a restart resumes them without screening a row twice or losing one.
package job

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"concord"
	"concord/internal/importer/iso20022"
	"concord/internal/importer/paxlst"
	"concord/internal/importer/payment"
	"concord/internal/importer/pnrgov"
	"concord/internal/importer/swiftmt"
	"concord/match"
)

// Query is one row to screen, as stored in a job and read from a CSV.
type Query struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	BirthDate      string `json:"birth_date,omitempty"`
	Nationality    string `json:"nationality,omitempty"` // ISO alpha-2, lower case
	Gender         string `json:"gender,omitempty"`
	Schema         string `json:"schema,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	Line           int    `json:"line,omitempty"` // 1-based line in the source CSV
	// A party of a payment: its transaction, its role and everything the
	// message says of it (account, BIC, identifiers, free text).
	Tx    int            `json:"tx,omitempty"`
	Role  string         `json:"role,omitempty"`
	Party *payment.Party `json:"party,omitempty"`
	// Booking is the record locator of a PNR traveller.
	Booking string `json:"booking,omitempty"`
}

// MatchQuery is q as the engine takes it.
func (q *Query) MatchQuery() match.Query {
	return match.Query{ID: q.ID, Schema: q.Schema, Name: q.Name, BirthDate: q.BirthDate,
		Nationality: q.Nationality, Gender: q.Gender, DocumentNumber: q.DocumentNumber}
}

// Result is one output line of a screening: the query's id and its matches
// at or above threshold, best first. For a payment party it also names the
// transaction, the role, what was screened and the warnings of the party
// (an IBAN whose check digits fail, a malformed BIC); for a PNR traveller,
// the record locator.
type Result struct {
	ID       string        `json:"id"`
	Booking  string        `json:"booking,omitempty"`
	Tx       int           `json:"tx,omitempty"`
	Role     string        `json:"role,omitempty"`
	Party    string        `json:"party,omitempty"`
	Warnings []string      `json:"warnings,omitempty"`
	Flags    []Flag        `json:"flags,omitempty"` // ties to the member's high-risk countries
	Matches  []match.Match `json:"matches"`
	// Versions are those of the matched records (concord.Entity.Version) as
	// the job's owner saw them, one per match: stored with a server job's
	// result so that a reader sees it as it may now (internal/recheck), and
	// never shown.
	Versions []string `json:"versions,omitempty"`
}

// RowError is a query row that was refused; the rest of the batch goes on.
type RowError struct {
	Line int
	Msg  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Kinds of input.
const (
	KindCSV    = "csv"
	KindPAXLST = "paxlst"
	KindPNRGOV = "pnrgov"
)

// DetectKind tells a PNRGOV push, a PAXLST manifest, an ISO 20022 credit
// transfer and a SWIFT MT payment from a query CSV by content.
func DetectKind(head []byte) string {
	switch {
	case pnrgov.Detect(head):
		return KindPNRGOV
	case paxlst.Detect(head):
		return KindPAXLST
	case iso20022.Detect(head):
		return KindISO20022
	case swiftmt.Detect(head):
		return KindSWIFTMT
	}
	return KindCSV
}

// Options tune how batches are read.
type Options struct {
	// PNR reads PNRGOV pushes: its deny list of sensitive requests (no card
	// key is needed to screen).
	PNR pnrgov.Options
}

// ReadQueries reads a batch of any kind with the default Options.
func ReadQueries(r io.Reader, name string) (kind string, qs []Query, bad []RowError, meta string, err error) {
	return Options{}.ReadQueries(r, name)
}

// ReadQueries reads a batch of any kind. For a manifest or a push, meta
// describes the flight(s) as JSON; for a payment message, its header. It
// holds the whole batch: the server streams instead (EachQuery).
func (o Options) ReadQueries(r io.Reader, name string) (kind string, qs []Query, bad []RowError, meta string, err error) {
	kind, meta, err = o.EachQuery(r, name, func(q Query) error { qs = append(qs, q); return nil },
		func(e RowError) { bad = append(bad, e) })
	if err != nil {
		return "", nil, nil, "", err
	}
	return kind, qs, bad, meta, nil
}

// EachQuery reads a batch of any kind from r, calls fn with each valid
// query in order and bad with each refused row (CSV only: a bad manifest,
// push or payment message is refused as a whole, after fn has seen the
// queries before the error, which the caller drops). It keeps no CSV row,
// traveller, PNR or payment: memory stays bounded whatever the batch's size
// (a CSV record is at most MaxRecord bytes, a manifest is read one
// traveller and a push one PNR at a time). An error from fn stops the
// reading and is returned as it is.
func (o Options) EachQuery(r io.Reader, name string, fn func(Query) error, bad func(RowError)) (kind, meta string, err error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(4096)
	kind = DetectKind(head)
	if kind == KindPAXLST || kind == KindPNRGOV {
		if kind == KindPNRGOV {
			meta, err = EachPNRGOV(br, name, o.PNR, fn)
		} else {
			meta, err = eachPAXLST(br, name, fn)
		}
		if err != nil {
			return "", "", err
		}
		return kind, meta, nil
	}
	if IsPayment(kind) {
		meta, err = ReadPayments(br, name, kind, func(b []Query) error {
			for _, q := range b {
				if err := fn(q); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return "", "", err
		}
		return kind, meta, nil
	}
	return kind, "", eachCSV(br, name, fn, bad)
}

var dateRE = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

// ReadCSV reads queries in the `concord screen` contract: a header with at
// least id and name; birth_date, nationality, gender, schema and
// document_number optional; other columns ignored. Bad rows are returned
// apart with their line numbers; a file that is not CSV at all is an error.
func ReadCSV(r io.Reader, name string) ([]Query, []RowError, error) {
	var qs []Query
	var bad []RowError
	err := eachCSV(r, name, func(q Query) error { qs = append(qs, q); return nil }, func(e RowError) { bad = append(bad, e) })
	if err != nil {
		return nil, nil, err
	}
	return qs, bad, nil
}

// MaxRecord is the longest CSV record (one row, quoted line breaks
// included) a batch may hold: a query row is a few hundred bytes.
const MaxRecord = 1 << 20

// eachCSV is EachQuery for a CSV.
func eachCSV(r io.Reader, name string, fn func(Query) error, bad func(RowError)) error {
	lr := &recordLimit{r: r, max: MaxRecord + 64<<10} // csv reads ahead a little
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return concord.Errorf(concord.EINVALID, "%s: empty input: want a CSV header with id,name", name)
	}
	if errors.Is(err, errLongRecord) {
		return concord.Errorf(concord.EINVALID, "%s:1: header longer than %d bytes", name, MaxRecord)
	}
	if err != nil {
		return concord.Errorf(concord.EINVALID, "%s: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	for _, req := range []string{"id", "name"} {
		if _, ok := col[req]; !ok {
			return concord.Errorf(concord.EINVALID, "%s:1: header lacks the %q column (have %s)", name, req, concord.Quote(strings.Join(header, ",")))
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		lr.n = 0
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe):
				bad(RowError{Line: pe.StartLine, Msg: pe.Err.Error()})
				continue
			case errors.Is(err, errLongRecord):
				// The reader stops inside the record: nothing after it can
				// be read as rows.
				return concord.Errorf(concord.EINVALID, "%s: a record after line %d is longer than %d bytes", name, line, MaxRecord)
			}
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if msg := checkFields(rec, col); msg != "" {
			bad(RowError{Line: line, Msg: msg})
			continue
		}
		q := Query{ID: get(rec, "id"), Name: get(rec, "name"), BirthDate: get(rec, "birth_date"),
			Gender: strings.ToLower(get(rec, "gender")), Schema: get(rec, "schema"),
			DocumentNumber: get(rec, "document_number"), Line: line}
		if msg := q.validate(get(rec, "nationality")); msg != "" {
			bad(RowError{Line: line, Msg: msg})
			continue
		}
		if err := fn(q); err != nil {
			return err
		}
	}
}

var errLongRecord = errors.New("record too long")

// recordLimit fails a read once more than max bytes were read since n was
// last reset (by eachCSV, before each record): encoding/csv buffers a whole
// record, so this bounds its memory.
type recordLimit struct {
	r   io.Reader
	n   int
	max int
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.n >= l.max {
		return 0, errLongRecord
	}
	if len(p) > l.max-l.n {
		p = p[:l.max-l.n]
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}

// queryColumns are the columns of the CSV contract.
var queryColumns = []string{"id", "name", "birth_date", "nationality", "gender", "schema", "document_number"}

// checkFields returns what makes a row's contract columns unfit as text
// (invalid UTF-8, NUL and control characters other than the line breaks
// of a quoted field, more than a value's bytes; the id at most an id's),
// naming the column; "" when they are fine.
func checkFields(rec []string, col map[string]int) string {
	for _, c := range queryColumns {
		i, ok := col[c]
		if !ok || i >= len(rec) {
			continue
		}
		max := concord.MaxValueLen
		if c == "id" {
			max = concord.MaxIDLen
		}
		if err := concord.CheckText(strings.TrimSpace(rec[i]), max, c != "id"); err != nil {
			return fmt.Sprintf("column %s: %s", c, concord.ErrorMessage(err))
		}
	}
	return ""
}

// validate normalises q in place and returns what is wrong with it.
func (q *Query) validate(nat string) string {
	switch {
	case q.ID == "":
		return "empty id"
	case q.Name == "":
		return fmt.Sprintf("query %s: empty name", q.ID)
	case q.BirthDate != "" && !dateRE.MatchString(q.BirthDate):
		return fmt.Sprintf("query %s: birth_date %q: want YYYY, YYYY-MM or YYYY-MM-DD", q.ID, q.BirthDate)
	}
	if nat != "" {
		code, ok := concord.CountryCode(nat)
		if !ok {
			return fmt.Sprintf("query %s: nationality %q: not an ISO 3166 code or country name", q.ID, nat)
		}
		q.Nationality = code
	}
	switch q.Gender {
	case "", "male", "female", "other", "unknown":
	case "m":
		q.Gender = "male"
	case "f":
		q.Gender = "female"
	case "u", "x":
		q.Gender = ""
	default:
		return fmt.Sprintf("query %s: gender %q: want male, female or empty", q.ID, q.Gender)
	}
	switch strings.ToLower(q.Schema) {
	case "":
		q.Schema = ""
	case "person":
		q.Schema = "Person"
	case "organization", "organisation":
		q.Schema = "Organization"
	case "legalentity":
		q.Schema = "LegalEntity"
	case "company":
		q.Schema = "Company"
	case "vessel":
		q.Schema = "Vessel"
	default:
		return fmt.Sprintf("query %s: schema %q: want Person, Organization or empty", q.ID, q.Schema)
	}
	return ""
}

// eachPAXLST turns a manifest's travellers into queries as it reads them
// (paxlst.Stream), one per traveller, id naming its position in the message
// (e.g. "msg1-pax3"), and calls fn with each; meta describes the flights.
func eachPAXLST(r io.Reader, name string, fn func(Query) error) (meta string, err error) {
	var stop error // fn's, returned as it is
	ic, err := paxlst.Options{}.Stream(r, func(t paxlst.Traveller) error {
		q := Query{ID: t.Ref(), Name: t.Name(), BirthDate: t.BirthDate, Schema: "Person", Gender: genderOf(t.Gender)}
		if code, ok := concord.CountryCode(t.Nationality); ok {
			q.Nationality = code
		}
		q.DocumentNumber = documentOf(func(yield func(typ, number string) bool) {
			for _, d := range t.Documents {
				if !yield(d.Type, d.Number) {
					return
				}
			}
		})
		for _, f := range [...]struct{ field, v string }{{"name", q.Name}, {"document number", q.DocumentNumber}} {
			if err := concord.CheckText(f.v, concord.MaxValueLen, false); err != nil {
				stop = concord.Errorf(concord.EINVALID, "%s: traveller %s: %s: %s", name, q.ID, f.field, concord.ErrorMessage(err))
				return stop
			}
		}
		stop = fn(q)
		return stop
	})
	switch {
	case err != nil && err == stop:
		return "", err
	case err != nil:
		return "", concord.Errorf(concord.EINVALID, "%s: %v", name, err)
	}
	return manifestMeta(ic), nil
}
