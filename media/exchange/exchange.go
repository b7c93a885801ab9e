// Package exchange reads and writes the hash-list formats of the
// hash-sharing field, so that a bank of media hashes moves between Concord
// and ThreatExchange or Hasher-Matcher-Actioner (HMA):
//
//   - FormatTECSV: ThreatExchange's descriptor CSV, the columns of its
//     bulk upload and export (td_raw_indicator, td_indicator_type,
//     td_share_level, td_subjective_tags, td_description, …); also what
//     HMA-lite indexes.
//   - FormatTEJSON: ThreatExchange descriptors as JSON lines with the same
//     td_* fields (as te-tag-query prints them), or a Graph API answer
//     ({"data": [{"raw_indicator", "type", "share_level", "tags", …}]}).
//   - FormatSignals: the signal files of python-threatexchange and HMA,
//     "SIGNAL_TYPE VALUE" a line ("pdq 9f1b…", "md5 d41d…").
//
// A record is one signal (a PDQ hash, an MD5 or a SHA-256 of a file) with
// what the formats say about it: labels, description, owner, TLP share
// level, dates. Readers check every field and refuse the whole input on the
// first bad one with its line (or record) and column; nothing is returned
// then. The package is pure: it reads and writes streams.
package exchange

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/media/pdq"
)

// Formats.
const (
	FormatTECSV   = "te-csv"
	FormatTEJSON  = "te-json"
	FormatSignals = "signals"
)

// Formats lists the formats read and written.
var Formats = []string{FormatTECSV, FormatTEJSON, FormatSignals}

// Signal types, named as python-threatexchange and HMA name them.
const (
	TypePDQ    = "pdq"
	TypeMD5    = "md5"
	TypeSHA256 = "sha256"
)

// Record is one shared signal.
type Record struct {
	// ID is the record's id in the source (a ThreatExchange descriptor
	// id), "" when the format has none.
	ID    string `json:"id,omitempty"`
	Type  string `json:"type"`  // TypePDQ, TypeMD5 or TypeSHA256
	Value string `json:"value"` // lower-case hex
	// Quality is the PDQ quality when known, else -1.
	Quality     int         `json:"quality"`
	Labels      []string    `json:"labels,omitempty"`
	Description string      `json:"description,omitempty"`
	Owner       string      `json:"owner,omitempty"`
	TLP         concord.TLP `json:"tlp,omitempty"` // "" when the source says nothing
	Status      string      `json:"status,omitempty"`
	FirstSeen   time.Time   `json:"first_seen,omitzero"`
	LastSeen    time.Time   `json:"last_seen,omitzero"`
}

// PDQ returns the record's PDQ hash, when it is one.
func (r *Record) PDQ() (pdq.Hash, bool) {
	if r.Type != TypePDQ {
		return pdq.Hash{}, false
	}
	h, err := pdq.Parse(r.Value)
	return h, err == nil
}

// normalize checks a signal's type and value and returns the value in
// lower-case hex.
func normalize(typ, value string) (string, string, error) {
	t := strings.ToLower(strings.TrimSpace(typ))
	switch t {
	case "pdq", "hash_pdq", "photo_pdq":
		t = TypePDQ
	case "md5", "hash_md5", "video_md5", "photo_md5":
		t = TypeMD5
	case "sha256", "hash_sha256":
		t = TypeSHA256
	default:
		return "", "", fmt.Errorf("signal type %q is not a picture or file hash (want pdq, md5 or sha256)", clip(typ))
	}
	v := strings.ToLower(strings.TrimSpace(value))
	want := map[string]int{TypePDQ: 64, TypeMD5: 32, TypeSHA256: 64}[t]
	if len(v) != want {
		return "", "", fmt.Errorf("%s value %q: want %d hex digits, have %d characters", t, clip(value), want, len(v))
	}
	if _, err := hex.DecodeString(v); err != nil {
		return "", "", fmt.Errorf("%s value %q: not hexadecimal", t, clip(value))
	}
	return t, v, nil
}

func clip(s string) string {
	if len(s) > 70 {
		return s[:67] + "..."
	}
	return s
}

