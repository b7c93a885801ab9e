package search

import (
	"strings"

	"concord"
	"concord/match"
)

// Matchable lists the schemata the engine indexes.
var Matchable = []string{"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}

// recordProps are the properties RecordOf reads.
var recordProps = []string{"name", "alias", "weakAlias", "previousName", "birthDate", "nationality", "citizenship",
	"gender", "passportNumber", "idNumber", "registrationNumber", "taxNumber", "imoNumber"}

// RecordOf turns an entity, as some viewer sees it, into what the engine
// indexes: names and aliases in every script, weak aliases apart, birth
// dates, nationalities (and citizenship), gender and identifiers.
func RecordOf(e *concord.Entity) match.Record {
	r := match.Record{
		ID:      e.ID,
		Schema:  e.Schema,
		Caption: e.Caption(),
		Names:   e.Names(),
		Refs:    e.Refs,
	}
	r.WeakNames = e.Properties["weakAlias"]
	r.BirthDates = e.Properties["birthDate"]
	for _, p := range []string{"nationality", "citizenship"} {
		for _, c := range e.Properties[p] {
			if code, ok := concord.CountryCode(c); ok && !contains(r.Nationalities, code) {
				r.Nationalities = append(r.Nationalities, code)
			}
		}
	}
	if g := e.First("gender"); g != "" {
		r.Gender = strings.ToLower(g)
	}
	for _, p := range recordProps[len(recordProps)-5:] {
		r.Identifiers = append(r.Identifiers, e.Properties[p]...)
	}
	return r
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
