// Package match is the matching engine façade: it indexes watchlist records
// and screens queries (a name in any script, optional birth date,
// nationality, gender and document number) against them, returning ranked,
// explained matches.
//
// Pipeline (DESIGN.md §4): normalize (transliteration, Arabic-name structure,
// particles, honorifics) → keys (consonant skeletons and one-deletion
// variants, plus exact spellings of parts and of pairs of parts) → index
// (inverted postings over record slots, bounded work per query; query parts
// are also tried joined with their neighbour and, when no record spells
// them, split in two; an unknown part from Arabic script is split where
// two words were written together; a name with letters that romanisation
// habits read differently, such as ظ, ق or Russian г, is also screened in
// each alternative reading) → score (order-free part alignment weighted by part
// rarity, comparing only parts whose skeletons are within one edit or that
// look like a typo of each other, then birth date, nationality, gender and
// identifiers).
//
// # Scores and the default threshold
//
// A score is in [0,1]. The name score is 0.7×(weighted share of the query
// name matched) + 0.3×(weighted share of the record name matched, middle
// parts counting half), scaled by an evidence factor in [0.75,1] that is
// below 1 when only common parts (Mohammed, Ali) matched and the record
// name was not matched in full. Part weights are
// IDF-like: a part carried by few records weighs near 1, one carried by
// many near 0.1. Other features then add or subtract: birth date exact +0.10
// (year-only agreement +0.07, near misses less), conflicting −0.25;
// nationality +0.03 / −0.06; gender conflict −0.15; document number exact
// +0.30, one transcription error +0.21. Each applied feature appears in
// the explanation with its score in [-1,1] and its weight.
//
// DefaultThreshold (0.80) is the score at which a result becomes an alert
// for a person to review: roughly, every distinctive part of the query
// name matched a part of one record name (allowing romanisation variants
// and one-letter typos in the consonant skeleton) and nothing known
// contradicts it. A full-name match with a conflicting birth date, or a
// match on common parts only with no supporting date, falls below it.
//
// The engine is pure: no I/O, deterministic (ties broken by record ID), and
// safe for concurrent Match calls; Upsert and Remove take a write lock.
package match

// DefaultThreshold is the score from which a match is reported as a hit;
// see the package documentation.
const DefaultThreshold = 0.80

// DefaultLimit is the number of matches returned when Options.Limit is 0.
const DefaultLimit = 5

// Record is a watchlist entity as the engine sees it.
type Record struct {
	ID            string
	Schema        string // "Person", "Organization", "LegalEntity", "Vessel", ...
	Caption       string
	Names         []string // primary names and good-quality aliases, any script
	WeakNames     []string // low-quality aliases: matched with less weight
	BirthDates    []string // "YYYY", "YYYY-MM" or "YYYY-MM-DD"
	Nationalities []string // ISO 3166-1 alpha-2, lower case
	Gender        string   // "male", "female" or ""
	Identifiers   []string // passport / national ID numbers as listed
	Refs          []string // source record refs like "un:QDi.001"
}

// Query is one screening request.
type Query struct {
	ID, Schema     string // Schema "" = any
	Name           string // free text, any script
	BirthDate      string // "", "YYYY", "YYYY-MM", "YYYY-MM-DD"
	Nationality    string // "" or ISO alpha-2 lower case
	Gender         string
	DocumentNumber string
}

// Feature is one line of a match explanation.
type Feature struct {
	Feature   string  `json:"feature"`   // "name", "name.part", "birth_date", "nationality", "gender", "identifier"
	Query     string  `json:"query"`     // value on the query side
	Candidate string  `json:"candidate"` // value on the record side
	Score     float64 `json:"score"`     // similarity in [0,1], or agreement in [-1,1] for qualifiers
	Weight    float64 `json:"weight"`    // part weight for name parts; score contribution per unit for qualifiers
}

// Match is one result.
type Match struct {
	EntityID    string    `json:"entity_id"`
	Caption     string    `json:"caption"`
	Schema      string    `json:"schema"`
	Refs        []string  `json:"refs"`
	Score       float64   `json:"score"`
	Explanation []Feature `json:"explanation"`
}

// Options bounds a Match call. Limit 0 means DefaultLimit; Threshold 0
// means DefaultThreshold (use a tiny positive value to see everything).
type Options struct {
	Limit     int
	Threshold float64
}

// Compatible reports whether a query schema may match a record schema:
// Person and Organization exclude each other, LegalEntity goes with both.
func Compatible(q, r string) bool { return compatible(q, r) }

func compatible(q, r string) bool {
	if q == "" || r == "" || q == r || q == "LegalEntity" || r == "LegalEntity" || q == "Thing" {
		return true
	}
	return orgLike(q) && orgLike(r)
}

func orgLike(s string) bool {
	switch s {
	case "Organization", "Company", "PublicBody", "LegalEntity":
		return true
	}
	return false
}

func normGender(g string) uint8 {
	switch g {
	case "male", "m", "M", "Male", "MALE":
		return 1
	case "female", "f", "F", "Female", "FEMALE":
		return 2
	}
	return 0
}