// indicatorType is ThreatExchange's name of a signal type.
func indicatorType(t string) string {
	switch t {
	case TypePDQ:
		return "HASH_PDQ"
	case TypeMD5:
		return "HASH_MD5"
	}
	return "HASH_SHA256"
}

// strictTag keeps TLP:AMBER+STRICT through ThreatExchange's share levels,
// which stop at AMBER: the record is written AMBER with this tag, and read
// back as AMBER+STRICT.
const strictTag = "tlp:amber+strict"

// shareLevel reads a ThreatExchange share level (TLP 1.0: WHITE, GREEN,
// AMBER, RED) as a TLP 2.0 label.
func shareLevel(s string, tags []string) (concord.TLP, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := concord.ParseTLP(s)
	if err != nil {
		return "", err
	}
	if t == concord.TLPAmber {
		for _, tag := range tags {
			if strings.EqualFold(tag, strictTag) {
				return concord.TLPAmberStrict, nil
			}
		}
	}
	return t, nil
}

// teShareLevel writes a TLP 2.0 label as a ThreatExchange share level and
// says whether the strict tag must go with it.
func teShareLevel(t concord.TLP) (string, bool) {
	switch t {
	case concord.TLPClear:
		return "WHITE", false
	case concord.TLPAmberStrict:
		return "AMBER", true
	case "":
		return "", false
	}
	return string(t), false
}

// parseTime reads the dates of the formats: RFC 3339, ThreatExchange's
// "2006-01-02T15:04:05-0700", a date alone, or Unix seconds.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	var t time.Time
	ok := false
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05", time.DateOnly} {
		if v, err := time.Parse(layout, s); err == nil {
			t, ok = v.UTC(), true
			break
		}
	}
	if sec, err := strconv.ParseInt(s, 10, 64); !ok && err == nil && sec > 0 && sec < 253402300800 {
		t, ok = time.Unix(sec, 0).UTC(), true
	}
	if !ok || t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("date %q: want RFC 3339, YYYY-MM-DD or Unix seconds, 1970 to 9999", clip(s))
	}
	return t, nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05-0700")
}

// splitTags reads td_subjective_tags: comma-separated.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// Detect names the format of an input from its first bytes: JSON, a CSV
// whose header names td_raw_indicator, or else signal lines.
func Detect(head []byte) string {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	switch {
	case len(h) > 0 && (h[0] == '{' || h[0] == '['):
		return FormatTEJSON
	case bytes.Contains(firstLine(h), []byte("td_raw_indicator")) || bytes.Contains(firstLine(h), []byte("raw_indicator")):
		return FormatTECSV
	}
	return FormatSignals
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// List is what a hash list holds.
type List struct {
	Format  string
	Records []Record
	// Skipped counts the records of other indicator types (URI, DOMAIN…)
	// that a ThreatExchange export may hold beside media hashes.
	Skipped map[string]int
}

// Read reads every record of r in the given format ("" detects it); name
// is the input's name for errors. On any bad record it returns an
// concord.EINVALID error naming the line or record and the field, and no
// records.
func Read(r io.Reader, format, name string) (*List, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if format == "" {
		head, _ := br.Peek(4096)
		format = Detect(head)
	}
	l := &List{Format: format, Skipped: map[string]int{}}
	var err error
	switch format {
	case FormatTECSV:
		err = readTECSV(br, name, l)
	case FormatTEJSON:
		err = readTEJSON(br, name, l)
	case FormatSignals:
		err = readSignals(br, name, l)
	default:
		return nil, concord.Errorf(concord.EINVALID, "unknown hash-list format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// hashType tells whether a ThreatExchange indicator type is a media hash
// (the others are skipped, not refused).
func hashType(t string) bool {
	_, _, err := normalize(t, strings.Repeat("0", 64))
	_, _, err2 := normalize(t, strings.Repeat("0", 32))
	return err == nil || err2 == nil
}

// Write writes recs in the given format.
func Write(w io.Writer, format string, recs []Record) error {
	switch format {
	case FormatTECSV:
		return writeTECSV(w, recs)
	case FormatTEJSON:
		return writeTEJSON(w, recs)
	case FormatSignals:
		return writeSignals(w, recs)
	}
	return concord.Errorf(concord.EINVALID, "unknown hash-list format %q (want %s)", format, strings.Join(Formats, ", "))
}
