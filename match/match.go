// Package match is the matching engine façade: it indexes watchlist records
// and screens queries (a name in any script, optional birth date,
// nationality, gender and document number) against them, returning ranked,
// explained matches.
//
// Pipeline (DESIGN.md §4): normalize (Arabic orthographic normalisation,
// transliteration, typed name parts from OpenSanctions' rigour tables —
// legal forms, organisation symbols, titles, nicknames — numbers and
// ordinals, Arabic-name structure and filiation chains, particles) → keys
// (consonant skeletons and one-deletion variants, plus exact spellings of
// parts and of pairs of parts) → index (inverted postings over record
// slots, bounded work per query; query parts are also tried joined with
// their neighbour and, when no record spells them, split in two; an
// unknown part from Arabic script is split where two words were written
// together; a name with letters that romanisation habits read
// differently, such as ظ, ق or Russian г, is also screened in each
// alternative reading, a Chinese name in both pinyin and Wade-Giles, and
// a Korean person's name also in one canonical romanisation)
// → score (order-free part alignment weighted by part rarity, parts
// compared by kind; a calibrated model over the comparison's features;
// then birth date, nationality, gender and identifiers).
//
// # Scores and the default threshold
//
// A score is in [0,1]. Two name parts match when their phonetic spellings
// are within an edit budget that grows with length (package score: vowel
// habits cheap, consonants of one class half, the first letter dearer);
// a part that is only a prefix of the other (Nodir/Nodirbek) does not
// match, nor do two known names a consonant apart (Amir/Amin). Legal
// forms, symbols and numbers match only their own kind, by equality
// (Holdings III never meets Holdings IV); an initial meets a name with its
// letter as weak evidence. Part weights are IDF-like: a part carried by
// few records weighs near 1, one carried by many near 0.1.
//
// The name score is a logistic regression over the features of the best
// alignment (share of each side matched, the weakest pair, rarity left
// unmatched on each side, the record's ends matched, evidence, generations
// swapped or numbers clashing, Arabic script, the share matched by the
// same spelling and by the same consonant skeleton — what a script without
// short vowels writes, whatever vowels a romanisation table puts between
// the consonants), fitted by `concord eval fit` on the tuning sets only; its weights are in score/calibration.go and in
// every explanation ("name.model" lines). Birth date, nationality, gender
// and document number then add evidence in log-odds: a full birth date
// that agrees multiplies the odds by e⁵, one that conflicts divides them
// by e⁴; a document number equal on both sides multiplies them by e⁶
// (explain.go). Each applied feature appears in the explanation with its
// score in [-1,1] and its weight.
//
// DefaultThreshold (0.80) is the score at which a result becomes an alert
// for a person to review. The model's bias is set (the prior odds of
// screening) so that 0.80 flags at most 0.35% of the tuning travellers —
// non-listed people drawn from the listed persons' own name stock — with
// the most recall that allows; docs/benchmarks.md gives precision and
// recall by threshold. Because the score is one model over the same
// features, 0.80 means the same evidence for a two-part Uzbek name and a
// five-part Arabic one.
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
	// translated is set on the reading of an organisation's name in
	// Arabic script with its words in English (orgtranslate.go).
	translated bool
}

// Feature is one line of a match explanation.
type Feature struct {
	Feature   string  `json:"feature"`   // "name" ("name.weak_alias", "name.translated" when discounted, "name.short_acronym" when capped below the threshold), "name.part", "birth_date", "nationality", "gender", "identifier"
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

// orgRecord reports whether records of schema s are scored as
// organisations' names: any schema but Person (and none).
func orgRecord(s string) bool { return s != "" && s != "Person" }
