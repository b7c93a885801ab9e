// Package ofaccsv imports the OFAC Specially Designated Nationals list in its
// legacy CSV form: sdn.csv (primary records), alt.csv (alternate names) and
// add.csv (addresses). The files are Latin-1 (in practice Windows-1252), have
// no header row, write "-0-" for an empty field and may end with a 0x1A
// end-of-file byte.
//
// Reading is all or nothing: the three files are parsed and checked in full
// before the first record is handed to the caller, so a malformed row anywhere
// yields an error naming its file and line and no records at all.
package ofaccsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"concord"
	"concord/internal/importer"
)

// Files names the files of one edition of the list. Read accepts an edition
// without Alt or Add; importing one as the whole list would retract every
// alternate name or address (see Missing).
type Files struct{ SDN, Alt, Add string }

// Missing names the files of the edition that f lacks ("alt.csv",
// "add.csv"): without them the records have no alternate names or no
// addresses, so an import of f is a part of the list, not the list.
func (f Files) Missing() []string {
	var out []string
	if f.Alt == "" {
		out = append(out, "alt.csv")
	}
	if f.Add == "" {
		out = append(out, "add.csv")
	}
	return out
}

// Meta summarises what Read produced.
type Meta struct {
	Records  int            // listed entities: one per sdn.csv row
	BySchema map[string]int // every entity produced, by schema (dependants included)
}

// FindFiles groups paths into the files of one edition by their base names:
// a name containing "alt" is the alternate-names file, "add" the addresses,
// "sdn" the primary records.
func FindFiles(paths []string) (Files, error) {
	var f Files
	set := func(dst *string, p string) error {
		if *dst != "" {
			return concord.Errorf(concord.EINVALID, "ofac: both %s and %s look like the same file of the list", *dst, p)
		}
		*dst = p
		return nil
	}
	for _, p := range paths {
		base := strings.ToLower(filepath.Base(p))
		var err error
		switch {
		case strings.Contains(base, "alt"):
			err = set(&f.Alt, p)
		case strings.Contains(base, "add"):
			err = set(&f.Add, p)
		case strings.Contains(base, "sdn"):
			err = set(&f.SDN, p)
		default:
			err = concord.Errorf(concord.EINVALID, "ofac: %s is not sdn, alt or add", p)
		}
		if err != nil {
			return Files{}, err
		}
	}
	if f.SDN == "" {
		return Files{}, concord.Errorf(concord.EINVALID, "ofac: no sdn file among %s", strings.Join(paths, ", "))
	}
	return f, nil
}

// Read parses the files and calls fn once per SDN entry, in file order. Nothing
// is passed to fn unless all files parse.
func Read(f Files, fn func(importer.Record) error) (Meta, error) {
	l, err := load(f)
	if err != nil {
		return Meta{}, err
	}
	meta := Meta{BySchema: map[string]int{}}
	for i := range l.sdn {
		rec := l.record(&l.sdn[i])
		meta.Records++
		for _, e := range rec.Entities {
			meta.BySchema[e.Schema]++
		}
		if err := fn(rec); err != nil {
			return meta, err
		}
	}
	return meta, nil
}

type sdnRow struct {
	line                                               int
	ent, name, typ, program, title, callSign, vessType string
	tonnage, grt, vessFlag, vessOwner, remarks         string
}

type altRow struct {
	line                    int
	ent, num, typ, name, rm string
}

type addRow struct {
	line                             int
	ent, num, address, city, country string
	remarks                          string
}

// list is an edition of the list, loaded and checked.
type list struct {
	sdn    []sdnRow
	alts   map[string][]altRow
	adds   map[string][]addRow
	byName map[string]string // SDN name → entity id; "" when ambiguous
}

func load(f Files) (*list, error) {
	l := &list{alts: map[string][]altRow{}, adds: map[string][]addRow{}, byName: map[string]string{}}
	seen := map[string]bool{}
	err := readCSV(f.SDN, 12, func(line int, r []string) error {
		row := sdnRow{line, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]}
		if seen[row.ent] {
			return importer.LineError(f.SDN, line, "duplicate ent_num %s", row.ent)
		}
		if row.name == "" {
			return importer.LineError(f.SDN, line, "ent_num %s has no name", row.ent)
		}
		seen[row.ent] = true
		l.sdn = append(l.sdn, row)
		if _, dup := l.byName[row.name]; dup {
			l.byName[row.name] = ""
		} else {
			l.byName[row.name] = entityID(row.ent)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f.Alt != "" {
		err := readCSV(f.Alt, 5, func(line int, r []string) error {
			if !seen[r[0]] {
				return importer.LineError(f.Alt, line, "ent_num %s is not in %s", r[0], f.SDN)
			}
			if r[3] == "" {
				return importer.LineError(f.Alt, line, "alternate name is empty")
			}
			l.alts[r[0]] = append(l.alts[r[0]], altRow{line, r[0], r[1], r[2], r[3], r[4]})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if f.Add != "" {
		err := readCSV(f.Add, 6, func(line int, r []string) error {
			if !seen[r[0]] {
				return importer.LineError(f.Add, line, "ent_num %s is not in %s", r[0], f.SDN)
			}
			l.adds[r[0]] = append(l.adds[r[0]], addRow{line, r[0], r[1], r[2], r[3], r[4], r[5]})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return l, nil
}

// decoder turns the list's bytes into UTF-8. Windows-1252 is Latin-1 with
// printable characters where Latin-1 has C1 controls.
var decoder = charmap.Windows1252

// readCSV reads a headerless OFAC CSV file whose rows have n fields, with
// "-0-" and surrounding spaces removed, and an integer first field.
func readCSV(path string, n int, fn func(line int, rec []string) error) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return concord.Errorf(concord.EINVALID, "ofac: %v", err)
	}
	raw = bytes.TrimRight(raw, "\x1a\r\n \t")
	data, err := decoder.NewDecoder().Bytes(raw)
	if err != nil {
		return importer.LineError(path, 1, "cannot decode Latin-1: %v", err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return importer.LineError(path, pe.Line, "%v", pe.Err)
			}
			return importer.LineError(path, 0, "%v", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != n {
			return importer.LineError(path, line, "%d fields, want %d", len(rec), n)
		}
		for i, v := range rec {
			v = strings.TrimSpace(v)
			if v == "-0-" {
				v = ""
			}
			rec[i] = v
		}
		if _, err := strconv.ParseUint(rec[0], 10, 64); err != nil {
			return importer.LineError(path, line, "ent_num %q is not a number", rec[0])
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

func entityID(ent string) string { return "ofac-" + ent }

func ref(ent string) string { return "ofac:" + ent }

func dependantID(ent, kind string, n int) string { return fmt.Sprintf("ofac-%s-%s-%d", ent, kind, n) }
