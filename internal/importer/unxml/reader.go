// Package unxml imports the UN Security Council Consolidated List (XML): a
// streaming reader that decodes one INDIVIDUAL or ENTITY element at a time
// into a raw struct, and a mapper that turns each into FollowTheMoney-style
// concord entities (Person or Organization, plus its Address, Identification
// or Passport, and Sanction entities).
package unxml

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"concord/internal/importer"
)

// Meta describes a list as read.
type Meta struct {
	Generated   string // dateGenerated attribute of CONSOLIDATED_LIST
	Individuals int
	Entities    int
}

// rawValues is an element holding repeated VALUE children.
type rawValues struct {
	Values []string `xml:"VALUE"`
}

type rawAlias struct {
	Quality        string `xml:"QUALITY"`
	Name           string `xml:"ALIAS_NAME"`
	DateOfBirth    string `xml:"DATE_OF_BIRTH"`
	CityOfBirth    string `xml:"CITY_OF_BIRTH"`
	CountryOfBirth string `xml:"COUNTRY_OF_BIRTH"`
	Note           string `xml:"NOTE"`
}

type rawAddress struct {
	Street        string `xml:"STREET"`
	City          string `xml:"CITY"`
	StateProvince string `xml:"STATE_PROVINCE"`
	ZipCode       string `xml:"ZIP_CODE"`
	Country       string `xml:"COUNTRY"`
	Note          string `xml:"NOTE"`
}

type rawDate struct {
	TypeOfDate string `xml:"TYPE_OF_DATE"`
	Date       string `xml:"DATE"`
	Year       string `xml:"YEAR"`
	FromYear   string `xml:"FROM_YEAR"`
	ToYear     string `xml:"TO_YEAR"`
	Note       string `xml:"NOTE"`
}

type rawDocument struct {
	Type           string `xml:"TYPE_OF_DOCUMENT"`
	Type2          string `xml:"TYPE_OF_DOCUMENT2"`
	Number         string `xml:"NUMBER"`
	IssuingCountry string `xml:"ISSUING_COUNTRY"`
	CountryOfIssue string `xml:"COUNTRY_OF_ISSUE"`
	CityOfIssue    string `xml:"CITY_OF_ISSUE"`
	DateOfIssue    string `xml:"DATE_OF_ISSUE"`
	Note           string `xml:"NOTE"`
}

// rawRecord is one INDIVIDUAL or ENTITY element as it stands in the source.
// ENTITY records use FIRST_NAME for the name and ENTITY_ALIAS/ENTITY_ADDRESS.
type rawRecord struct {
	XMLName            xml.Name
	DataID             string        `xml:"DATAID"`
	VersionNum         string        `xml:"VERSIONNUM"`
	FirstName          string        `xml:"FIRST_NAME"`
	SecondName         string        `xml:"SECOND_NAME"`
	ThirdName          string        `xml:"THIRD_NAME"`
	FourthName         string        `xml:"FOURTH_NAME"`
	UNListType         string        `xml:"UN_LIST_TYPE"`
	ReferenceNumber    string        `xml:"REFERENCE_NUMBER"`
	ListedOn           string        `xml:"LISTED_ON"`
	Gender             string        `xml:"GENDER"`
	Comments           string        `xml:"COMMENTS1"`
	NameOriginalScript string        `xml:"NAME_ORIGINAL_SCRIPT"`
	Title              rawValues     `xml:"TITLE"`
	Designation        rawValues     `xml:"DESIGNATION"`
	Nationality        rawValues     `xml:"NATIONALITY"`
	ListType           rawValues     `xml:"LIST_TYPE"`
	LastDayUpdated     rawValues     `xml:"LAST_DAY_UPDATED"`
	IndividualAliases  []rawAlias    `xml:"INDIVIDUAL_ALIAS"`
	EntityAliases      []rawAlias    `xml:"ENTITY_ALIAS"`
	IndividualAddress  []rawAddress  `xml:"INDIVIDUAL_ADDRESS"`
	EntityAddress      []rawAddress  `xml:"ENTITY_ADDRESS"`
	DatesOfBirth       []rawDate     `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	PlacesOfBirth      []rawAddress  `xml:"INDIVIDUAL_PLACE_OF_BIRTH"`
	Documents          []rawDocument `xml:"INDIVIDUAL_DOCUMENT"`
}

// individual reports whether the record is an INDIVIDUAL.
func (r *rawRecord) individual() bool { return r.XMLName.Local == "INDIVIDUAL" }

// Read streams the UN Consolidated List from r (file names the input in
// errors) and calls fn for each record, in source order. A malformed file
// (bad XML, invalid UTF-8, truncation, a record without REFERENCE_NUMBER, a
// root element other than CONSOLIDATED_LIST) yields an error naming file and
// line; an error from fn is returned as is. Records passed to fn before an
// error are not taken back: callers that need all-or-nothing collect first.
func Read(r io.Reader, file string, fn func(importer.Record) error) (Meta, error) {
	var meta Meta
	d := xml.NewDecoder(r)
	d.Strict = true
	line := func() int { l, _ := d.InputPos(); return l }
	fail := func(err error) (Meta, error) {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return meta, importer.LineError(file, se.Line, "%s", se.Msg)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return meta, importer.LineError(file, line(), "unexpected end of file")
		}
		return meta, importer.LineError(file, line(), "%v", err)
	}
	depth, sawRoot := 0, false
	for {
		startLine := line()
		tok, err := d.Token()
		if err == io.EOF {
			if !sawRoot {
				return meta, importer.LineError(file, line(), "no CONSOLIDATED_LIST element: not a UN Consolidated List")
			}
			return meta, nil
		}
		if err != nil {
			return fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if t.Name.Local != "CONSOLIDATED_LIST" || sawRoot {
					return meta, importer.LineError(file, startLine, "unexpected root element <%s>: not a UN Consolidated List", t.Name.Local)
				}
				sawRoot = true
				for _, a := range t.Attr {
					if a.Name.Local == "dateGenerated" {
						meta.Generated = strings.TrimSpace(a.Value)
					}
				}
				continue
			}
			if t.Name.Local != "INDIVIDUAL" && t.Name.Local != "ENTITY" {
				continue
			}
			// Whitespace comes as its own CharData token, so the decoder
			// stood at this start tag's "<" before reading it.
			recLine := startLine
			var raw rawRecord
			if err := d.DecodeElement(&raw, &t); err != nil {
				return fail(err)
			}
			depth--
			raw.ReferenceNumber = strings.TrimSpace(raw.ReferenceNumber)
			if raw.ReferenceNumber == "" {
				return meta, importer.LineError(file, recLine, "<%s> without REFERENCE_NUMBER", t.Name.Local)
			}
			if raw.individual() {
				meta.Individuals++
			} else {
				meta.Entities++
			}
			if err := fn(mapRecord(&raw)); err != nil {
				return meta, err
			}
		case xml.EndElement:
			depth--
		}
	}
}
